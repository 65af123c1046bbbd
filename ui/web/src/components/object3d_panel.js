// A 3-D panel: one media key's 3-D objects (wandb::Object3D: "object3D-file", or a list:
// "object3D"), with the step slider (StepPanel). A point cloud or scene (.pts.json) is drawn
// in a view that orbits (point_cloud_view.js); a model file (.obj, .gltf, .glb, .babylon, .stl)
// is offered by its name for download, as the app has no mesh viewer.
import { get, runFileUrl, runFileDownloadUrl } from '../api.js';
import { h, errorBox, formatBytes } from '../util.js';
import { StepPanel, captioned } from './step_panel.js';
import { readPointCloud } from './point_cloud.js';
import { PointCloudView } from './point_cloud_view.js';

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

export class Object3DPanel extends StepPanel {
  constructor(ref, key, summaryValue = undefined) {
    super('object3d-panel', ref, key, summaryValue);
  }

  // A cloud is drawn once its file is read; a model's link is shown at once.
  render(value) {
    const shown = objectsOf(value).map((o) => (/\.pts\.json$/i.test(o.path) ? this.cloud(o) : this.model(o)));
    return { elements: shown.map((s) => s.figure), ready: Promise.all(shown.map((s) => s.ready)),
             empty: 'no 3-D object' };
  }

  cloud(object) {
    const box = h('div', { class: 'points-box' });
    const ready = get(runFileUrl(this.ref, object.path))
      .then((json) => box.append(new PointCloudView(readPointCloud(json)).canvas))
      .catch((e) => box.append(errorBox(e)));
    return { figure: captioned(box, object.caption), ready };
  }

  model(object) {
    const name = baseName(object.path);
    const link = h('a', { href: runFileDownloadUrl(this.ref, object.path), download: name, class: 'model-file' }, name);
    const size = Number.isFinite(object.size) ? ` ${formatBytes(object.size)}` : '';
    const note = h('span', { class: 'muted' }, `${size} · a model file, not drawn here: download it to view it`);
    return { figure: captioned(h('p', {}, link, note), object.caption), ready: Promise.resolve() };
  }
}
