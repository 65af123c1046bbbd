// A run: overview, charts, media (images, histograms, tables, custom charts), system
// metrics, console, files and artifacts (inputs and outputs), with a Stop button while it
// runs. A live run updates by itself: the server pushes a "pulse" (server-sent events) when
// its state, steps, console, system metrics or files change, and the open tab fetches what
// is new.
import { get, post, runApi } from '../api.js';
import { showCharts } from './run_charts.js';
import { showMedia } from './run_media.js';
import { showConsole } from '../components/console.js';
import { showFiles } from '../components/files.js';
import { showRunArtifacts } from '../components/run_artifacts.js';
import { showSystem } from '../components/system.js';
import { h, clear, errorBox, flatten, formatValue, formatTime, formatDuration, stateBadge } from '../util.js';

const TABS = ['overview', 'charts', 'media', 'system', 'console', 'files', 'artifacts'];

export async function showRun(main, entity, project, id) {
  const params = new URLSearchParams(location.search);
  const ref = { entity, project, id };
  let run = await get(runApi(ref));
  let tab = TABS.includes(params.get('tab')) ? params.get('tab') : 'charts';
  let view = null;  // the open tab: {update(pulse), dispose()}

  const title = h('h1', {}, run.name, ' ', h('span', { class: 'mono muted' }, run.id));
  const badge = h('span', { id: 'run-state' });
  const stop = h('button', { id: 'stop', class: 'danger', onclick: requestStop }, 'Stop run');
  const stopNote = h('span', { class: 'muted', id: 'stop-note' });
  const facts = h('span', { class: 'muted', id: 'run-facts' });
  const tabs = h('nav', { class: 'tabs' }, TABS.map((t) => h('a', {
    href: '#', dataset: { tab: t }, onclick: (e) => { e.preventDefault(); open(t); },
  }, t)));
  const body = h('div', { id: 'tab-body' });
  clear(main, h('div', { class: 'run-head' }, title, badge, stop, stopNote), facts, tabs, body);

  function drawHead() {
    clear(badge, stateBadge(run.state, run.stop_requested));
    const running = run.state === 'running';
    stop.hidden = !running;
    stop.disabled = run.stop_requested;
    stopNote.textContent = running && run.stop_requested
      ? 'stop requested: the training process stops at its next poll' : '';
    facts.textContent = [
      run.state === 'running' ? `running for ${formatDuration(run.runtime)}` : `ran ${formatDuration(run.runtime)}`,
      run.exit_code !== null ? `exit code ${run.exit_code}` : null,
      run.last_step !== null ? `step ${run.last_step}` : null,
      run.host ? `on ${run.host}` : null,
      `started ${formatTime(run.created)}`,
    ].filter(Boolean).join(' · ');
  }

  async function requestStop() {
    if (!confirm(`Stop run ${run.name} (${run.id})?\n\nIts training process sees the request at its next poll and finishes the run as stopped.`)) return;
    stop.disabled = true;
    try {
      await post(`${runApi(ref)}/stop`);
      run.stop_requested = true;
      drawHead();
    } catch (e) {
      stop.disabled = false;
      stopNote.textContent = `could not request the stop: ${e.message}`;
    }
  }

  function open(name) {
    tab = name;
    const p = new URLSearchParams(location.search);
    p.set('tab', name);
    history.replaceState(null, '', `${location.pathname}?${p}`);
    for (const a of tabs.children) a.classList.toggle('active', a.dataset.tab === name);
    view?.dispose?.();
    view = null;
    clear(body);
    const shown = { overview: showOverview, charts: showCharts, media: showMedia, system: showSystem,
                    console: showConsole, files: showFiles, artifacts: showRunArtifacts }[name];
    Promise.resolve(shown(body, run, ref)).then((v) => {
      if (tab === name) view = v;
      else v?.dispose?.();
    }).catch((e) => clear(body, errorBox(e)));
  }

  // Live updates: one event stream per open run page, closed once the run has ended.
  let events = null;
  const live = document.getElementById('live');
  function listen() {
    if (run.state !== 'running') return;
    events = new EventSource(`${runApi(ref)}/events`);
    live.textContent = '● live';
    events.addEventListener('pulse', async (e) => {
      const pulse = JSON.parse(e.data);
      const ended = pulse.state !== run.state || pulse.stop_requested !== run.stop_requested;
      Object.assign(run, { state: pulse.state, last_step: pulse.last_step,
                           stop_requested: pulse.stop_requested,
                           runtime: pulse.heartbeat - run.created });
      if (ended) run = { ...run, ...(await get(runApi(ref))) };
      drawHead();
      view?.update?.(pulse);
      if (pulse.state !== 'running') {
        events.close();
        live.textContent = '';
      }
    });
  }

  drawHead();
  open(tab);
  listen();
  return {
    dispose() {
      events?.close();
      view?.dispose?.();
    },
  };
}

function keyValueTable(entries, id) {
  if (!entries.length) return h('p', { class: 'muted' }, 'none');
  return h('table', { class: 'kv', id }, h('tbody', {}, entries.map(([k, v]) =>
    h('tr', {}, h('th', {}, k), h('td', { class: 'mono' }, formatValue(v))))));
}

// A summary's media values ({"_type": "image-file", "path": ...}) as one line each, not as
// their fields: the media tab shows them.
function mediaAsText(value) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  if (typeof value._type === 'string') return `${value._type}${value.path ? ` ${value.path}` : ''}`;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mediaAsText(v)]));
}

function showOverview(body, run) {
  const m = run.metadata ?? {};
  const command = [m.program ?? run.program, ...(m.args ?? [])].filter(Boolean).join(' ');
  const facts = [
    ['state', run.state], ['id', run.id], ['name', run.name], ['project', `${run.entity}/${run.project}`],
    ['group', run.group], ['job type', run.job_type], ['tags', (run.tags ?? []).join(', ')],
    ['notes', run.notes], ['created', formatTime(run.created)], ['ended', formatTime(run.ended)],
    ['duration', formatDuration(run.runtime)], ['exit code', run.exit_code],
    ['host', m.host ?? run.host], ['os', m.os], ['command', command], ['cwd', m.cwd ?? m.root],
    ['git', m.git ? `${m.git.remote ?? ''} ${m.git.commit ?? ''}`.trim() : ''],
    ['run directory', run.run_dir],
  ].filter(([, v]) => v !== undefined && v !== null && v !== '');
  clear(body,
        h('div', { class: 'columns2' },
          h('section', {}, h('h2', {}, 'Run'), keyValueTable(facts, 'overview-run')),
          h('section', {}, h('h2', {}, 'Summary'), keyValueTable(flatten(mediaAsText(run.summary)).filter(([k]) => !k.startsWith('_')), 'overview-summary'))),
        h('div', { class: 'columns2' },
          h('section', {}, h('h2', {}, 'Config'), keyValueTable(flatten(run.config), 'overview-config')),
          h('section', {}, h('h2', {}, 'Metadata'), keyValueTable(flatten(m), 'overview-metadata'))));
  return {};
}
