// The projects in the store.
import { get, projectPage } from '../api.js';
import { h, clear, formatTime } from '../util.js';

export async function showProjects(main) {
  const { projects } = await get('/api/projects');
  const { store } = await get('/api/session');
  const rows = projects.map((p) => h('tr', {},
    h('td', {}, h('a', { href: projectPage(p.entity, p.name) }, `${p.entity}/${p.name}`)),
    h('td', { class: 'num' }, p.runs),
    h('td', { class: 'num' }, p.running || ''),
    h('td', {}, formatTime(p.last_activity))));
  clear(main,
        h('h1', {}, 'Projects'),
        h('p', { class: 'muted' }, `Store: ${store}`),
        projects.length === 0
          ? h('p', {}, 'No run has been tracked into this store yet.')
          : h('table', { class: 'grid', id: 'projects' },
              h('thead', {}, h('tr', {}, h('th', {}, 'project'), h('th', {}, 'runs'),
                                h('th', {}, 'running'), h('th', {}, 'last activity'))),
              h('tbody', {}, rows)));
  return {};
}
