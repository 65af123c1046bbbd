// One histogram (wandb's {bins, values}: n + 1 edges and n counts) drawn as bars on a canvas:
// x the value, y the count, each bin a bar as wide as it is. What the histogram panel shows for
// a histogram set only in the summary, which has no steps to draw a heat map over.
import { formatNumber } from '../util.js';

const HEIGHT = 200;
const AXIS = 42;  // pixels left of the bars for the count axis
const BOTTOM = 16;  // pixels under the bars for the value axis
const BAR = '#3b6fb6';

// [{lo, hi, count}] of the bins that make sense (finite edges, in order, a count >= 0).
export function binsOf(hist) {
  const { values = [], bins = [] } = hist ?? {};
  const out = [];
  for (let j = 0; j < values.length && j + 1 < bins.length; j++) {
    const lo = Number(bins[j]), hi = Number(bins[j + 1]), count = Number(values[j]);
    if (Number.isFinite(lo) && Number.isFinite(hi) && hi >= lo && count >= 0) out.push({ lo, hi, count });
  }
  return out;
}

// Draws `hist` on `canvas`, `width` CSS pixels wide; returns what a hover needs to name the bin
// under the pointer ({binAt(x)}), or null when the histogram has no bins.
export function drawBars(canvas, hist, width) {
  const bins = binsOf(hist);
  if (!bins.length) return null;
  const lo = bins[0].lo;
  const hi = Math.max(bins[bins.length - 1].hi, lo + 1e-12);
  const top = Math.max(...bins.map((b) => b.count)) || 1;
  const ratio = window.devicePixelRatio || 1;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${HEIGHT}px`;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(HEIGHT * ratio);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, HEIGHT);
  const plot = { width: width - AXIS, height: HEIGHT - BOTTOM };
  const xOf = (v) => AXIS + ((v - lo) / (hi - lo)) * plot.width;
  ctx.fillStyle = BAR;
  for (const b of bins) {
    const h = (b.count / top) * plot.height;
    // A bin of zero width (all values equal) still shows as a line.
    const x0 = xOf(b.lo), w = Math.max(1, xOf(b.hi) - x0 - 1);
    ctx.fillRect(x0, plot.height - h, w, h);
  }
  ctx.fillStyle = '#6b7785';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.fillText(formatNumber(top), 2, 2);
  ctx.fillText(formatNumber(lo), AXIS, plot.height + 3);
  ctx.textAlign = 'right';
  ctx.fillText(formatNumber(hi), width - 2, plot.height + 3);
  canvas.dataset.bars = String(bins.length);
  return { binAt: (x) => bins.find((b) => x >= xOf(b.lo) && x < xOf(b.hi)) ?? null };
}
