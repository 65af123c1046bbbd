// The console tab: the run's output.log lines, ANSI colours rendered (ansi_up turns the escape
// codes into spans and escapes the text, so a line cannot inject markup), searchable, and
// following a live run while scrolled to the end.
import { AnsiUp } from 'ansi_up';
import { get, runApi } from '../api.js';
import { h, clear, errorBox } from '../util.js';

const TAIL = 5000;

export async function showConsole(body, run, ref) {
  const ansi = new AnsiUp();
  ansi.use_classes = false;
  const search = h('input', { type: 'search', id: 'console-search', placeholder: 'search the console' });
  const count = h('span', { class: 'muted', id: 'console-count' });
  const view = h('div', { class: 'console', id: 'console' });
  clear(body, h('div', { class: 'toolbar' }, search, count), view);
  let lastId = 0;
  let query = '';

  function lineEl(line) {
    const text = h('span', { class: 'text' });
    text.innerHTML = ansi.ansi_to_html(line.text);  // escaped by ansi_up
    return h('div', { class: `line ${line.stream}`, dataset: { id: line.id } }, text);
  }

  async function load(fresh) {
    const atEnd = view.scrollTop + view.clientHeight >= view.scrollHeight - 4;
    let lines;
    try {
      ({ lines } = await get(`${runApi(ref)}/console`, query
        ? { q: query, limit: TAIL }
        : fresh ? { tail: 1, limit: TAIL } : { after: lastId, limit: TAIL }));
    } catch (e) {
      clear(view, errorBox(e));
      return;
    }
    if (fresh) clear(view);
    view.append(...lines.map(lineEl));
    if (lines.length) lastId = Math.max(lastId, lines[lines.length - 1].id);
    count.textContent = query ? `${view.childElementCount} matching lines` : `${view.childElementCount} lines`;
    if (fresh || atEnd) view.scrollTop = view.scrollHeight;
  }

  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      query = search.value;
      lastId = 0;
      load(true);
    }, 200);
  });
  await load(true);
  return {
    update(pulse) {
      if (!query && pulse.console_last_id > lastId) load(false);
    },
  };
}
