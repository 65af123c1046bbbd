// A media panel with a step slider: one media key's values, a step slider to move through the
// steps that have one, each step's files shown by the subclass (ImagePanel, HtmlPanel,
// AudioPanel, VideoPanel: `render`). A value of the summary alone is shown the same way,
// without a slider. The values are fetched per step as the slider moves, and kept.
import { get, runApi } from '../api.js';
import { h, clear } from '../util.js';

// One file's element with its caption under it, as every such panel shows a file.
export function captioned(element, caption) {
  return h('figure', {}, element, caption ? h('figcaption', {}, caption) : null);
}

export class StepPanel {
  // `kind`: the panel's class (image-panel, ...), which the tests and the style pick it by.
  // `summaryValue`: a value of the run's summary, shown alone (no steps, no slider).
  constructor(kind, ref, key, summaryValue = undefined) {
    this.ref = ref;
    this.key = key;
    this.summaryValue = summaryValue;
    this.steps = [];
    this.values = new Map();  // step -> value
    this.slider = h('input', { type: 'range', class: 'step-slider', min: 0, max: 0, value: 0 });
    this.stepLabel = h('span', { class: 'mono step-label' });
    this.view = h('div', { class: 'media-items' });
    this.el = h('div', { class: `panel media-panel ${kind}`, dataset: { key } },
                h('div', { class: 'panel-title' }, h('span', {}, key), this.stepLabel),
                this.view, h('div', { class: 'slider-row' }, this.slider));
    this.slider.addEventListener('input', () => this.show(this.steps[Number(this.slider.value)]));
    this.el.panel = this;  // for the browser tests
  }

  // Fetches the key's steps (again, for a live run) and shows the last one, unless the user
  // moved the slider away from the end.
  async load() {
    if (this.summaryValue !== undefined) {
      this.values.set('summary', this.summaryValue);
      this.slider.hidden = true;
      return this.show('summary');
    }
    const atEnd = Number(this.slider.value) >= this.steps.length - 1;
    const { steps } = await get(`${runApi(this.ref)}/media`, { key: this.key });
    this.steps = steps;
    this.slider.max = Math.max(0, steps.length - 1);
    this.slider.disabled = steps.length < 2;
    if (atEnd) this.slider.value = steps.length - 1;
    await this.show(steps[Number(this.slider.value)]);
  }

  async show(step) {
    if (step === undefined) return;
    this.wanted = step;
    this.stepLabel.textContent = step === 'summary' ? 'summary' : `step ${step}`;
    if (step === this.shown) return;  // a live refresh with nothing new, or back to the shown
    let value = this.values.get(step);
    if (value === undefined) {
      value = (await get(`${runApi(this.ref)}/media`, { key: this.key, step })).value;
      this.values.set(step, value);
    }
    if (this.wanted !== step) return;  // the slider moved on meanwhile
    const { elements, ready, empty, shown, dropped } = this.render(value);
    // Loaded before they replace the shown ones: no flicker, and a step the slider has left
    // by then is never shown. Marked shown for tests to wait on.
    await ready;
    if (this.wanted !== step) {
      dropped?.();
      return;
    }
    clear(this.view, elements.length ? elements : h('p', { class: 'muted' }, empty));
    shown?.();
    this.shown = step;
    this.el.dataset.step = String(step);
  }

  // One step's value as elements, with a promise of when they are ready to be shown, and
  // what to say when the value holds none: {elements, ready, empty}; optionally `shown` and
  // `dropped`, called when the elements replace those shown or are dropped unshown (a panel
  // whose elements hold resources, such as WebGL contexts, frees them there).
  render(value) {
    throw new Error(`${this.constructor.name} does not render ${value?._type}`);
  }
}
