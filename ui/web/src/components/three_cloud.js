// A point cloud or lidar scene (point_cloud.js's reading of a .pts.json file) as three.js
// objects: the points in their colours, each box's 12 edges as line segments in its colour
// (box3d_edges.js finds them, as wandb gives the corners in no fixed order), each vector a
// white arrow. Returns the object and the boxes' labels for ThreeView to keep over them.
import * as THREE from 'three';
import { boxEdges } from './box3d_edges.js';

function points(scene) {
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(scene.positions, 3));
  geometry.setAttribute('color', new THREE.BufferAttribute(scene.colors, 3, true));  // 0..255 as 0..1
  // A fixed size in pixels, as W&B draws points: a far cloud stays visible.
  const material = new THREE.PointsMaterial({ size: 3, sizeAttenuation: false, vertexColors: true });
  return new THREE.Points(geometry, material);
}

function box(b, edges) {
  const at = [];
  for (const [i, j] of edges) at.push(...b.corners[i], ...b.corners[j]);
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.Float32BufferAttribute(at, 3));
  const color = new THREE.Color(...b.color.map((c) => c / 255));
  return new THREE.LineSegments(geometry, new THREE.LineBasicMaterial({ color }));
}

function arrow(v) {
  const start = new THREE.Vector3(...v.start), end = new THREE.Vector3(...v.end);
  const length = start.distanceTo(end);
  const direction = end.clone().sub(start).normalize();
  const head = Math.min(0.25 * length, 0.2 * length + 0.05);
  return new THREE.ArrowHelper(direction, start, length, 0xffffff, head, head * 0.5);
}

// {object, labels, edges}: `edges` the boxes' edges as pairs of corner indices.
export function cloudObject(scene) {
  const edges = scene.boxes.map((b) => boxEdges(b.corners));
  const group = new THREE.Group();
  group.add(points(scene));
  scene.boxes.forEach((b, i) => group.add(box(b, edges[i])));
  for (const v of scene.vectors) if (v.start.some((c, k) => c !== v.end[k])) group.add(arrow(v));
  // A box's label at its highest corner, as the old canvas view put it.
  const labels = scene.boxes.filter((b) => b.label).map((b) => ({
    text: b.label, color: b.color, at: b.corners.reduce((top, c) => (c[2] > top[2] ? c : top)) }));
  return { object: group, labels, edges };
}
