// An image panel: one media key's images with the step slider (StepPanel). A step holds one
// image ("image-file") or a list ("images/separated"); each is shown with its caption, and
// with its boxes and masks drawn over it (image_overlays.js), listed in a legend whose
// checkboxes show or hide each group.
import { runFileUrl } from '../api.js';
import { h } from '../util.js';
import { StepPanel, captioned } from './step_panel.js';
import { loadOverlays } from './image_overlays.js';
import { showLegend } from './overlay_legend.js';

// The images of one media value: [{path, caption, boxes, masks}]. A list holds each image's
// boxes and masks beside it (all_boxes, all_masks: null for an image without).
function imagesOf(value) {
  if (value?._type === 'image-file') {
    return [{ path: value.path, caption: value.caption, boxes: value.boxes, masks: value.masks }];
  }
  if (value?._type === 'images/separated') {
    return (value.filenames ?? []).map((path, i) => ({
      path, caption: value.captions?.[i], boxes: value.all_boxes?.[i], masks: value.all_masks?.[i] }));
  }
  return [];
}

const hasOverlays = (image) => Object.keys({ ...image.boxes, ...image.masks }).length > 0;

// A figure of an image and its caption; `decoded` resolves once the image can be drawn (or
// failed to load: the figure says so by its alt text).
export function imageFigure(src, caption, alt) {
  const img = h('img', { src, alt: caption ?? alt });
  return { figure: captioned(img, caption), decoded: img.decode().catch(() => {}) };
}

export class ImagePanel extends StepPanel {
  // `classLabels`: the run's names of its overlays' classes ({boxes, masks}, the run's JSON).
  constructor(ref, key, summaryValue = undefined, classLabels = {}) {
    super('image-panel', ref, key, summaryValue);
    this.classLabels = classLabels;
    this.hiddenGroups = new Set();  // the overlay groups the user hid, at every step
  }

  // The images decoded and their overlays drawn before they are shown.
  render(value) {
    const images = imagesOf(value);
    const shown = images.map((image) => this.figure(image));
    const legend = h('div', { class: 'overlay-groups' });
    const ready = Promise.all(shown.map((s) => s.overlays))
      .then((overlays) => showLegend(legend, overlays.flat(), this.hiddenGroups));
    const figures = shown.map((s) => s.figure);
    return { elements: images.some(hasOverlays) ? [legend, ...figures] : figures, ready, empty: 'no image' };
  }

  // An image in a frame that its overlays' layers cover, which `overlays` resolves to once
  // the image is decoded and the layers are in place.
  figure(image) {
    const img = h('img', { src: runFileUrl(this.ref, image.path), alt: image.caption ?? image.path });
    const frame = h('div', { class: 'image-frame' }, img);
    const decoded = img.decode().catch(() => {});
    const loaded = loadOverlays(this.ref, this.key, image, decoded.then(() => img), this.classLabels);
    const overlays = Promise.all([decoded, loaded]).then(([, list]) => {
      frame.append(...list.filter((o) => o.layer).map((o) => o.layer));
      return list;
    });
    return { figure: captioned(frame, image.caption), overlays };
  }
}
