// The edges of a 3-D box (wandb's scene boxes) from its 8 corners, which wandb gives in no
// order it documents: the 3-D view draws them as lines.

const minus = (a, b) => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const plus = (...vs) => vs.reduce((a, b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2]]);
const length = (v) => Math.hypot(v[0], v[1], v[2]);

// The box's three edge vectors from its first corner: three of the other corners' offsets
// whose sums make the other four, or null when the corners are not a box.
function edgeVectors(corners) {
  const offsets = corners.slice(1).map((c) => minus(c, corners[0]));
  const tolerance = 1e-4 * Math.max(...offsets.map(length));
  const near = (a, b) => length(minus(a, b)) <= tolerance;
  for (let i = 0; i < 7; i++) {
    for (let j = i + 1; j < 7; j++) {
      for (let k = j + 1; k < 7; k++) {
        const [a, b, c] = [offsets[i], offsets[j], offsets[k]];
        const rest = offsets.filter((_, n) => n !== i && n !== j && n !== k);
        const sums = [plus(a, b), plus(a, c), plus(b, c), plus(a, b, c)];
        if (sums.every((s) => rest.some((r) => near(r, s)))) return { vectors: [a, b, c], near };
      }
    }
  }
  return null;
}

// The 12 edges of a box given by its 8 corners in any order (wandb does not say which), as
// pairs of corner indices: the pairs one edge vector apart. Corners that are not a box get
// no edges.
export function boxEdges(corners) {
  const found = edgeVectors(corners);
  if (!found) return [];
  const edges = [];
  corners.forEach((p, i) => corners.forEach((q, j) => {
    if (j > i && found.vectors.some((v) => found.near(minus(q, p), v) || found.near(minus(p, q), v))) edges.push([i, j]);
  }));
  return edges;
}
