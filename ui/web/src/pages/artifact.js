// An artifact: its versions (aliases, size, files, the run that logged it), and the version
// chosen (default: latest) with its description, metadata, files and lineage graph. The
// version is in the URL (/a/E/P/NAME/VERSION), so each version has a page of its own.
import { get, artifactApi, artifactPage, runPage } from '../api.js';
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
  clear(detail, versionDetail(v));
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

function versionDetail(v) {
  const metadata = flatten(v.metadata);
  return [
    h('h2', { id: 'version-title' }, `${v.name}:${v.version} `, aliasChips(v.aliases)),
    v.description ? h('p', { id: 'version-description' }, v.description) : null,
    h('p', { class: 'muted mono' }, `digest ${v.digest} · ${formatBytes(v.size)} in ${v.file_count} file${v.file_count === 1 ? '' : 's'}`),
    h('div', { class: 'columns2' },
      h('section', {}, h('h2', {}, 'Files'), filesTable(v.files)),
      h('section', {}, h('h2', {}, 'Metadata'), metadata.length
        ? h('table', { class: 'kv', id: 'version-metadata' }, h('tbody', {}, metadata.map(([k, x]) =>
          h('tr', {}, h('th', {}, k), h('td', { class: 'mono' }, formatValue(x))))))
        : h('p', { class: 'muted' }, 'none'))),
    h('h2', {}, 'Lineage'),
    showLineage(v),
  ];
}

function filesTable(files) {
  return h('table', { class: 'grid', id: 'version-files' },
    h('thead', {}, h('tr', {}, ['path', 'size', 'digest', 'reference'].map((t) => h('th', {}, t)))),
    h('tbody', {}, files.map((f) => h('tr', { dataset: { path: f.path } },
      h('td', { class: 'mono' }, f.path),
      h('td', { class: 'num' }, f.size === null ? '' : formatBytes(f.size)),
      // A reference's digest is its URI (or its ETag): said once, under reference.
      h('td', { class: 'mono muted' }, f.ref && f.digest === f.ref ? '' : f.digest),
      h('td', { class: 'mono' }, f.ref ?? '')))));
}
