// Every artifact in the store, a table per project: name, type, versions, latest, size.
import { get, artifactPage } from '../api.js';
import { h, clear, formatBytes, formatTime } from '../util.js';

export async function showArtifacts(main) {
  const { collections } = await get('/api/artifacts');
  const byProject = new Map();
  for (const c of collections) {
    const key = `${c.entity}/${c.project}`;
    if (!byProject.has(key)) byProject.set(key, []);
    byProject.get(key).push(c);
  }
  clear(main, h('h1', {}, 'Artifacts'),
        collections.length === 0
          ? h('p', { class: 'muted', id: 'no-artifacts' },
              'No artifact has been logged into this store yet (run.log_artifact).')
          : [...byProject].map(([project, list]) => projectTable(project, list)));
  return {};
}

function projectTable(project, collections) {
  return h('section', { class: 'artifact-project', dataset: { project } },
    h('h2', {}, project),
    h('table', { class: 'grid artifacts' },
      h('thead', {}, h('tr', {}, ['name', 'type', 'versions', 'latest', 'size', 'created']
        .map((t) => h('th', {}, t)))),
      h('tbody', {}, collections.map((c) => h('tr', { dataset: { name: c.name } },
        h('td', {}, h('a', { href: artifactPage(c) }, c.name)),
        h('td', {}, h('span', { class: 'chip' }, c.type)),
        h('td', { class: 'num' }, c.versions),
        h('td', {}, h('a', { href: artifactPage(c, c.latest), class: 'mono' }, c.latest)),
        h('td', { class: 'num' }, formatBytes(c.size)),
        h('td', {}, formatTime(c.created)))))));
}
