// The 3-D panel's views, drawn with three.js: what object3d_panel.js imports on demand, so that
// three.js is a chunk of its own (build.mjs splits it) that only a run with 3-D objects loads.
import { ThreeView } from './three_view.js';
import { cloudObject } from './three_cloud.js';
import { parseModel, formatOf } from './three_models.js';

// The view of a point cloud or scene as point_cloud.js reads it. For the browser tests, the
// canvas keeps its view (`view.scene`: what was read, `view.edges`: each box's edges).
export function cloudView(scene) {
  const { object, labels, edges } = cloudObject(scene);
  const view = new ThreeView(object, { up: 'z', labels, kind: 'points-view' });
  Object.assign(view, { cloud: scene, edges });
  view.canvas.dataset.points = String(scene.count);
  view.canvas.view = view;
  return view;
}

// The view of a model file's bytes, or null when its format is not drawn (.babylon).
export async function modelView(path, bytes) {
  const format = formatOf(path);
  if (!format) return null;
  const view = new ThreeView(await parseModel(format, bytes), { up: 'y', kind: 'model-view' });
  view.canvas.dataset.format = format;
  view.canvas.view = view;
  return view;
}
