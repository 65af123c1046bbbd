// The run page's artifacts tab: the versions the run used (its inputs) and those it logged
// (its outputs), each linking to its version's page with its lineage.
import { get, runApi, artifactPage } from '../api.js';
import { h, clear, formatBytes, formatTime } from '../util.js';

export async function showRunArtifacts(body, run, ref) {
  async function load() {
    const { used, logged } = await get(`${runApi(ref)}/artifacts`);
    clear(body, h('div', { class: 'columns2' },
      h('section', {}, h('h2', {}, 'Inputs'), versionsTable(used, 'run-inputs', 'This run used no artifact.')),
      h('section', {}, h('h2', {}, 'Outputs'), versionsTable(logged, 'run-outputs', 'This run logged no artifact.'))));
  }
  await load();
  let state = run.state;
  return {
    // A live run may log or use more: look again when it ends.
    update(pulse) {
      if (pulse.state !== state) {
        state = pulse.state;
        load();
      }
    },
  };
}

function versionsTable(versions, id, none) {
  if (!versions.length) return h('p', { class: 'muted', id }, none);
  return h('table', { class: 'grid', id },
    h('thead', {}, h('tr', {}, ['artifact', 'type', 'aliases', 'size', 'created'].map((t) => h('th', {}, t)))),
    h('tbody', {}, versions.map((v) => h('tr', { dataset: { artifact: `${v.name}:${v.version}` } },
      h('td', {}, h('a', { href: artifactPage(v, v.version), class: 'mono' }, `${v.name}:${v.version}`)),
      h('td', {}, h('span', { class: 'chip' }, v.type)),
      h('td', {}, v.aliases.map((a) => h('span', { class: 'chip alias' }, a))),
      h('td', { class: 'num' }, formatBytes(v.size)),
      h('td', {}, formatTime(v.created))))));
}
