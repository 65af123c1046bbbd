// The app: one page per URL, so every view can be bookmarked and shared.
//   /                       projects
//   /p/ENTITY/PROJECT       the runs table (its filters, sort and columns in the query)
//   /r/ENTITY/PROJECT/ID    a run (tab, x axis, smoothing, log scale, overlays in the query)
//   /artifacts              every artifact, by project
//   /a/ENTITY/PROJECT/NAME[/VERSION]  an artifact's versions; one version (default: latest)
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { showProjects } from './pages/projects.js';
import { showRuns } from './pages/runs.js';
import { showRun } from './pages/run.js';
import { showArtifacts } from './pages/artifacts.js';
import { showArtifact } from './pages/artifact.js';
import { h, clear, errorBox } from './util.js';
import { artifactPage } from './api.js';

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

// The top navigation marks the section the page belongs to.
function markSection(first) {
  for (const a of document.querySelectorAll('#sections a')) {
    const section = a.getAttribute('href') === '/artifacts' ? ['artifacts', 'a'] : ['', 'p', 'r'];
    a.classList.toggle('active', section.includes(first ?? ''));
  }
}

async function route() {
  current?.dispose?.();
  current = null;
  clear(document.getElementById('live'));
  const parts = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  markSection(parts[0]);
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
    } else if (parts[0] === 'artifacts' && parts.length === 1) {
      crumbs([['artifacts']]);
      current = await showArtifacts(main);
    } else if (parts[0] === 'a' && (parts.length === 4 || parts.length === 5)) {
      const [, entity, project, name, version] = parts;
      crumbs([['artifacts', '/artifacts'], [`${entity}/${project}`], [name, version ? artifactPage({ entity, project, name }) : null],
              ...(version ? [[version]] : [])]);
      current = await showArtifact(main, entity, project, name, version);
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
  if (!a || event.defaultPrevented || a.getAttribute('target') || a.hasAttribute('download') ||
      event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  // Attributes, not properties: an SVG link's (the lineage graph's) are not strings.
  const url = new URL(a.getAttribute('href'), location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener('popstate', route);
route();
