// A histogram panel: one histogram key over the steps, drawn as a heat map on a canvas:
// x is the step, y the value (the bins of every step put on one scale), the colour the share
// of that step's counts in that cell. Each step is scaled by its own largest cell, so a
// step's shape shows whatever its total. At most SAMPLES steps are fetched, spread over the
// run by the server. A histogram set only in the summary has no steps: it is drawn as bars
// (histogram_bars.js).
import { get, runApi } from '../api.js';
import { h, formatNumber } from '../util.js';
import { drawBars } from './histogram_bars.js';

const SAMPLES = 400;
const ROWS = 64;
const HEIGHT = 200;
const AXIS = 42;  // pixels left of the map for the value axis

// Counts of one histogram spread over ROWS equal cells of [lo, hi]: a bin's count is shared
// among the cells it overlaps, in proportion to the overlap.
function resample(hist, lo, hi) {
  const cells = new Float64Array(ROWS);
  const { values = [], bins = [] } = hist ?? {};
  const cell = (hi - lo) / ROWS;
  for (let j = 0; j < values.length && j + 1 < bins.length; j++) {
    const a = bins[j], b = bins[j + 1], count = Number(values[j]);
    if (!(count > 0) || !(b >= a)) continue;
    if (b === a) {
      cells[Math.min(ROWS - 1, Math.max(0, Math.floor((a - lo) / cell)))] += count;
      continue;
    }
    const first = Math.max(0, Math.floor((a - lo) / cell));
    const last = Math.min(ROWS - 1, Math.floor((b - lo) / cell));
    for (let r = first; r <= last; r++) {
      const overlap = Math.min(b, lo + (r + 1) * cell) - Math.max(a, lo + r * cell);
      if (overlap > 0) cells[r] += (count * overlap) / (b - a);
    }
  }
  return cells;
}

// White to deep blue.
function colour(t) {
  const mix = (a, b) => Math.round(a + (b - a) * t);
  return `rgb(${mix(255, 8)},${mix(255, 48)},${mix(255, 107)})`;
}

export class HistogramPanel {
  // `summaryValue`: a histogram of the run's summary, drawn alone as bars.
  constructor(ref, key, summaryValue = undefined) {
    this.ref = ref;
    this.key = key;
    this.summaryValue = summaryValue;
    this.canvas = h('canvas', { class: 'heatmap' });
    this.info = h('span', { class: 'panel-info muted' });
    this.axis = h('div', { class: 'heatmap-axis muted mono' });
    this.el = h('div', { class: 'panel media-panel histogram-panel', dataset: { key } },
                h('div', { class: 'panel-title' }, h('span', {}, key), this.info),
                this.canvas, this.axis);
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.el.panel = this;
  }

  async load() {
    if (this.summaryValue !== undefined) return this.drawSummary();
    const { steps, values } = await get(`${runApi(this.ref)}/media`, { key: this.key, sample: SAMPLES });
    this.steps = steps;
    this.hists = values;
    this.draw();
  }

  draw() {
    const { steps, hists } = this;
    const edges = hists.flatMap((v) => (v?.bins?.length ? [v.bins[0], v.bins[v.bins.length - 1]] : []))
      .filter(Number.isFinite);
    if (!steps.length || !edges.length) {
      this.info.textContent = 'no histogram';
      return;
    }
    let lo = Math.min(...edges), hi = Math.max(...edges);
    if (hi === lo) hi = lo + 1;
    this.lo = lo;
    this.hi = hi;
    const width = Math.max(200, this.el.clientWidth - 18);
    const ratio = window.devicePixelRatio || 1;
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${HEIGHT}px`;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(HEIGHT * ratio);
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, HEIGHT);
    const plotWidth = width - AXIS;
    const first = steps[0], last = steps[steps.length - 1];
    const span = Math.max(1, last - first);
    // Step i's column runs from its step to the next one's; the last is as wide as the mean.
    const xOf = (step) => AXIS + ((step - first) / (span + span / Math.max(1, steps.length - 1))) * plotWidth;
    const rowHeight = HEIGHT / ROWS;
    for (let i = 0; i < steps.length; i++) {
      const cells = resample(hists[i], lo, hi);
      const top = Math.max(...cells);
      if (!(top > 0)) continue;
      const x0 = xOf(steps[i]);
      const x1 = i + 1 < steps.length ? xOf(steps[i + 1]) : AXIS + plotWidth;
      for (let r = 0; r < ROWS; r++) {
        if (cells[r] <= 0) continue;
        ctx.fillStyle = colour(0.15 + 0.85 * (cells[r] / top));
        // Row 0 (the lowest values) at the bottom; +0.5 px hides seams between cells.
        ctx.fillRect(x0, HEIGHT - (r + 1) * rowHeight, Math.max(1, x1 - x0 + 0.5), rowHeight + 0.5);
      }
    }
    ctx.fillStyle = '#6b7785';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    ctx.fillText(formatNumber(hi), 2, 2);
    ctx.textBaseline = 'bottom';
    ctx.fillText(formatNumber(lo), 2, HEIGHT - 2);
    this.axis.textContent = `step ${first} … ${last}`;
    this.axis.style.paddingLeft = `${AXIS}px`;
    this.info.textContent = `${steps.length} steps`;
    this.xOf = xOf;
    this.canvas.dataset.columns = String(steps.length);
  }

  drawSummary() {
    this.el.classList.add('histogram-bars');
    this.bars = drawBars(this.canvas, this.summaryValue, Math.max(200, this.el.clientWidth - 18));
    const total = (this.summaryValue?.values ?? []).reduce((n, v) => n + (Number(v) || 0), 0);
    this.info.textContent = this.bars ? `summary · ${formatNumber(total)} values` : 'no histogram';
  }

  hover(e) {
    if (this.bars) {
      const bin = this.bars.binAt(e.clientX - this.canvas.getBoundingClientRect().left);
      this.canvas.title = bin ? `${formatNumber(bin.lo)} … ${formatNumber(bin.hi)}: ${formatNumber(bin.count)}` : '';
      return;
    }
    if (!this.steps?.length) return;
    const rect = this.canvas.getBoundingClientRect();
    const x = e.clientX - rect.left, y = e.clientY - rect.top;
    let i = this.steps.length - 1;
    while (i > 0 && this.xOf(this.steps[i]) > x) i--;
    const value = this.hi - (y / HEIGHT) * (this.hi - this.lo);
    this.canvas.title = `step ${this.steps[i]}, value ≈ ${formatNumber(value)}`;
  }
}
