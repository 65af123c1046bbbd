// A version's lineage as a small left-to-right graph (SVG):
//   what its makers used -> the runs that logged it -> the version -> the runs that used it
//   -> what those runs logged
// one step beyond its own runs each way, as W&B's lineage tab opens. Every node links to its
// run's or version's page. Five fixed columns need no layout library: each column's nodes are
// stacked and centred, and an edge is a curve from one column to the next.
import { runPage, artifactPage } from '../api.js';
import { h, svg, formatBytes } from '../util.js';

const NODE_W = 200, NODE_H = 44, COL_GAP = 64, ROW_GAP = 14, PAD = 8, MAX_CHARS = 27;

const runKey = (r) => `run:${r.entity}/${r.project}/${r.id}`;
const versionKey = (v) => `artifact:${v.entity}/${v.project}/${v.name}:${v.version}`;

function runNode(r) {
  return { key: runKey(r), kind: 'run', href: runPage(r.entity, r.project, r.id),
           title: r.name, subtitle: `run ${r.id} · ${r.state}` };
}

function versionNode(v, current = false) {
  return { key: versionKey(v), kind: 'artifact', current, href: artifactPage(v, v.version),
           title: `${v.name}:${v.version}`, subtitle: `${v.type} · ${formatBytes(v.size)}` };
}

// The columns of nodes and the edges between them, each node once.
export function lineageModel(v) {
  const { logged_by: makers, used_by: users } = v.lineage;
  const self = versionKey(v);
  const columns = [[], [], [versionNode(v, true)], [], []];
  const seen = new Set([self]);
  const edges = [];
  const add = (column, node) => {
    if (!seen.has(node.key)) {
      seen.add(node.key);
      columns[column].push(node);
    }
  };
  const link = (from, to) => {
    if (!edges.some((e) => e.from === from && e.to === to)) edges.push({ from, to });
  };
  for (const run of makers) {
    add(1, runNode(run));
    link(runKey(run), self);
    for (const input of run.used) {
      add(0, versionNode(input));
      link(versionKey(input), runKey(run));
    }
  }
  for (const run of users) {
    add(3, runNode(run));
    link(self, runKey(run));
    for (const output of run.logged) {
      if (versionKey(output) === self) continue;
      add(4, versionNode(output));
      link(runKey(run), versionKey(output));
    }
  }
  return { columns: columns.filter((c, i) => c.length || i === 2), edges };
}

const clip = (text) => (text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text);

export function showLineage(v) {
  const { columns, edges } = lineageModel(v);
  const rows = Math.max(...columns.map((c) => c.length));
  const width = columns.length * NODE_W + (columns.length - 1) * COL_GAP + 2 * PAD;
  const height = rows * NODE_H + (rows - 1) * ROW_GAP + 2 * PAD;
  const at = new Map();  // node key -> its box's top-left corner
  columns.forEach((column, c) => {
    const top = (height - (column.length * NODE_H + (column.length - 1) * ROW_GAP)) / 2;
    column.forEach((node, r) => at.set(node.key, { x: PAD + c * (NODE_W + COL_GAP), y: top + r * (NODE_H + ROW_GAP) }));
  });
  const arrow = svg('marker', { id: 'lineage-arrow', viewBox: '0 0 8 8', refX: 8, refY: 4,
                                markerWidth: 8, markerHeight: 8, orient: 'auto' },
                    svg('path', { d: 'M0,0 L8,4 L0,8 z', class: 'lineage-arrowhead' }));
  const paths = edges.map(({ from, to }) => {
    const a = at.get(from), b = at.get(to);
    const x1 = a.x + NODE_W, y1 = a.y + NODE_H / 2, x2 = b.x, y2 = b.y + NODE_H / 2;
    const bend = COL_GAP / 2;
    return svg('path', { class: 'edge', 'data-from': from, 'data-to': to, 'marker-end': 'url(#lineage-arrow)',
                         d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}` });
  });
  const nodes = columns.flat().map((node) => {
    const { x, y } = at.get(node.key);
    return svg('a', { href: node.href, class: `node ${node.kind}${node.current ? ' current' : ''}`, 'data-key': node.key },
      svg('title', {}, `${node.title}\n${node.subtitle}`),
      svg('rect', { x, y, width: NODE_W, height: NODE_H, rx: 6 }),
      svg('text', { x: x + 10, y: y + 18, class: 'node-title' }, clip(node.title)),
      svg('text', { x: x + 10, y: y + 35, class: 'node-subtitle' }, clip(node.subtitle)));
  });
  const graph = svg('svg', { id: 'lineage', width, height, viewBox: `0 0 ${width} ${height}` },
                    svg('defs', {}, arrow), paths, nodes);
  const empty = edges.length === 0
    ? h('p', { class: 'muted' }, 'No run that logged or used this version is in the store.') : null;
  return h('div', { class: 'lineage' }, graph, empty);
}
