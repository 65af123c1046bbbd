// The app: one page per URL, so every view can be bookmarked and shared.
//   /                       projects
//   /p/ENTITY/PROJECT       the runs table (its filters, sort and columns in the query)
//   /r/ENTITY/PROJECT/ID    a run (tab, x axis, smoothing, log scale, overlays in the query)
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { showProjects } from './pages/projects.js';
import { showRuns } from './pages/runs.js';
import { showRun } from './pages/run.js';
import { h, clear, errorBox } from './util.js';

const main = document.getElementById('main');
let current = null;  // the page shown: {dispose()}

export function navigate(url) {
  history.pushState(null, '', url);
  route();
}

function crumbs(parts) {
  clear(document.getElementById('crumbs'),
        parts.map(([label, href]) => [h('span', { class: 'sep' }, '/'),
                                      href ? h('a', { href }, label) : h('span', {}, label)]));
}

async function route() {
  current?.dispose?.();
  current = null;
  clear(document.getElementById('live'));
  const parts = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  try {
    if (parts.length === 0) {
      crumbs([]);
      current = await showProjects(main);
    } else if (parts[0] === 'p' && parts.length === 3) {
      crumbs([[`${parts[1]}/${parts[2]}`]]);
      current = await showRuns(main, parts[1], parts[2]);
    } else if (parts[0] === 'r' && parts.length === 4) {
      const [, entity, project, id] = parts;
      crumbs([[`${entity}/${project}`, `/p/${encodeURIComponent(entity)}/${encodeURIComponent(project)}`],
              [id]]);
      current = await showRun(main, entity, project, id);
    } else {
      clear(main, errorBox(new Error(`No page at ${location.pathname}`)));
    }
  } catch (e) {
    clear(main, errorBox(e));
  }
}

// Links inside the app change the page without a reload.
document.addEventListener('click', (event) => {
  const a = event.target.closest('a');
  if (!a || event.defaultPrevented || a.target || a.hasAttribute('download') || event.button !== 0 ||
      event.metaKey || event.ctrlKey || event.shiftKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener('popstate', route);
route();
