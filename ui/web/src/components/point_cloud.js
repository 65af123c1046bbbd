// wandb's .pts.json (what wandb::Object3D writes) read into what the 3-D view draws: a list of
// points, [x, y, z], [x, y, z, category] (1..14) or [x, y, z, r, g, b] (0..255), or a scene
// {type: "lidar/beta", points, boxes: [{corners: 8 x [x, y, z], label, color}], vectors:
// [{start, end}]}.
import { classRgb } from './class_colors.js';

const finite3 = (p) => Array.isArray(p) && p.length >= 3 && p.slice(0, 3).every(Number.isFinite);
const clamp255 = (v) => Math.max(0, Math.min(255, Math.round(v)));

// Points without a colour of their own are coloured by height (z), blue low to amber high,
// which shows the cloud's shape from any side.
function heightRgb(t) {
  return [Math.round(70 + 185 * t), Math.round(130 + 70 * t), Math.round(255 - 175 * t)];
}

function pointColor(p, lowZ, spanZ) {
  if (p.length >= 6) return [clamp255(p[3]), clamp255(p[4]), clamp255(p[5])];
  if (p.length === 4) return classRgb(p[3]);
  return heightRgb(spanZ > 0 ? (p[2] - lowZ) / spanZ : 0.5);
}

// {positions: Float32Array of x y z, colors: Uint8Array of r g b, count}.
function readPoints(list) {
  const points = (Array.isArray(list) ? list : []).filter(finite3);
  let lowZ = Infinity, highZ = -Infinity;
  for (const p of points) {
    lowZ = Math.min(lowZ, p[2]);
    highZ = Math.max(highZ, p[2]);
  }
  const positions = new Float32Array(points.length * 3);
  const colors = new Uint8Array(points.length * 3);
  points.forEach((p, i) => {
    positions.set(p.slice(0, 3), i * 3);
    colors.set(pointColor(p, lowZ, highZ - lowZ), i * 3);
  });
  return { positions, colors, count: points.length };
}

const readBox = (b) => ({
  corners: b.corners.slice(0, 8),
  label: typeof b.label === 'string' ? b.label : '',
  color: Array.isArray(b.color) ? b.color.slice(0, 3).map(clamp255) : [255, 255, 255],
});

// The drawable scene of a .pts.json file's contents: {positions, colors, count, boxes, vectors}.
export function readPointCloud(json) {
  const scene = Array.isArray(json) ? { points: json } : (json ?? {});
  const boxes = (Array.isArray(scene.boxes) ? scene.boxes : [])
    .filter((b) => Array.isArray(b?.corners) && b.corners.length >= 8 && b.corners.slice(0, 8).every(finite3))
    .map(readBox);
  const vectors = (Array.isArray(scene.vectors) ? scene.vectors : [])
    .filter((v) => finite3(v?.start) && finite3(v?.end));
  return { ...readPoints(scene.points), boxes, vectors };
}
