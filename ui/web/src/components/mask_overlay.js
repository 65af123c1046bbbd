// One of an image's masks (wandb's ImageMask: an 8-bit grey PNG, a class id per pixel) as a
// canvas over the image, each pixel in its class's colour, class 0 included (as W&B colours
// it: a user hides what they do not want to see). The canvas is the mask's size and is
// stretched over the image by CSS, which also makes it see-through.
import { h } from '../util.js';
import { classRgb } from './class_colors.js';

// The mask's class ids, one a pixel. Decoded without colour management, which would change
// the grey levels and with them the ids.
async function classIds(url) {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`mask: ${response.status} ${response.statusText}`);
  const bitmap = await createImageBitmap(await response.blob(),
                                         { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const canvas = h('canvas', { width: bitmap.width, height: bitmap.height });
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0);
  const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
  const ids = new Uint8Array(bitmap.width * bitmap.height);
  for (let i = 0; i < ids.length; i++) ids[i] = data[i * 4];
  return { ids, width: bitmap.width, height: bitmap.height };
}

// The layer of the mask at `url`, and the class ids it holds.
export async function maskLayer(url) {
  const { ids, width, height } = await classIds(url);
  const layer = h('canvas', { class: 'overlay mask-layer', width, height });
  const context = layer.getContext('2d');
  const pixels = context.createImageData(width, height);
  const colors = Array.from({ length: 256 }, (_, id) => classRgb(id));
  const present = new Set();
  for (let i = 0, j = 0; i < ids.length; i++, j += 4) {
    const [r, g, b] = colors[ids[i]];
    pixels.data[j] = r;
    pixels.data[j + 1] = g;
    pixels.data[j + 2] = b;
    pixels.data[j + 3] = 255;
    present.add(ids[i]);
  }
  context.putImageData(pixels, 0, 0);
  return { layer, classes: [...present].sort((a, b) => a - b) };
}
