// An artifact: its versions (aliases, size, files, the run that logged it), and the version
// chosen (default: latest) with its description, metadata, files and lineage graph. The
// version is in the URL (/a/E/P/NAME/VERSION), so each version has a page of its own. Each
// stored file can be downloaded, and text and images viewed in place (artifact_file_view.js).
import { get, artifactApi, artifactPage, artifactFileUrl, runPage } from '../api.js';
import { canView, showFile } from '../components/artifact_file_view.js';
import { showLineage } from '../components/lineage_graph.js';
import { h, clear, flatten, formatBytes, formatTime, formatValue } from '../util.js';

export async function showArtifact(main, entity, project, name, version) {
  const ref = { entity, project, name };
  const collection = await get(artifactApi(ref));
  const versions = collection.versions;
  const chosen = version ??
    (versions.find((v) => v.aliases.includes('latest')) ?? versions[versions.length - 1]).version;
  const detail = h('div', { id: 'version-detail' });
  clear(main,
        h('h1', {}, name, ' ', h('span', { class: 'chip' }, collection.type)),
        h('p', { class: 'muted' }, `${entity}/${project} · ${versions.length} version${versions.length === 1 ? '' : 's'}`),
        versionsTable(ref, versions, chosen),
        detail);
  const v = await get(`${artifactApi(ref)}/${encodeURIComponent(chosen)}`);
  clear(detail, versionDetail(ref, v));
  return {};
}

const aliasChips = (aliases) => aliases.map((a) => h('span', { class: 'chip alias' }, a));

// Newest first, as W&B lists them; the chosen version's row is marked.
function versionsTable(ref, versions, chosen) {
  return h('table', { class: 'grid', id: 'versions' },
    h('thead', {}, h('tr', {}, ['version', 'aliases', 'size', 'files', 'logged by', 'created']
      .map((t) => h('th', {}, t)))),
    h('tbody', {}, versions.slice().reverse().map((v) => h('tr', {
      class: v.version === chosen || v.aliases.includes(chosen) ? 'selected' : null,
      dataset: { version: v.version },
    },
    h('td', {}, h('a', { href: artifactPage(ref, v.version), class: 'mono' }, v.version)),
    h('td', {}, aliasChips(v.aliases)),
    h('td', { class: 'num' }, formatBytes(v.size)),
    h('td', { class: 'num' }, v.file_count),
    h('td', {}, v.created_by
      ? h('a', { href: runPage(v.entity, v.project, v.created_by), class: 'mono' }, v.created_by)
      : h('span', { class: 'muted' }, 'gone')),
    h('td', {}, formatTime(v.created))))));
}

function versionDetail(ref, v) {
  const metadata = flatten(v.metadata);
  const viewer = h('div', { id: 'artifact-file-viewer' });
  return [
    h('h2', { id: 'version-title' }, `${v.name}:${v.version} `, aliasChips(v.aliases)),
    v.description ? h('p', { id: 'version-description' }, v.description) : null,
    h('p', { class: 'muted mono' }, `digest ${v.digest} · ${formatBytes(v.size)} in ${v.file_count} file${v.file_count === 1 ? '' : 's'}`),
    h('div', { class: 'columns2' },
      h('section', {}, h('h2', {}, 'Files'), filesTable(ref, v, viewer), viewer),
      h('section', {}, h('h2', {}, 'Metadata'), metadata.length
        ? h('table', { class: 'kv', id: 'version-metadata' }, h('tbody', {}, metadata.map(([k, x]) =>
          h('tr', {}, h('th', {}, k), h('td', { class: 'mono' }, formatValue(x))))))
        : h('p', { class: 'muted' }, 'none'))),
    h('h2', {}, 'Lineage'),
    showLineage(v),
  ];
}

// A stored file links to its download and, when it is text or an image, to a view of it; a
// reference's bytes are elsewhere (its URI), so it has neither.
function filesTable(ref, v, viewer) {
  const actions = (f) => {
    if (f.ref) return null;
    const download = h('a', { href: artifactFileUrl(ref, v.version, f.path), download: '', class: 'download' }, 'download');
    if (!canView(f.path)) return download;
    const view = h('a', { href: artifactFileUrl(ref, v.version, f.path, true), class: 'view', onclick: (e) => {
      e.preventDefault();
      showFile(viewer, f.path, artifactFileUrl(ref, v.version, f.path, true));
    } }, 'view');
    return [download, ' · ', view];
  };
  return h('table', { class: 'grid', id: 'version-files' },
    h('thead', {}, h('tr', {}, ['path', 'size', 'digest', 'reference', ''].map((t) => h('th', {}, t)))),
    h('tbody', {}, v.files.map((f) => h('tr', { dataset: { path: f.path } },
      h('td', { class: 'mono' }, f.path),
      h('td', { class: 'num' }, f.size === null ? '' : formatBytes(f.size)),
      // A reference's digest is its URI (or its ETag): said once, under reference.
      h('td', { class: 'mono muted' }, f.ref && f.digest === f.ref ? '' : f.digest),
      h('td', { class: 'mono' }, f.ref ?? ''),
      h('td', { class: 'nowrap' }, actions(f))))));
}
