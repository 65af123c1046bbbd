// The files tab: every file the run saved, with its versions, each downloadable. HTML and
// images can be viewed in place; HTML only in a sandboxed frame without our origin, so a
// logged page can never script the app (the server also sends it with a sandbox policy).
import { get, runApi } from '../api.js';
import { h, clear, formatBytes, formatTime } from '../util.js';

const VIEWABLE = /\.(html?|png|jpe?g|gif|svg|txt|log|json|ya?ml|csv|md)$/i;

export async function showFiles(body, run, ref) {
  const viewer = h('div', { id: 'file-viewer' });
  const list = h('div', {});
  clear(body, list, viewer);
  const fileUrl = (path, version, inline) => {
    const p = new URLSearchParams({ path });
    if (version) p.set('version', version);
    if (inline) p.set('inline', '1');
    return `${runApi(ref)}/file?${p}`;
  };

  function view(path, version) {
    const url = fileUrl(path, version, true);
    const frame = /\.(png|jpe?g|gif)$/i.test(path)
      ? h('img', { src: url, alt: path })
      : h('iframe', { src: url, sandbox: 'allow-scripts', id: 'file-frame', title: path });
    clear(viewer, h('h2', {}, `${path} (v${version})`), frame);
  }

  async function load() {
    const { files } = await get(`${runApi(ref)}/files`);
    if (!files.length) {
      clear(list, h('p', { class: 'muted' }, run.state === 'running'
        ? 'No file stored yet: files saved with the end policy reach the store when the run finishes.'
        : 'This run saved no file.'));
      return;
    }
    clear(list, h('table', { class: 'grid', id: 'files' },
      h('thead', {}, h('tr', {}, ['file', 'size', 'versions', 'updated', 'policy', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, files.map((f) => {
        const latest = f.versions[f.versions.length - 1];
        const versions = h('details', {}, h('summary', {}, `${f.versions.length}`),
          h('ul', {}, f.versions.slice().reverse().map((v) => h('li', {},
            h('a', { href: fileUrl(f.path, v.version), download: '' }, `v${v.version}`),
            ` ${formatBytes(v.size)} · ${formatTime(v.created)} · md5 ${v.md5.slice(0, 8)}`))));
        return h('tr', { dataset: { path: f.path } },
          h('td', { class: 'mono' }, f.path),
          h('td', { class: 'num' }, formatBytes(latest.size)),
          h('td', {}, versions),
          h('td', {}, formatTime(latest.created)),
          h('td', {}, latest.policy),
          h('td', {},
            h('a', { href: fileUrl(f.path, latest.version), download: '', class: 'download' }, 'download'),
            VIEWABLE.test(f.path) ? [' · ', h('a', { href: '#', class: 'view', onclick: (e) => {
              e.preventDefault();
              view(f.path, latest.version);
            } }, 'view')] : null));
      }))));
  }

  await load();
  let versions = null;
  return {
    update(pulse) {
      if (pulse.file_versions !== versions) {
        versions = pulse.file_versions;
        load();
      }
    },
  };
}
