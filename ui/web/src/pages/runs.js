// The runs table of a project: filter (state, tag, text, numeric ranges), sort by any column,
// choose config and summary columns, select runs to compare. The server filters, sorts and
// pages (GET /api/projects/E/P/runs), so 10,000 runs cost the browser one page of rows.
import { get, projectApi, runPage } from '../api.js';
import { navigate } from '../main.js';
import { h, clear, errorBox, formatValue, formatTime, formatDuration, stateBadge } from '../util.js';

const PAGE = 100;
const STATES = ['running', 'finished', 'crashed', 'stopped'];
const FIELDS = [
  ['state', 'state'], ['name', 'name'], ['id', 'id'], ['tags', null], ['group', 'group'],
  ['created', 'created'], ['runtime', 'runtime'],
];

export async function showRuns(main, entity, project) {
  const params = new URLSearchParams(location.search);
  const state = {
    q: params.get('q') ?? '',
    states: (params.get('state') ?? '').split(',').filter(Boolean),
    tag: params.get('tag') ?? '',
    ranges: params.getAll('range'),
    sort: params.get('sort') ?? '-created',
    columns: (params.get('columns') ?? '').split(',').filter(Boolean),
    page: Number(params.get('page') ?? 0),
  };
  const selected = new Set();
  let data = null;
  let refreshTimer = null;

  const table = h('div', { id: 'runs-table' });
  const toolbar = h('div', { class: 'toolbar' });
  const status = h('span', { class: 'muted', id: 'runs-count' });
  const compare = h('button', { id: 'compare', disabled: true, onclick: compareSelected },
                    'Compare selected');
  clear(main, h('h1', {}, `${entity}/${project}`), toolbar, h('div', { class: 'toolbar' }, status, compare), table);

  function saveUrl() {
    const p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    if (state.states.length) p.set('state', state.states.join(','));
    if (state.tag) p.set('tag', state.tag);
    state.ranges.forEach((r) => p.append('range', r));
    if (state.sort !== '-created') p.set('sort', state.sort);
    if (state.columns.length) p.set('columns', state.columns.join(','));
    if (state.page) p.set('page', state.page);
    const search = p.toString();
    history.replaceState(null, '', location.pathname + (search ? `?${search}` : ''));
  }

  async function load() {
    saveUrl();
    try {
      data = await get(`${projectApi(entity, project)}/runs`, {
        q: state.q, state: state.states.join(','), tag: state.tag, range: state.ranges,
        sort: state.sort, columns: state.columns.join(','), offset: state.page * PAGE,
        limit: PAGE,
      });
    } catch (e) {
      clear(table, errorBox(e));
      return;
    }
    drawToolbar();
    drawTable();
    // Live runs change by themselves: look again in a second while any is shown.
    clearTimeout(refreshTimer);
    if (data.runs.some((r) => r.state === 'running')) refreshTimer = setTimeout(load, 1000);
  }

  function drawToolbar() {
    if (toolbar.childElementCount) return;  // drawn once; its inputs keep their state
    const search = h('input', { type: 'search', id: 'filter-text', placeholder: 'search id, name, tags, group…',
                                value: state.q });
    let searchTimer;
    search.addEventListener('input', () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => { state.q = search.value; state.page = 0; load(); }, 200);
    });
    const states = STATES.map((s) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', checked: state.states.includes(s), dataset: { state: s },
                   onchange: (e) => {
                     state.states = e.target.checked ? [...state.states, s]
                                                     : state.states.filter((x) => x !== s);
                     state.page = 0;
                     load();
                   } }), s));
    const tag = h('select', { id: 'filter-tag', onchange: (e) => { state.tag = e.target.value; state.page = 0; load(); } },
                  h('option', { value: '' }, 'any tag'),
                  data.tags.map((t) => h('option', { value: t, selected: t === state.tag }, t)));
    toolbar.append(search, h('span', { class: 'group' }, states), tag, rangeEditor(), columnChooser());
  }

  function rangeEditor() {
    const column = h('input', { list: 'value-columns', placeholder: 'summary.acc', id: 'range-column', size: 14 });
    const min = h('input', { type: 'number', step: 'any', placeholder: 'min', id: 'range-min', size: 6 });
    const max = h('input', { type: 'number', step: 'any', placeholder: 'max', id: 'range-max', size: 6 });
    const list = h('datalist', { id: 'value-columns' },
                   ['runtime', ...data.columns].map((c) => h('option', { value: c })));
    const chips = h('span', { class: 'chips' });
    const drawChips = () => clear(chips, state.ranges.map((r) => h('span', { class: 'chip' }, r,
      h('button', { title: 'remove', onclick: () => {
        state.ranges = state.ranges.filter((x) => x !== r); drawChips(); state.page = 0; load();
      } }, '×'))));
    drawChips();
    const add = h('button', { id: 'range-add', onclick: () => {
      if (!column.value || (min.value === '' && max.value === '')) return;
      state.ranges.push(`${column.value}:${min.value}:${max.value}`);
      drawChips();
      state.page = 0;
      load();
    } }, 'Add range');
    return h('span', { class: 'group' }, list, column, min, max, add, chips);
  }

  function columnChooser() {
    const box = h('details', { class: 'columns' }, h('summary', {}, 'Columns'));
    const filter = h('input', { type: 'search', placeholder: 'filter columns' });
    const list = h('div', { class: 'column-list' });
    // wandb's own summary entries (_step, _runtime, ...) are left out of the list.
    const draw = () => clear(list, data.columns
      .filter((c) => !c.startsWith('summary._'))
      .filter((c) => c.toLowerCase().includes(filter.value.toLowerCase())).slice(0, 300)
      .map((c) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', checked: state.columns.includes(c), dataset: { column: c },
                     onchange: (e) => {
                       state.columns = e.target.checked ? [...state.columns, c]
                                                        : state.columns.filter((x) => x !== c);
                       load();
                     } }), c)));
    filter.addEventListener('input', draw);
    draw();
    box.append(filter, list);
    return box;
  }

  function header(label, sortKey) {
    if (!sortKey) return h('th', {}, label);
    const active = state.sort === sortKey || state.sort === `-${sortKey}`;
    const arrow = active ? (state.sort.startsWith('-') ? ' ▼' : ' ▲') : '';
    return h('th', { class: 'sortable', dataset: { sort: sortKey }, onclick: () => {
      state.sort = state.sort === `-${sortKey}` ? sortKey : `-${sortKey}`;
      state.page = 0;
      load();
    } }, label + arrow);
  }

  function drawTable() {
    const pages = Math.max(1, Math.ceil(data.total / PAGE));
    status.textContent = `${data.total} runs` + (pages > 1 ? ` · page ${state.page + 1} of ${pages}` : '');
    const rows = data.runs.map((r) => h('tr', { dataset: { run: r.id } },
      h('td', {}, h('input', { type: 'checkbox', class: 'select', checked: selected.has(r.id),
                               onchange: (e) => {
                                 if (e.target.checked) selected.add(r.id); else selected.delete(r.id);
                                 compare.disabled = selected.size < 1;
                               } })),
      h('td', {}, stateBadge(r.state, r.stop_requested)),
      h('td', {}, h('a', { href: runPage(r.entity, r.project, r.id) }, r.name)),
      h('td', { class: 'mono' }, r.id),
      h('td', {}, (r.tags ?? []).map((t) => h('span', { class: 'tag' }, t))),
      h('td', {}, r.group),
      h('td', {}, formatTime(r.created)),
      h('td', { class: 'num' }, formatDuration(r.runtime)),
      state.columns.map((c) => h('td', { class: 'num' }, formatValue(r.values[c])))));
    const pager = pages > 1 ? h('div', { class: 'pager' },
      h('button', { disabled: state.page === 0, onclick: () => { state.page--; load(); } }, '‹ previous'),
      h('button', { disabled: state.page >= pages - 1, onclick: () => { state.page++; load(); } }, 'next ›')) : null;
    clear(table,
          h('table', { class: 'grid' },
            h('thead', {}, h('tr', {}, h('th', {}),
              FIELDS.map(([label, key]) => header(label, key)),
              state.columns.map((c) => header(c, c)))),
            h('tbody', {}, rows)),
          pager);
  }

  function compareSelected() {
    const ids = [...selected];
    if (!ids.length) return;
    navigate(`${runPage(entity, project, ids[0])}?tab=charts` +
             (ids.length > 1 ? `&overlay=${ids.slice(1).map(encodeURIComponent).join(',')}` : ''));
  }

  await load();
  return { dispose: () => clearTimeout(refreshTimer) };
}
