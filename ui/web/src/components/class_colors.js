// The colour of each class id, shared by the image overlays (boxes, masks) and the 3-D
// panel's point categories, and the names the classes of an image's group are shown by.

// Distinct, saturated colours that read over photos and a dark 3-D background alike.
const PALETTE = [
  [230, 25, 75], [60, 180, 75], [255, 225, 25], [0, 130, 200], [245, 130, 48],
  [145, 30, 180], [70, 240, 240], [240, 50, 230], [210, 245, 60], [250, 190, 212],
  [0, 128, 128], [220, 190, 255], [170, 110, 40], [255, 250, 200], [128, 0, 0],
  [170, 255, 195], [128, 128, 0], [255, 215, 180], [0, 0, 128], [128, 128, 128],
];

// [r, g, b] of a class id (any integer: the palette repeats).
export function classRgb(id) {
  const n = PALETTE.length;
  return PALETTE[((Math.trunc(id) % n) + n) % n];
}

export function classColor(id) {
  return `rgb(${classRgb(id).join(',')})`;
}

// The names of a group's classes, {"1": "cat"}: those its own file gives (a box file's
// class_labels), else those the run's config holds for it (wandb keeps them under
// "<key>_wandb_delimeter_<group>", a nested key by its innermost part, run.class_labels.boxes
// or .masks), else none (a class is then shown as class_<id>, as wandb names it).
export function classNames(configLabels, key, group, own) {
  if (own && typeof own === 'object' && Object.keys(own).length) return own;
  const innermost = key.slice(key.lastIndexOf('.') + 1);
  for (const k of [key, innermost]) {
    const entry = configLabels?.[`${k}_wandb_delimeter_${group}`];
    if (entry?.value && typeof entry.value === 'object') return entry.value;
  }
  return {};
}

export const className = (names, id) => names[String(id)] ?? `class_${id}`;
