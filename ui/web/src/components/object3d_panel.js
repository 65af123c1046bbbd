// A 3-D panel: one media key's 3-D objects (wandb::Object3D: "object3D-file", or a list:
// "object3D"), with the step slider (StepPanel). A point cloud or scene (.pts.json) and a model
// file (.obj, .stl, .gltf, .glb) are drawn with three.js (three_scene.js, loaded on demand);
// every model file is also offered for download, and a .babylon file only that. Without WebGL
// the panel says so, and the files stay downloadable.
import { get, runFileUrl, runFileDownloadUrl } from '../api.js';
import { h, errorBox, formatBytes } from '../util.js';
import { StepPanel, captioned } from './step_panel.js';
import { readPointCloud } from './point_cloud.js';
import { hasWebGL } from './webgl_support.js';

let three = null;
const loadThree = () => (three ??= import('./three_scene.js'));

// The objects of one media value: [{path, size, caption}]. A list holds each object's JSON, and
// its files' names within media/object3D/ (wandb's Object3D.seq_to_json).
function objectsOf(value) {
  if (value?._type === 'object3D-file') return [value];
  if (value?._type !== 'object3D') return [];
  const objects = Array.isArray(value.objects)
    ? value.objects
    : (value.filenames ?? []).map((name) => ({ path: name && `media/object3D/${name}` }));
  return objects.filter((o) => typeof o?.path === 'string');
}

const baseName = (path) => path.slice(path.lastIndexOf('/') + 1);
const isCloud = (path) => /\.pts\.json$/i.test(path);
// The model files three.js draws (three_models.js); a .babylon file is only a download.
const DRAWN_MODEL = /\.(obj|stl|gltf|glb)$/i;
const noWebGL = () => h('p', { class: 'muted no-webgl' },
                        'No 3-D view: this browser has no WebGL (turned off, or its graphics driver is blocked).');

async function fetchBytes(url) {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  return response.arrayBuffer();
}

export class Object3DPanel extends StepPanel {
  constructor(ref, key, summaryValue = undefined) {
    super('object3d-panel', ref, key, summaryValue);
    this.views = [];  // the three.js views shown, each holding a WebGL context
  }

  // Each object is drawn (or has failed) before the step is shown; the views of the step shown
  // before give their WebGL contexts back once it is replaced.
  render(value) {
    const shown = objectsOf(value).map((o) => (isCloud(o.path) ? this.cloud(o) : this.model(o)));
    let views = [];
    const ready = Promise.all(shown.map((s) => s.ready)).then((list) => { views = list.filter(Boolean); });
    return {
      elements: shown.map((s) => s.figure), ready, empty: 'no 3-D object',
      shown: () => {
        this.dispose();
        this.views = views;
      },
      dropped: () => views.forEach((v) => v.dispose()),
    };
  }

  cloud(object) {
    const box = h('div', { class: 'points-box' });
    if (!hasWebGL()) {
      box.append(noWebGL());
      return { figure: captioned(box, object.caption), ready: Promise.resolve(null) };
    }
    const ready = Promise.all([get(runFileUrl(this.ref, object.path)), loadThree()])
      .then(([json, { cloudView }]) => {
        const view = cloudView(readPointCloud(json));
        box.append(view.el);
        return view;
      })
      .catch((e) => {
        box.append(errorBox(e));
        return null;
      });
    return { figure: captioned(box, object.caption), ready };
  }

  model(object) {
    const name = baseName(object.path);
    const link = h('a', { href: runFileDownloadUrl(this.ref, object.path), download: name, class: 'model-file' }, name);
    const size = Number.isFinite(object.size) ? ` ${formatBytes(object.size)}` : '';
    const box = h('div', { class: 'points-box' });
    const figure = captioned(h('div', {}, box, h('p', {}, link, h('span', { class: 'muted' }, size))), object.caption);
    let ready;
    if (!DRAWN_MODEL.test(object.path)) {
      box.append(h('p', { class: 'muted' }, 'a model file of a kind not drawn here: download it to view it'));
      ready = Promise.resolve(null);
    } else if (!hasWebGL()) {
      box.append(noWebGL());
      ready = Promise.resolve(null);
    } else {
      ready = Promise.all([loadThree(), fetchBytes(runFileUrl(this.ref, object.path))])
        .then(async ([{ modelView }, bytes]) => {
          const view = await modelView(object.path, bytes);
          box.append(view.el);
          return view;
        })
        .catch((e) => {
          box.append(errorBox(e));
          return null;
        });
    }
    return { figure, ready };
  }

  dispose() {
    for (const view of this.views) view.dispose();
    this.views = [];
  }
}
