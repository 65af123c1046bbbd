// The media tab: a panel per media key of the run's history, in sections by kind (images with
// a step slider and their boxes and masks, histograms as heat maps over the steps, tables, HTML
// pages in sandboxed frames, audio players, videos, 3-D point clouds and models), the media set
// only in its summary (a histogram there as bars), and the custom charts the run logged
// (plot_table, wandb.plot.*). A live run's panels follow its new steps.
import { get, runApi } from '../api.js';
import { ImagePanel } from '../components/image_panel.js';
import { HtmlPanel } from '../components/html_panel.js';
import { AudioPanel } from '../components/audio_panel.js';
import { VideoPanel } from '../components/video_panel.js';
import { Object3DPanel } from '../components/object3d_panel.js';
import { HistogramPanel } from '../components/histogram_panel.js';
import { TablePanel } from '../components/table_panel.js';
import { CustomChartPanel, chartsOf } from '../components/custom_chart.js';
import { h, clear, errorBox, throttle } from '../util.js';

// The media values of the run's summary that its history does not hold (set only in the
// summary): [[key, value, Panel]], nested keys joined with '.'.
function summaryMedia(summary, historyKeys, prefix = '', out = []) {
  for (const [k, v] of Object.entries(summary ?? {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (!v || typeof v !== 'object' || Array.isArray(v) || k.startsWith('_')) continue;
    if (typeof v._type !== 'string') {
      summaryMedia(v, historyKeys, key, out);
      continue;
    }
    const kind = KINDS.find(([, accepts]) => accepts(v._type));
    if (kind && !historyKeys.has(key)) out.push([key, v, kind[2]]);
  }
  return out;
}

// [section, accepts(_type), Panel]. Each Panel is made as new Panel(ref, key, summaryValue,
// run.class_labels): the image panel names its boxes' and masks' classes by the last.
const KINDS = [
  ['Images', (type) => type === 'image-file' || type === 'images/separated', ImagePanel],
  ['Histograms', (type) => type === 'histogram', HistogramPanel],
  ['Tables', (type) => type === 'table-file', TablePanel],
  ['HTML', (type) => type === 'html-file' || type === 'html', HtmlPanel],
  ['Audio', (type) => type === 'audio-file' || type === 'audio', AudioPanel],
  ['Video', (type) => type === 'video-file' || type === 'videos', VideoPanel],
  ['3D', (type) => type === 'object3D-file' || type === 'object3D', Object3DPanel],
];

export async function showMedia(body, run, ref) {
  const sections = h('div', { id: 'media-sections' });
  clear(body, sections);
  const panels = new Map();  // key -> panel

  const load = (panel) => panel.load().catch((e) => panel.el.append(errorBox(e)));

  function section(name, count) {
    const grid = h('div', { class: 'panels' });
    sections.append(h('details', { class: 'section', open: true, dataset: { section: name } },
                      h('summary', {}, name, h('span', { class: 'muted' }, ` ${count}`)), grid));
    return grid;
  }

  async function draw() {
    const { media } = await get(`${runApi(ref)}/keys`);
    const charts = chartsOf(run);
    // A chart's table is drawn by its chart, not again as a table.
    const chartTables = new Set(charts.map((c) => c.tableKey));
    for (const p of panels.values()) p.dispose?.();
    panels.clear();
    clear(sections);
    for (const [name, accepts, Panel] of KINDS) {
      const keys = Object.keys(media).filter((k) => accepts(media[k]) && !chartTables.has(k)).sort();
      if (!keys.length) continue;
      const grid = section(name, keys.length);
      for (const key of keys) {
        const panel = new Panel(ref, key, undefined, run.class_labels);
        panels.set(key, panel);
        grid.append(panel.el);
      }
    }
    const fromSummary = summaryMedia(run.summary, new Set([...Object.keys(media), ...chartTables]));
    if (fromSummary.length) {
      const grid = section('Summary', fromSummary.length);
      for (const [key, value, Panel] of fromSummary) {
        const panel = new Panel(ref, key, value, run.class_labels);
        panels.set(`summary:${key}`, panel);
        grid.append(panel.el);
      }
    }
    if (charts.length) {
      const grid = section('Custom charts', charts.length);
      for (const chart of charts) {
        const panel = new CustomChartPanel(ref, chart);
        panels.set(`chart:${chart.key}`, panel);
        grid.append(panel.el);
      }
    }
    if (!panels.size) sections.append(h('p', { class: 'muted' }, 'This run has logged no media, tables or charts yet.'));
    for (const panel of panels.values()) load(panel);
    return media;
  }

  let known = JSON.stringify(await draw());
  // A live run: new media keys redraw the tab; otherwise each panel fetches its new steps (a
  // chart draws again only when its table was logged again).
  const refresh = throttle(async () => {
    const { media } = await get(`${runApi(ref)}/keys`).catch(() => ({ media: null }));
    if (!media) return;
    if (JSON.stringify(media) !== known) {
      run = { ...run, ...(await get(runApi(ref))) };
      known = JSON.stringify(await draw());
      return;
    }
    for (const panel of panels.values()) load(panel);
  }, 1000);

  let lastStep = run.last_step;
  return {
    update(pulse) {
      if (pulse.last_step === lastStep) return;
      lastStep = pulse.last_step;
      refresh();
    },
    dispose() {
      for (const p of panels.values()) p.dispose?.();
    },
  };
}
