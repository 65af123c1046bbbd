// A canvas that shows a point cloud (point_cloud.js) from a camera orbiting its centre: drag to
// turn it, the wheel to zoom, a double click to go back to the first view. A plain 2-D canvas
// is enough for what W&B's viewer is used for (a look at a cloud and its boxes): the points are
// projected orthographically into the canvas's pixels through a depth buffer, so nearer points
// hide farther ones, and farther ones are dimmed; a scene's boxes and arrows are lines over them.
import { h } from '../util.js';
import { boxEdges } from './box3d_edges.js';

const WIDTH = 480, HEIGHT = 340;
const BACKGROUND = [17, 21, 28];  // the canvas's colour where nothing is drawn
const FIRST_VIEW = { yaw: -0.6, pitch: 0.45, zoom: 1 };

// Every point drawn: the cloud's, the boxes' corners, the arrows' ends.
function* everyPoint(scene) {
  for (let i = 0; i < scene.count; i++) yield scene.positions.subarray(i * 3, i * 3 + 3);
  for (const b of scene.boxes) yield* b.corners;
  for (const v of scene.vectors) yield* [v.start, v.end];
}

// The centre of everything drawn (of its bounding box), and its radius around it. Loops, not
// Math.min(...points): a cloud may have more points than a call may take arguments.
function bounds(scene) {
  const low = [Infinity, Infinity, Infinity], high = [-Infinity, -Infinity, -Infinity];
  for (const p of everyPoint(scene)) {
    for (let k = 0; k < 3; k++) {
      low[k] = Math.min(low[k], p[k]);
      high[k] = Math.max(high[k], p[k]);
    }
  }
  if (low[0] === Infinity) return { centre: [0, 0, 0], radius: 1 };
  const centre = low.map((l, k) => (l + high[k]) / 2);
  let radius = 1e-9;
  for (const p of everyPoint(scene)) {
    radius = Math.max(radius, Math.hypot(p[0] - centre[0], p[1] - centre[1], p[2] - centre[2]));
  }
  return { centre, radius };
}

export class PointCloudView {
  constructor(scene) {
    this.scene = scene;
    this.edges = scene.boxes.map((b) => boxEdges(b.corners));
    Object.assign(this, bounds(scene), FIRST_VIEW);
    this.canvas = h('canvas', { class: 'points-view', width: WIDTH, height: HEIGHT, dataset: { points: scene.count } });
    this.canvas.view = this;  // for the browser tests
    this.listen();
    this.draw();
  }

  listen() {
    let last = null;
    const c = this.canvas;
    c.addEventListener('pointerdown', (e) => {
      last = [e.clientX, e.clientY];
      c.setPointerCapture(e.pointerId);
    });
    for (const end of ['pointerup', 'pointercancel']) c.addEventListener(end, () => { last = null; });
    c.addEventListener('pointermove', (e) => {
      if (!last) return;
      this.yaw += (e.clientX - last[0]) * 0.01;
      this.pitch = Math.max(-Math.PI / 2, Math.min(Math.PI / 2, this.pitch + (e.clientY - last[1]) * 0.01));
      last = [e.clientX, e.clientY];
      this.redraw();
    });
    c.addEventListener('wheel', (e) => {
      e.preventDefault();  // zoom the cloud, not scroll the page
      this.zoom = Math.max(0.2, Math.min(50, this.zoom * Math.exp(-e.deltaY * 0.002)));
      this.redraw();
    }, { passive: false });
    c.addEventListener('dblclick', () => {
      Object.assign(this, FIRST_VIEW);
      this.redraw();
    });
  }

  // One draw per frame however many events come.
  redraw() {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = null;
      this.draw();
    });
  }

  // A point's place on the canvas and its depth (larger: farther), seen from the camera: turned
  // by `yaw` about z (up), then tilted by `pitch` to look down on the cloud.
  project(x, y, z) {
    const { scale, cosY, sinY, cosP, sinP } = this.camera;
    const dx = x - this.centre[0], dy = y - this.centre[1], dz = z - this.centre[2];
    const x1 = dx * cosY - dy * sinY, y1 = dx * sinY + dy * cosY;
    const depth = y1 * cosP - dz * sinP, up = y1 * sinP + dz * cosP;
    return [WIDTH / 2 + scale * x1, HEIGHT / 2 - scale * up, depth];
  }

  draw() {
    this.camera = { scale: this.zoom * Math.min(WIDTH, HEIGHT) / (2.1 * this.radius),
                    cosY: Math.cos(this.yaw), sinY: Math.sin(this.yaw),
                    cosP: Math.cos(this.pitch), sinP: Math.sin(this.pitch) };
    const context = this.canvas.getContext('2d');
    context.putImageData(this.drawPoints(context.createImageData(WIDTH, HEIGHT)), 0, 0);
    this.drawBoxes(context);
    this.drawVectors(context);
  }

  // Each point a 2 x 2 square, nearer points over farther ones.
  drawPoints(image) {
    const { positions, colors, count } = this.scene;
    const depths = new Float32Array(WIDTH * HEIGHT).fill(Infinity);
    const px = image.data;
    const [r, g, b] = BACKGROUND;
    for (let i = 0; i < px.length; i += 4) {
      px[i] = r;
      px[i + 1] = g;
      px[i + 2] = b;
      px[i + 3] = 255;
    }
    for (let i = 0; i < count; i++) {
      const [sx, sy, depth] = this.project(positions[i * 3], positions[i * 3 + 1], positions[i * 3 + 2]);
      const dim = 1 - 0.4 * Math.max(0, Math.min(1, (depth + this.radius) / (2 * this.radius)));
      const left = Math.floor(sx), top = Math.floor(sy);
      for (let y = Math.max(0, top); y < Math.min(HEIGHT, top + 2); y++) {
        for (let x = Math.max(0, left); x < Math.min(WIDTH, left + 2); x++) {
          if (depths[y * WIDTH + x] <= depth) continue;
          depths[y * WIDTH + x] = depth;
          const at = (y * WIDTH + x) * 4;
          for (let k = 0; k < 3; k++) px[at + k] = colors[i * 3 + k] * dim;
        }
      }
    }
    return image;
  }

  drawBoxes(context) {
    context.lineWidth = 1.5;
    context.font = '600 12px system-ui, sans-serif';
    this.scene.boxes.forEach((box, b) => {
      const corners = box.corners.map((p) => this.project(...p));
      context.strokeStyle = context.fillStyle = `rgb(${box.color.join(',')})`;
      context.beginPath();
      for (const [i, j] of this.edges[b]) {
        context.moveTo(corners[i][0], corners[i][1]);
        context.lineTo(corners[j][0], corners[j][1]);
      }
      context.stroke();
      const top = corners.reduce((a, c) => (c[1] < a[1] ? c : a));
      if (box.label) context.fillText(box.label, top[0] + 3, top[1] - 4);
    });
  }

  // Arrows, in white, their heads drawn on the canvas.
  drawVectors(context) {
    context.strokeStyle = '#fff';
    context.lineWidth = 1.5;
    for (const v of this.scene.vectors) {
      const [x0, y0] = this.project(...v.start), [x1, y1] = this.project(...v.end);
      const angle = Math.atan2(y1 - y0, x1 - x0);
      context.beginPath();
      context.moveTo(x0, y0);
      context.lineTo(x1, y1);
      for (const side of [-1, 1]) {
        context.moveTo(x1, y1);
        context.lineTo(x1 - 8 * Math.cos(angle + side * 0.45), y1 - 8 * Math.sin(angle + side * 0.45));
      }
      context.stroke();
    }
  }
}
