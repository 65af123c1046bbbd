// A three.js view of one 3-D object (a point cloud, a scene, a model): a WebGL canvas, a camera
// that OrbitControls turns (drag), zooms (wheel) and pans (right drag), a double click back to
// the first view, and text labels kept over points of the scene (a box's label). It draws only
// when something changed, not every frame, so a page of still clouds costs nothing.
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { h } from '../util.js';

const WIDTH = 480, HEIGHT = 340;
const BACKGROUND = 0x11151c;
// The first view looks at the centre from this side (a little turned, from above), as W&B's
// viewer opens.
const FIRST_YAW = -0.6, FIRST_PITCH = 0.45;

// Colours as logged: no sRGB conversion in or out, so a point logged (0, 255, 0) is drawn
// (0, 255, 0). The chunk holds the app's only three.js, so this setting is ours alone.
THREE.ColorManagement.enabled = false;

export class ThreeView {
  // `object`: what to show; `up`: 'z' (wandb's point clouds) or 'y' (meshes: glTF's and
  // most OBJ and STL files' convention); `labels`: [{text, at: [x, y, z], color}].
  constructor(object, { up = 'z', labels = [], kind = 'points-view' } = {}) {
    this.scene = new THREE.Scene();
    this.scene.background = new THREE.Color(BACKGROUND);
    this.scene.add(object);
    // preserveDrawingBuffer: the picture stays readable after it is shown (a screenshot, the
    // tests' pixel counts) at a small cost for a view drawn on demand.
    this.renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    this.renderer.outputColorSpace = THREE.LinearSRGBColorSpace;
    this.renderer.setPixelRatio(1);
    this.renderer.setSize(WIDTH, HEIGHT, false);
    this.canvas = this.renderer.domElement;
    this.canvas.classList.add(kind, 'three-view');
    this.camera = new THREE.PerspectiveCamera(45, WIDTH / HEIGHT, 0.01, 1000);
    this.camera.up.set(0, up === 'z' ? 0 : 1, up === 'z' ? 1 : 0);
    // A light that follows the camera, so a mesh is lit from wherever it is seen.
    this.scene.add(this.camera, new THREE.AmbientLight(0xffffff, 0.8));
    const light = new THREE.DirectionalLight(0xffffff, 2);
    light.position.set(0.5, 1, 2);
    this.camera.add(light);
    this.frame(object, up);
    this.controls = new OrbitControls(this.camera, this.canvas);
    this.controls.target.copy(this.centre);
    this.controls.update();
    this.controls.saveState();
    this.controls.addEventListener('change', () => this.redraw());
    this.canvas.addEventListener('dblclick', () => this.controls.reset());
    this.labels = labels.map((l) => ({ ...l, el: h('span', { class: 'view-label', style: `color: rgb(${l.color.join(',')})` }, l.text) }));
    this.el = h('div', { class: 'view-box' }, this.canvas, this.labels.map((l) => l.el));
    this.draw();
  }

  // The camera placed to see the whole object from the first view's side.
  frame(object, up) {
    const sphere = new THREE.Box3().setFromObject(object).getBoundingSphere(new THREE.Sphere());
    this.centre = sphere.isEmpty() ? new THREE.Vector3() : sphere.center;
    const radius = sphere.radius > 0 ? sphere.radius : 1;
    const distance = (1.1 * radius) / Math.sin(THREE.MathUtils.degToRad(this.camera.fov / 2));
    const side = new THREE.Vector3(Math.cos(FIRST_PITCH) * Math.sin(-FIRST_YAW), -Math.cos(FIRST_PITCH) * Math.cos(FIRST_YAW),
                                   Math.sin(FIRST_PITCH));
    // y up: the same view with y and z exchanged.
    if (up !== 'z') side.set(side.x, side.z, -side.y);
    this.camera.position.copy(this.centre).addScaledVector(side, distance);
    this.camera.near = distance / 100;
    this.camera.far = distance * 10;
    this.camera.updateProjectionMatrix();
    this.camera.lookAt(this.centre);
  }

  // One draw per frame however many events come.
  redraw() {
    if (this.pending || this.disposed) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = null;
      this.draw();
    });
  }

  draw() {
    this.renderer.render(this.scene, this.camera);
    this.placeLabels();
    this.canvas.dataset.draws = String(Number(this.canvas.dataset.draws ?? 0) + 1);
  }

  // Each label over its point, hidden when that point is behind the camera.
  placeLabels() {
    const at = new THREE.Vector3();
    for (const label of this.labels) {
      at.set(...label.at).project(this.camera);
      const visible = at.z < 1 && Math.abs(at.x) <= 1 && Math.abs(at.y) <= 1;
      label.el.hidden = !visible;
      if (visible) {
        label.el.style.left = `${((at.x + 1) / 2) * 100}%`;
        label.el.style.top = `${((1 - at.y) / 2) * 100}%`;
      }
    }
  }

  // Gives the WebGL context back: a browser keeps only a few per page.
  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    cancelAnimationFrame(this.pending);
    this.controls.dispose();
    this.scene.traverse((o) => {
      o.geometry?.dispose();
      for (const m of [o.material].flat()) m?.dispose();
    });
    this.renderer.dispose();
    this.renderer.forceContextLoss();
  }
}
