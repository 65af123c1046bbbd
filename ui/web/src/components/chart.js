// One chart panel: a history key of one or more runs, drawn with uPlot.
//
// The server reduces each series to the chart's width in pixels (min, max and last per
// bucket), so a million steps cost a few thousand points and no spike is lost. Dragging
// across the chart zooms in and asks for the narrower range, whose buckets are finer, down to
// the logged points themselves; a double click zooms back out.
import uPlot from 'uplot';
import { get, runApi } from '../api.js';
import { h, formatNumber } from '../util.js';

export const COLORS = ['#1f77b4', '#e6550d', '#2ca02c', '#d62728', '#9467bd', '#8c564b',
                       '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function alpha(hex, a) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${a})`;
}

// An axis label; a log axis leaves its minor ticks unlabelled (null).
const tick = (v) => (v === null ? '' : formatNumber(v));

export class ChartPanel {
  // runs: [{entity, project, id, label}]; options: {x, smoothing, log}
  constructor(key, runs, options) {
    this.key = key;
    this.runs = runs;
    this.options = options;
    this.range = null;  // {min, max} while zoomed
    this.plot = null;
    this.loading = null;
    this.settingData = false;
    this.info = h('span', { class: 'panel-info muted' });
    this.box = h('div', { class: 'plot' });
    this.el = h('div', { class: 'panel', dataset: { key } },
                h('div', { class: 'panel-title' }, h('span', {}, key), this.info), this.box);
    this.resize = new ResizeObserver(() => {
      if (this.plot) this.plot.setSize(this.size());
    });
    this.resize.observe(this.box);
    this.el.addEventListener('dblclick', () => this.zoom(null));
    this.el.chart = this;  // for the browser tests: what is drawn
  }

  size() {
    return { width: Math.max(200, this.box.clientWidth), height: 220 };
  }

  // Fetches the series for the current range and draws them. Calls made while one is in
  // flight are folded into one more after it.
  async load() {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = this.fetchAndDraw().finally(() => {
      this.loading = null;
      if (this.again) {
        this.again = false;
        this.load();
      }
    });
    return this.loading;
  }

  async fetchAndDraw() {
    const { width } = this.size();
    const results = await Promise.all(this.runs.map((run) =>
      get(`${runApi(run)}/series`, {
        key: this.key, x: this.options.x, buckets: Math.round(width),
        min: this.range?.min, max: this.range?.max,
        smoothing: this.options.smoothing > 0 ? this.options.smoothing : undefined,
      }).catch((e) => ({ error: e }))));
    const tables = [];
    const series = [{ label: this.options.x }];
    results.forEach((r, i) => {
      if (r.error || !r.line) return;
      const color = COLORS[i % COLORS.length];
      const label = this.runs.length > 1 ? this.runs[i].label : this.key;
      const clean = (ys) => this.options.log ? ys.map((y) => (y > 0 ? y : null)) : ys;
      tables.push([r.line.x, clean(r.line.y)]);
      series.push({ label: r.smoothed ? `${label} (raw)` : label, stroke: r.smoothed ? alpha(color, 0.3) : color,
                    width: 1.25, spanGaps: true, points: { show: r.line.x.length < 60 } });
      if (r.smoothed) {
        tables.push([r.smoothed.x, clean(r.smoothed.y)]);
        series.push({ label, stroke: color, width: 1.5, spanGaps: true, points: { show: false } });
      }
    });
    const first = results.find((r) => !r.error);
    if (!first) {
      this.info.textContent = results[0]?.error?.message ?? 'no data';
      return;
    }
    const total = results.reduce((n, r) => n + (r.total_points ?? 0), 0);
    const shown = results.reduce((n, r) => n + (r.line?.x.length ?? 0), 0);
    this.info.textContent = first.exact ? `${total} points` : `${total} points, ${shown} drawn (min/max per pixel)`;
    this.el.dataset.points = String(total);
    this.el.dataset.exact = String(results.every((r) => r.error || r.exact));
    const data = tables.length ? uPlot.join(tables) : [[]];
    this.draw(data, series);
  }

  draw(data, series) {
    const signature = JSON.stringify(series.map((s) => [s.label, s.stroke])) +
                      `|${this.options.log}|${this.options.x}`;
    if (this.plot && signature === this.signature) {
      this.settingData = true;
      this.plot.setData(data, !this.range);
      if (this.range) this.plot.setScale('x', this.range);
      this.settingData = false;
      return;
    }
    this.plot?.destroy();
    this.signature = signature;
    const time = this.options.x === '_timestamp';
    const opts = {
      ...this.size(),
      series,
      scales: { x: { time }, y: this.options.log ? { distr: 3 } : {} },
      axes: [{ label: this.options.x, values: time ? undefined : (u, ticks) => ticks.map(tick) },
             { values: (u, ticks) => ticks.map(tick), size: 60 }],
      legend: { show: this.runs.length > 1 || series.length > 2 },
      cursor: { drag: { x: true, y: false }, bind: { dblclick: () => () => null } },
      hooks: {
        setScale: [(u, key) => {
          if (key !== 'x' || this.settingData) return;
          this.range = { min: u.scales.x.min, max: u.scales.x.max };
          this.load();
        }],
      },
    };
    this.settingData = true;
    this.plot = new uPlot(opts, data, this.box);
    if (this.range) this.plot.setScale('x', this.range);
    this.settingData = false;
  }

  zoom(range) {
    this.range = range;
    this.load();
  }

  dispose() {
    this.resize.disconnect();
    this.plot?.destroy();
  }
}
