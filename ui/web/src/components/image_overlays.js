// The boxes and masks of one image (wandb's "boxes" and "masks", each {group: file}), each
// group's layer made from its file, for the image panel to lay over the image and to list in
// its legend. A group whose file fails is listed with its error; the image is shown anyway.
import { get, runFileUrl } from '../api.js';
import { boxLayer } from './box_overlay.js';
import { maskLayer } from './mask_overlay.js';
import { classNames } from './class_colors.js';

// [[kind, group, file]] of an image's groups of one kind ("boxes" or "masks").
const groupsOf = (groups, kind) =>
  Object.entries(groups ?? {}).filter(([, file]) => file?.path).map(([group, file]) => [kind, group, file]);

// Boxes in pixels need the image's size: `sized` resolves to the decoded <img>.
async function boxes(ref, key, group, file, sized, configLabels) {
  const [data, img] = await Promise.all([get(runFileUrl(ref, file.path)), sized]);
  const names = classNames(configLabels?.boxes, key, group, data?.class_labels);
  return { names, ...boxLayer(data, img.naturalWidth, img.naturalHeight, names) };
}

async function mask(ref, key, group, file, configLabels) {
  return { names: classNames(configLabels?.masks, key, group), ...(await maskLayer(runFileUrl(ref, file.path))) };
}

// The image's overlays, masks first so that the boxes are drawn over them:
// [{kind, group, layer, classes, names}], or {kind, group, error} for a file that failed.
// `classLabels`: the run's ({boxes, masks}, wandb's names by key and group).
export function loadOverlays(ref, key, image, sized, classLabels) {
  const groups = [...groupsOf(image.masks, 'masks'), ...groupsOf(image.boxes, 'boxes')];
  return Promise.all(groups.map(async ([kind, group, file]) => {
    try {
      const overlay = kind === 'boxes'
        ? await boxes(ref, key, group, file, sized, classLabels)
        : await mask(ref, key, group, file, classLabels);
      overlay.layer.setAttribute('data-group', group);
      return { kind, group, ...overlay };
    } catch (e) {
      return { kind, group, error: e.message ?? String(e) };
    }
  }));
}
