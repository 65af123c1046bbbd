// A view of one stored file of an artifact version, under its files table: an image as an
// image, anything else that reads as text in a sandboxed frame (the server also sends every
// file under a sandbox policy), so a file of the artifact can never script the app.
import { h, clear } from '../util.js';

const IMAGE = /\.(png|jpe?g|gif|svg|webp)$/i;
const TEXT = /\.(txt|log|json|jsonl|ya?ml|csv|tsv|md|py|cfg|ini|toml|xml|html?)$/i;

export const canView = (path) => IMAGE.test(path) || TEXT.test(path);

// Shows the file at `url` (its inline URL) in `viewer`, named by `path`.
export function showFile(viewer, path, url) {
  const shown = IMAGE.test(path)
    ? h('img', { src: url, alt: path, class: 'artifact-image' })
    : h('iframe', { src: url, sandbox: 'allow-scripts', class: 'artifact-text', title: path });
  clear(viewer, h('h3', {}, path), shown);
  viewer.dataset.path = path;
  viewer.scrollIntoView({ block: 'nearest' });
}
