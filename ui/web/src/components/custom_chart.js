// A custom chart (plot_table, wandb.plot.*, wandb.visualize): its table drawn with
// Vega-Lite by our spec for its built-in id (vega_specs.js). Vega is loaded only when a run
// has a chart (a chunk of its own), and runs its expressions with vega-interpreter: the app's
// Content-Security-Policy allows no eval. A chart whose id is not built in shows its table.
import { get, runApi } from '../api.js';
import { h, clear, errorBox } from '../util.js';
import { chartSpec, rowsByRole } from './vega_specs.js';
import { fetchTable } from './table_data.js';
import { TablePanel } from './table_panel.js';

let vega = null;
async function loadVega() {
  vega ??= Promise.all([import('vega-embed'), import('vega-interpreter')])
    .then(([embed, interpreter]) => ({ embed: embed.default, expr: interpreter.expressionInterpreter }));
  return vega;
}

// The charts a run logged, from its config: [{key, id, fields, strings, tableKey}].
export function chartsOf(run) {
  const charts = [];
  for (const [key, panel] of Object.entries(run.charts ?? {})) {
    const config = panel?.panel_config ?? {};
    // The panel reads the summary's table named in its query; "<key>_table" by convention.
    let tableKey = `${key}_table`;
    for (const q of config.userQuery?.queryFields ?? []) {
      for (const f of q.fields ?? []) {
        const arg = f.name === 'summaryTable' && f.args?.find((a) => a.name === 'tableKey');
        if (arg?.value) tableKey = arg.value;
      }
    }
    charts.push({ key, id: config.panelDefId, fields: config.fieldSettings ?? {},
                  strings: config.stringSettings ?? {}, tableKey });
  }
  for (const [key, viz] of Object.entries(run.visualizations ?? {})) {
    charts.push({ key, id: viz?.id, fields: {}, strings: {}, tableKey: viz?.historyFieldSettings?.key ?? key });
  }
  return charts.sort((a, b) => a.key.localeCompare(b.key));
}

export class CustomChartPanel {
  constructor(ref, chart) {
    this.ref = ref;
    this.chart = chart;
    this.box = h('div', { class: 'vega-box' });
    this.el = h('div', { class: 'panel media-panel custom-chart', dataset: { key: chart.key, spec: chart.id ?? '' } },
                h('div', { class: 'panel-title' }, h('span', {}, chart.key), h('span', { class: 'panel-info muted mono' }, chart.id)),
                this.box);
    this.el.panel = this;
  }

  async load() {
    try {
      await this.draw();
    } catch (e) {
      clear(this.box, errorBox(e));
    }
  }

  async draw() {
    const { chart, ref } = this;
    const built = chartSpec(chart.id, chart.fields, chart.strings);
    if (!built) {
      // Not one of wandb's built-in specs: its table, so the data can still be seen.
      const table = new TablePanel(ref, chart.tableKey);
      clear(this.box, h('p', { class: 'muted' }, `${chart.id} is not a built-in chart; its table:`), table.el);
      return table.load();
    }
    // The chart's table: the latest value of its key (the summary's, as wandb's panel reads).
    const { steps } = await get(`${runApi(ref)}/media`, { key: chart.tableKey });
    const last = steps[steps.length - 1];
    if (last === this.shownStep) return;  // a live run's refresh: nothing new to draw
    const { value } = await get(`${runApi(ref)}/media`, { key: chart.tableKey, step: last });
    const table = await fetchTable(ref, value);
    const rows = rowsByRole(table, built.roles, built.columns);
    const spec = { ...built.spec, datasets: { table: rows } };
    const { embed, expr } = await loadVega();
    this.view?.finalize();
    const result = await embed(this.box, spec, { renderer: 'svg', actions: false, ast: true, expr });
    this.view = result.view;
    this.shownStep = last;
    this.el.vegaView = result.view;  // for the browser tests: what is drawn
  }

  dispose() {
    this.view?.finalize();
  }
}
