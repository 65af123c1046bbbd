// One group of an image's boxes (wandb's boxes2D) as an SVG layer over the image: a rectangle
// per box in its class's colour, labelled with its caption or its class's name. The layer
// fills the image's frame and places the boxes in percent of it, so it scales with the image
// while the labels keep a readable size.
import { svg } from '../util.js';
import { classColor, className } from './class_colors.js';

// A box's corners as fractions of the image: "pixel" boxes are divided by its size.
function fractions(box, width, height) {
  const p = box.position ?? {};
  const [w, h] = box.domain === 'pixel' ? [width, height] : [1, 1];
  return { x0: p.minX / w, x1: p.maxX / w, y0: p.minY / h, y1: p.maxY / h };
}

const percent = (f) => `${(f * 100).toFixed(3)}%`;

// What hovering a box says: its label, class and scores.
function tooltip(box, label, names) {
  const scores = Object.entries(box.scores ?? {}).map(([k, v]) => `${k} ${v}`);
  return [label, `${className(names, box.class_id)} (class ${box.class_id})`, ...scores].join(' · ');
}

function boxElement(box, width, height, names) {
  const { x0, x1, y0, y1 } = fractions(box, width, height);
  const color = classColor(box.class_id);
  const label = box.box_caption || className(names, box.class_id);
  // Above the box, unless that would leave the image: then just inside its top.
  const above = y0 > 0.1;
  return svg('g', { class: 'box', 'data-class': box.class_id },
             svg('title', {}, tooltip(box, label, names)),
             svg('rect', { x: percent(x0), y: percent(y0), width: percent(x1 - x0), height: percent(y1 - y0),
                           stroke: color }),
             svg('text', { x: percent(x0), y: percent(y0), dx: 2, dy: above ? -3 : 11, fill: color }, label));
}

// The layer of a group's boxes (`data`: the .boxes2D.json file's contents) over an image of
// `width` x `height` pixels, and the class ids it uses.
export function boxLayer(data, width, height, names) {
  const boxes = Array.isArray(data?.box_data) ? data.box_data : [];
  const layer = svg('svg', { class: 'overlay box-layer', width: '100%', height: '100%' },
                    boxes.map((box) => boxElement(box, width, height, names)));
  return { layer, classes: [...new Set(boxes.map((b) => b.class_id))] };
}
