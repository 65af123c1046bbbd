// The legend of the overlays of an image panel's step: a checkbox per group (a group of boxes
// or a mask, by name) that shows or hides its layers over every image of the step, with the
// group's classes in their colours. What the user hid stays hidden at the other steps.
import { h, clear } from '../util.js';
import { classColor, className } from './class_colors.js';

// The step's overlays by group: {id, kind, group, layers, classes, names, errors}.
function byGroup(overlays) {
  const groups = new Map();
  for (const o of overlays) {
    const id = `${o.kind}:${o.group}`;
    if (!groups.has(id)) {
      groups.set(id, { id, kind: o.kind, group: o.group, layers: [], classes: new Set(), names: {}, errors: [] });
    }
    const g = groups.get(id);
    if (o.error) g.errors.push(o.error);
    if (o.layer) g.layers.push(o.layer);
    for (const c of o.classes ?? []) g.classes.add(c);
    Object.assign(g.names, o.names);
  }
  return [...groups.values()];
}

const swatch = (id, names) => h('span', { class: 'class-swatch', dataset: { class: id } },
                                 h('i', { style: `background: ${classColor(id)}` }), className(names, id));

function row(g, hidden) {
  const show = (on) => {
    for (const layer of g.layers) layer.style.display = on ? '' : 'none';
    if (on) hidden.delete(g.id);
    else hidden.add(g.id);
  };
  const box = h('input', { type: 'checkbox', checked: !hidden.has(g.id), dataset: { group: g.id },
                           onchange: (e) => show(e.target.checked) });
  show(box.checked);
  const classes = [...g.classes].sort((a, b) => a - b).map((id) => swatch(id, g.names));
  return h('div', { class: 'overlay-group' },
           h('label', { class: 'check' }, box, g.group, h('span', { class: 'muted' }, g.kind === 'boxes' ? ' boxes' : ' mask')),
           classes, g.errors.map((e) => h('span', { class: 'muted' }, ` (${e})`)));
}

// Fills `legend` with a row per group of `overlays`; `hidden`: the ids of the groups hidden.
export function showLegend(legend, overlays, hidden) {
  clear(legend, byGroup(overlays).map((g) => row(g, hidden)));
}
