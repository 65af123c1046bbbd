// The JSON API (docs/ui.md): fetch helpers and URL builders.

let session = null;

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function parse(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, body?.error ?? `${response.status} ${response.statusText}`);
  }
  return body;
}

export async function get(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((item) => url.searchParams.append(k, item));
    else url.searchParams.set(k, v);
  }
  return parse(await fetch(url, { credentials: 'same-origin' }));
}

export async function getSession() {
  session ??= await get('/api/session');
  return session;
}

// A POST that changes state: it carries the CSRF secret only our own pages can read.
export async function post(path) {
  const { csrf } = await getSession();
  return parse(await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'X-CSRF-Token': csrf },
  }));
}

const enc = encodeURIComponent;
export const runApi = (run) => `/api/runs/${enc(run.entity)}/${enc(run.project)}/${enc(run.id)}`;
export const projectApi = (entity, project) => `/api/projects/${enc(entity)}/${enc(project)}`;
export const runPage = (entity, project, id) => `/r/${enc(entity)}/${enc(project)}/${enc(id)}`;
export const projectPage = (entity, project) => `/p/${enc(entity)}/${enc(project)}`;
// A file of a run (its latest version), served with its own type so the page can show it.
export const runFileUrl = (run, path) =>
  `${runApi(run)}/file?${new URLSearchParams({ path, inline: '1' })}`;
// A file of a run (its latest version) as an attachment, for a download link.
export const runFileDownloadUrl = (run, path) => `${runApi(run)}/file?${new URLSearchParams({ path })}`;
// Artifacts: a collection (its versions) and one version, as the API and the pages name them.
export const artifactApi = (a) => `/api/artifacts/${enc(a.entity)}/${enc(a.project)}/${enc(a.name)}`;
export const artifactPage = (a, version) =>
  `/a/${enc(a.entity)}/${enc(a.project)}/${enc(a.name)}${version ? `/${enc(version)}` : ''}`;
// A file of an artifact version, from the store's blobs: as an attachment, or with its own
// type (`inline`) for viewing.
export const artifactFileUrl = (a, version, path, inline = false) =>
  `${artifactApi(a)}/${enc(version)}/file?${new URLSearchParams(inline ? { path, inline: '1' } : { path })}`;
