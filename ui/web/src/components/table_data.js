// Reading a logged table: the run's table file ({"columns": [...], "data": [[...]]},
// docs/formats.md), which Python's json module may have written with bare NaN and Infinity.
import { runFileUrl } from '../api.js';

// JSON.parse, taking wandb's bare NaN, Infinity and -Infinity (outside strings) as strings.
export function parseDialect(text) {
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(text.replace(/"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g,
                                   (m) => (m[0] === '"' ? m : `"${m}"`)));
  }
}

// {columns, data} of the table a "table-file" value names.
export async function fetchTable(ref, value) {
  if (value?._type !== 'table-file' || !value.path) throw new Error('not a table');
  const response = await fetch(runFileUrl(ref, value.path), { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`table ${value.path}: ${response.status} ${response.statusText}`);
  const table = parseDialect(await response.text());
  return { columns: table.columns ?? [], data: table.data ?? [] };
}
