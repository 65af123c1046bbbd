// The charts tab: a panel per history key, in sections by the key's prefix as W&B groups them
// ("val/loss" goes under "val"), with the x axis, smoothing and log scale chosen above them,
// and the runs picked in the runs table overlaid (?overlay=ID,ID).
import { get, runApi } from '../api.js';
import { ChartPanel, COLORS } from '../components/chart.js';
import { h, clear, throttle } from '../util.js';

const X_CHOICES = [['_step', 'Step'], ['_runtime', 'Relative time (s)'], ['_timestamp', 'Wall time']];

function sectionOf(key) {
  const slash = key.indexOf('/');
  return slash > 0 ? key.slice(0, slash) : 'Charts';
}

export async function showCharts(body, run, ref) {
  const params = new URLSearchParams(location.search);
  const overlayIds = (params.get('overlay') ?? '').split(',').filter((id) => id && id !== ref.id);
  const runs = [{ ...ref, label: run.name }, ...overlayIds.map((id) => ({ entity: ref.entity, project: ref.project, id, label: id }))];
  const options = {
    x: params.get('x') ?? '_step',
    smoothing: Number(params.get('smooth') ?? 0),
    log: params.get('log') === '1',
  };

  const keyLists = await Promise.all(runs.map((r) => get(`${runApi(r)}/keys`).catch(() => ({ keys: {} }))));
  // An overlaid run's label: its name, when we can learn it.
  await Promise.all(runs.slice(1).map(async (r) => {
    try {
      r.label = (await get(runApi(r))).name;
    } catch { /* keep the id */ }
  }));
  const allKeys = [...new Set(keyLists.flatMap((k) => Object.keys(k.keys)))].sort();
  const metricKeys = allKeys.filter((k) => !k.startsWith('_'));

  const panels = [];
  const visible = new IntersectionObserver((entries) => {
    for (const e of entries) {
      const panel = panels.find((p) => p.el === e.target);
      if (e.isIntersecting && panel && !panel.loaded) {
        panel.loaded = true;
        panel.load();
      }
    }
  }, { rootMargin: '200px' });

  function saveUrl() {
    const p = new URLSearchParams(location.search);
    const set = (k, v, dflt) => (v === dflt ? p.delete(k) : p.set(k, v));
    set('x', options.x, '_step');
    set('smooth', String(options.smoothing), '0');
    set('log', options.log ? '1' : '0', '0');
    history.replaceState(null, '', `${location.pathname}?${p}`);
  }

  function reloadAll() {
    saveUrl();
    for (const p of panels) {
      p.options = { ...options };
      p.range = null;
      if (p.loaded) p.load();
    }
  }

  const xSelect = h('select', { id: 'x-axis', onchange: (e) => { options.x = e.target.value; reloadAll(); } },
    [...X_CHOICES, ...metricKeys.map((k) => [k, k])].map(([v, label]) =>
      h('option', { value: v, selected: v === options.x }, label)));
  const smoothValue = h('span', { class: 'mono' }, options.smoothing.toFixed(2));
  const smooth = h('input', { type: 'range', id: 'smoothing', min: 0, max: 0.99, step: 0.01, value: options.smoothing });
  smooth.addEventListener('input', () => { smoothValue.textContent = Number(smooth.value).toFixed(2); });
  smooth.addEventListener('change', () => { options.smoothing = Number(smooth.value); reloadAll(); });
  const log = h('input', { type: 'checkbox', id: 'log-scale', checked: options.log,
                           onchange: (e) => { options.log = e.target.checked; reloadAll(); } });
  const legend = runs.length > 1 ? h('div', { class: 'overlay-legend' }, 'Overlaid: ',
    runs.map((r, i) => h('span', { class: 'chip', style: `border-color:${COLORS[i % COLORS.length]}` }, r.label))) : null;

  const filter = h('input', { type: 'search', placeholder: 'filter charts', id: 'chart-filter' });
  const sections = h('div', { id: 'sections' });
  clear(body,
        h('div', { class: 'toolbar' },
          h('label', {}, 'X axis ', xSelect),
          h('label', {}, 'Smoothing ', smooth, smoothValue),
          h('label', { class: 'check' }, log, 'Log scale'),
          filter,
          h('span', { class: 'muted' }, 'drag to zoom, double-click to zoom out')),
        legend, sections);

  function drawSections() {
    const bySection = new Map();
    for (const key of metricKeys) {
      const s = sectionOf(key);
      if (!bySection.has(s)) bySection.set(s, []);
      bySection.get(s).push(key);
    }
    const names = [...bySection.keys()].sort((a, b) => (a === 'Charts' ? -1 : b === 'Charts' ? 1 : a.localeCompare(b)));
    for (const name of names) {
      const grid = h('div', { class: 'panels' });
      for (const key of bySection.get(name)) {
        const panel = new ChartPanel(key, runs, { ...options });
        panels.push(panel);
        grid.append(panel.el);
        visible.observe(panel.el);
      }
      sections.append(h('details', { class: 'section', open: true, dataset: { section: name } },
                        h('summary', {}, name, h('span', { class: 'muted' }, ` ${bySection.get(name).length}`)), grid));
    }
    if (!metricKeys.length) sections.append(h('p', { class: 'muted' }, 'This run has logged no numeric history yet.'));
  }
  filter.addEventListener('input', () => {
    const q = filter.value.toLowerCase();
    for (const p of panels) p.el.hidden = q !== '' && !p.key.toLowerCase().includes(q);
  });
  drawSections();

  // A live run: new keys get panels, panels in view fetch again (at most once a second).
  const refresh = throttle(async () => {
    const fresh = await get(`${runApi(ref)}/keys`).catch(() => null);
    const added = fresh ? Object.keys(fresh.keys).filter((k) => !k.startsWith('_') && !metricKeys.includes(k)) : [];
    if (added.length) {
      metricKeys.push(...added);
      metricKeys.sort();
      for (const p of panels) p.dispose();
      panels.length = 0;
      clear(sections);
      drawSections();
      return;
    }
    for (const p of panels) if (p.loaded) p.load();
  }, 1000);

  let lastStep = run.last_step;
  return {
    update(pulse) {
      if (pulse.last_step === lastStep) return;
      lastStep = pulse.last_step;
      refresh();
    },
    dispose() {
      visible.disconnect();
      for (const p of panels) p.dispose();
    },
  };
}
