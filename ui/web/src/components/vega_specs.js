// Vega-Lite specs of our own for wandb's built-in custom-chart ids (wandb.plot.*,
// plot_table with a built-in id). The panel's fieldSettings map each role of a chart (x, y,
// stroke, ...) to a column of its table; the rows handed to these specs are already keyed by
// role, so a column name never has to be escaped for Vega-Lite, and the axes are titled with
// the column names.
//
// chartSpec(id, fieldSettings, stringSettings) -> {roles: [role...], spec} or null for an id
// that is not built in.

const BASE = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 'container',
  height: 220,
  data: { name: 'table' },
  autosize: { type: 'fit', contains: 'padding' },
};

const q = (role, title, extra = {}) => ({ field: role, type: 'quantitative', title, ...extra });
const n = (role, title, extra = {}) => ({ field: role, type: 'nominal', title, ...extra });

function titled(spec, strings) {
  const title = strings.title;
  return title ? { ...spec, title } : spec;
}

const BUILDERS = {
  // y against x, one line per value of the optional stroke column.
  'wandb/line/v0': (f) => ({
    roles: ['x', 'y', 'stroke'],
    spec: {
      mark: { type: 'line', point: false },
      encoding: {
        x: q('x', f.x), y: q('y', f.y),
        ...(f.stroke ? { color: n('stroke', f.stroke) } : {}),
      },
    },
  }),
  'wandb/scatter/v0': (f) => ({
    roles: ['x', 'y'],
    spec: { mark: { type: 'point', filled: true }, encoding: { x: q('x', f.x), y: q('y', f.y) } },
  }),
  // One horizontal bar per row.
  'wandb/bar/v0': (f) => ({
    roles: ['label', 'value'],
    spec: { mark: 'bar', encoding: { y: n('label', f.label, { sort: null }), x: q('value', f.value) } },
  }),
  'wandb/histogram/v0': (f) => ({
    roles: ['value'],
    spec: {
      mark: 'bar',
      encoding: { x: q('value', f.value, { bin: { maxbins: 30 } }), y: { aggregate: 'count', title: 'count' } },
    },
  }),
  // PR and ROC curves: a line per class.
  'wandb/area-under-curve/v0': (f, s) => ({
    roles: ['x', 'y', 'class'],
    spec: {
      mark: 'line',
      encoding: {
        x: q('x', s['x-axis-title'] ?? f.x, { scale: { domain: [0, 1] } }),
        y: q('y', s['y-axis-title'] ?? f.y, { scale: { domain: [0, 1] } }),
        color: n('class', f.class),
        order: { field: 'x' },
      },
    },
  }),
  // The older pr_curve id (wandb.plots.precision_recall): recall against precision per class.
  'wandb/pr_curve/v1': (f, s) => BUILDERS['wandb/area-under-curve/v0'](f, s),
  'wandb/lineseries/v0': (f, s) => ({
    roles: ['step', 'lineKey', 'lineVal'],
    spec: {
      mark: 'line',
      encoding: { x: q('step', s.xname ?? f.step), y: q('lineVal', f.lineVal), color: n('lineKey', f.lineKey) },
    },
  }),
  // A heat map of counts with the count written in each cell.
  'wandb/confusion_matrix/v1': (f) => ({
    roles: ['Actual', 'Predicted', 'nPredictions'],
    spec: {
      encoding: { x: n('Predicted', f.Predicted), y: n('Actual', f.Actual) },
      layer: [
        { mark: 'rect', encoding: { color: q('nPredictions', f.nPredictions, { scale: { scheme: 'blues' } }) } },
        { mark: { type: 'text', fontSize: 11 }, encoding: { text: q('nPredictions') } },
      ],
    },
  }),
};

// The older wandb.visualize ids name their columns themselves.
const DEFAULT_FIELDS = { 'wandb/pr_curve/v1': { x: 'recall', y: 'precision', class: 'class' } };

export const BUILT_IN_IDS = Object.keys(BUILDERS);

export function chartSpec(id, fieldSettings = {}, stringSettings = {}) {
  const build = BUILDERS[id];
  if (!build) return null;
  const fields = { ...(DEFAULT_FIELDS[id] ?? {}), ...fieldSettings };
  const strings = Object.fromEntries(Object.entries(stringSettings ?? {}).filter(([, v]) => v !== null && v !== undefined));
  const { roles, spec } = build(fields, strings);
  return { roles, columns: fields, spec: titled({ ...BASE, ...spec }, strings) };
}

// The table's rows as objects keyed by role: {x: row[column of x], ...}.
export function rowsByRole(table, roles, columns) {
  const index = Object.fromEntries(roles.map((r) => [r, table.columns.indexOf(columns[r] ?? r)]));
  const missing = roles.filter((r) => columns[r] && index[r] < 0);
  if (missing.length) {
    throw new Error(`the table has no column ${missing.map((r) => `'${columns[r]}'`).join(', ')}`);
  }
  return table.data.map((row) => Object.fromEntries(
    roles.filter((r) => index[r] >= 0).map((r) => [r, row[index[r]]])));
}
