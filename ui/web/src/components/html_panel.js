// An HTML panel: one media key's pages (wandb::Html: "html-file", or a list: "html"), each in
// a frame, with the step slider (StepPanel). The frame is sandboxed with scripts allowed but
// not our origin (and the server sends each file with its own sandbox policy): a page that
// draws with JavaScript (a Plotly or Bokeh export) works, and none can reach the app, its API
// or its cookies.
import { runFileUrl } from '../api.js';
import { h } from '../util.js';
import { StepPanel } from './step_panel.js';

// The paths of one media value's pages.
function pagesOf(value) {
  if (value?._type === 'html-file') return [value.path];
  if (value?._type === 'html') return (value.html ?? []).map((page) => page?.path).filter(Boolean);
  return [];
}

export class HtmlPanel extends StepPanel {
  constructor(ref, key, summaryValue = undefined) {
    super('html-panel', ref, key, summaryValue);
  }

  render(value) {
    const elements = pagesOf(value).map((path) =>
      h('iframe', { class: 'html-frame', src: runFileUrl(this.ref, path), title: path,
                    sandbox: 'allow-scripts', referrerpolicy: 'no-referrer' }));
    // A frame is shown at once: its page loads inside it, as a browser tab would.
    return { elements, ready: Promise.resolve(), empty: 'no page' };
  }
}
