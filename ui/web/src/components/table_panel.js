// A table panel: a logged table, paged, sorted by any column (click its header; again to
// reverse), image cells shown as thumbnails with their boxes and masks drawn over them as the
// image panel draws them (image_overlays.js). A key logged at several steps gets a step
// slider; the last step is shown first.
import { get, runApi, runFileUrl } from '../api.js';
import { h, clear, formatValue } from '../util.js';
import { fetchTable } from './table_data.js';
import { loadOverlays } from './image_overlays.js';

const PAGE = 10;

// Sort order: numbers, then strings, then anything else, nulls last.
function compare(a, b) {
  const rank = (v) => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : v == null ? 3 : 2);
  const ra = rank(a), rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return a - b;
  if (ra === 1) return a.localeCompare(b);
  return 0;
}

export class TablePanel {
  // `summaryValue`: a table of the run's summary, shown alone (no steps, no slider).
  // `classLabels`: the run's names of overlays' classes ({boxes, masks}), as the image panel's.
  constructor(ref, key, summaryValue = undefined, classLabels = {}) {
    this.ref = ref;
    this.key = key;
    this.summaryValue = summaryValue;
    this.classLabels = classLabels;
    this.table = { columns: [], data: [] };
    this.sort = null;  // {column, descending}
    this.page = 0;
    this.steps = [];
    this.slider = h('input', { type: 'range', class: 'step-slider', min: 0, max: 0, value: 0, hidden: true });
    this.stepLabel = h('span', { class: 'mono step-label' });
    this.grid = h('div', { class: 'table-scroll' });
    this.pager = h('div', { class: 'pager' });
    this.el = h('div', { class: 'panel media-panel table-panel', dataset: { key } },
                h('div', { class: 'panel-title' }, h('span', {}, key), this.stepLabel),
                this.slider, this.grid, this.pager);
    this.slider.addEventListener('input', () => this.show(this.steps[Number(this.slider.value)]));
    this.el.panel = this;
  }

  async load() {
    if (this.summaryValue !== undefined) return this.show('summary');
    const atEnd = Number(this.slider.value) >= this.steps.length - 1;
    const { steps } = await get(`${runApi(this.ref)}/media`, { key: this.key });
    this.steps = steps;
    this.slider.max = Math.max(0, steps.length - 1);
    this.slider.hidden = steps.length < 2;
    if (atEnd) this.slider.value = steps.length - 1;
    await this.show(steps[Number(this.slider.value)]);
  }

  async show(step) {
    if (step === undefined || step === this.step) return;
    this.wanted = step;
    const value = step === 'summary' ? this.summaryValue
      : (await get(`${runApi(this.ref)}/media`, { key: this.key, step })).value;
    const table = await fetchTable(this.ref, value);
    if (this.wanted !== step) return;
    this.step = step;
    const where = step === 'summary' ? 'summary' : `step ${step}`;
    this.stepLabel.textContent = `${where} · ${value.nrows ?? table.data.length} rows`;
    this.table = table;
    this.page = 0;
    this.draw();
  }

  rows() {
    const rows = this.table.data.slice();
    if (this.sort) {
      const i = this.sort.column;
      rows.sort((a, b) => compare(a[i], b[i]) * (this.sort.descending ? -1 : 1));
    }
    return rows;
  }

  cell(v) {
    if (v && typeof v === 'object' && v._type === 'image-file' && v.path) return this.thumbnail(v);
    if (v && typeof v === 'object' && v._type === 'histogram') return `histogram (${v.values?.length ?? 0} bins)`;
    return formatValue(v);
  }

  // An image cell: the thumbnail, and over it the image's boxes and masks once they are read
  // (a layer scales with the thumbnail; a group that fails to load is left out).
  thumbnail(image) {
    const img = h('img', { class: 'thumb', src: runFileUrl(this.ref, image.path), alt: image.caption ?? '', loading: 'lazy' });
    if (!Object.keys({ ...image.boxes, ...image.masks }).length) return img;
    const frame = h('div', { class: 'image-frame thumb-frame' }, img);
    const decoded = img.decode().catch(() => {});
    loadOverlays(this.ref, this.key, image, decoded.then(() => img), this.classLabels).then((overlays) => {
      frame.append(...overlays.filter((o) => o.layer).map((o) => o.layer));
      frame.dataset.overlays = String(overlays.filter((o) => o.layer).length);
    });
    return frame;
  }

  draw() {
    const { columns } = this.table;
    const rows = this.rows();
    const pages = Math.max(1, Math.ceil(rows.length / PAGE));
    this.page = Math.min(this.page, pages - 1);
    const shown = rows.slice(this.page * PAGE, (this.page + 1) * PAGE);
    const header = columns.map((name, i) => {
      const arrow = this.sort?.column === i ? (this.sort.descending ? ' ▼' : ' ▲') : '';
      return h('th', { class: 'sortable', dataset: { column: name }, onclick: () => {
        this.sort = this.sort?.column === i ? { column: i, descending: !this.sort.descending } : { column: i, descending: false };
        this.page = 0;
        this.draw();
      } }, name, arrow);
    });
    clear(this.grid, h('table', { class: 'grid media-table' },
      h('thead', {}, h('tr', {}, header)),
      h('tbody', {}, shown.map((row) => h('tr', {}, row.map((v) => h('td', {}, this.cell(v))))))));
    const first = rows.length ? this.page * PAGE + 1 : 0;
    clear(this.pager,
          h('button', { class: 'prev', disabled: this.page === 0, onclick: () => { this.page--; this.draw(); } }, '‹ prev'),
          h('span', { class: 'muted page-info' }, `${first}–${this.page * PAGE + shown.length} of ${rows.length}`),
          h('button', { class: 'next', disabled: this.page >= pages - 1, onclick: () => { this.page++; this.draw(); } }, 'next ›'));
  }
}
