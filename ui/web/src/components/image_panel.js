// An image panel: one media key's images with the step slider (StepPanel). A step holds one
// image ("image-file") or a list ("images/separated"); each is shown with its caption.
import { runFileUrl } from '../api.js';
import { h } from '../util.js';
import { StepPanel, captioned } from './step_panel.js';

// The images of one media value: [{path, caption}].
function imagesOf(value) {
  if (value?._type === 'image-file') return [{ path: value.path, caption: value.caption }];
  if (value?._type === 'images/separated') {
    return (value.filenames ?? []).map((path, i) => ({ path, caption: value.captions?.[i] }));
  }
  return [];
}

// A figure of an image and its caption; `decoded` resolves once the image can be drawn (or
// failed to load: the figure says so by its alt text).
export function imageFigure(src, caption, alt) {
  const img = h('img', { src, alt: caption ?? alt });
  return { figure: captioned(img, caption), decoded: img.decode().catch(() => {}) };
}

export class ImagePanel extends StepPanel {
  constructor(ref, key, summaryValue = undefined) {
    super('image-panel', ref, key, summaryValue);
  }

  // The images decoded before they are shown.
  render(value) {
    const figures = imagesOf(value).map(({ path, caption }) =>
      imageFigure(runFileUrl(this.ref, path), caption, path));
    return { elements: figures.map((f) => f.figure), ready: Promise.all(figures.map((f) => f.decoded)),
             empty: 'no image' };
  }
}
