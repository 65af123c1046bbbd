// The system tab: the machine's and the process's metrics as the daemon sampled them, one
// chart per metric, grouped (CPU, memory, disk, network, GPU n), against seconds since start.
import uPlot from 'uplot';
import { get, runApi } from '../api.js';
import { h, clear, formatNumber, throttle } from '../util.js';

function groupOf(key) {
  const parts = key.replace(/^system\./, '').split('.');
  if (parts[0] === 'gpu' && parts.length > 2) return `GPU ${parts[1]}`;
  if (key.startsWith('proc.')) return 'Process';
  return { cpu: 'CPU', memory: 'Memory', disk: 'Disk', network: 'Network', proc: 'Process' }[parts[0]] ?? 'System';
}

export async function showSystem(body, run, ref) {
  const container = h('div', { id: 'system' });
  clear(body, container);
  const plots = new Map();  // key -> uPlot

  async function load() {
    const { t, series } = await get(`${runApi(ref)}/system`);
    const keys = Object.keys(series).sort();
    if (!keys.length) {
      clear(container, h('p', { class: 'muted' }, 'No system metrics sampled yet.'));
      return;
    }
    const groups = new Map();
    for (const k of keys) {
      const g = groupOf(k);
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(k);
    }
    for (const [group, groupKeys] of groups) {
      for (const key of groupKeys) {
        const ys = series[key].map((v) => (typeof v === 'number' ? v : null));
        const existing = plots.get(key);
        if (existing) {
          existing.setData([t, ys]);
          continue;
        }
        let section = container.querySelector(`[data-group="${CSS.escape(group)}"] .panels`);
        if (!section) {
          section = h('div', { class: 'panels' });
          container.append(h('details', { class: 'section', open: true, dataset: { group } }, h('summary', {}, group), section));
        }
        const box = h('div', { class: 'plot' });
        section.append(h('div', { class: 'panel', dataset: { key } }, h('div', { class: 'panel-title' }, key), box));
        plots.set(key, new uPlot({
          width: Math.max(200, box.clientWidth || 400), height: 180,
          series: [{}, { label: key, stroke: '#1f77b4', width: 1.25, spanGaps: true }],
          scales: { x: { time: false } },
          axes: [{ label: 'seconds', values: (u, v) => v.map((t) => (t === null ? '' : formatNumber(t))) }, { size: 60, values: (u, v) => v.map((t) => (t === null ? '' : formatNumber(t))) }],
          legend: { show: false },
        }, [t, ys], box));
      }
    }
  }

  await load();
  const refresh = throttle(load, 1000);
  let last = null;
  return {
    update(pulse) {
      if (pulse.system_last_time !== last) {
        last = pulse.system_last_time;
        refresh();
      }
    },
    dispose() {
      for (const p of plots.values()) p.destroy();
    },
  };
}
