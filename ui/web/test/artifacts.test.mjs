// Artifacts in the browser: the list reached from the top navigation, an artifact's versions
// and a version's files (downloaded, and viewed in place), the lineage graph (dataset -> train
// -> model -> evaluate -> predictions) with working links, and a run's inputs and outputs,
// over a store the real daemon made from three real runs (lineage_client).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestEnv, launchBrowser, newPage, screenshot, entityOf, eventually } from './support.mjs';

let env, browser, page, entity;

before(async () => {
  env = new TestEnv();
  await env.runProgram('lineage_client', ['--stage', 'dataset', '--id', 'data-1', '--rows', '40']);
  await env.runProgram('lineage_client', ['--stage', 'dataset', '--id', 'data-2', '--rows', '100']);
  await env.runProgram('lineage_client', ['--stage', 'train', '--id', 'train-1']);
  await env.runProgram('lineage_client', ['--stage', 'evaluate', '--id', 'eval-1']);
  await env.startUi();
  entity = await entityOf(env, 'pipeline');
  browser = await launchBrowser();
  page = await newPage(browser);
});

after(async () => {
  await browser?.close();
  await env?.cleanup();
});

const cells = (selector) => page.$$eval(`${selector} tbody tr`, (rows) =>
  rows.map((r) => Array.from(r.cells).map((c) => c.textContent.trim())));

test('the top navigation opens the artifacts list with every collection of the project', async () => {
  await page.goto(env.url);
  await page.waitForSelector('#projects');
  await page.click('#nav-artifacts');
  await page.waitForSelector('table.artifacts');
  assert.equal(new URL(page.url()).pathname, '/artifacts');
  const projects = await page.$$eval('.artifact-project', (s) => s.map((e) => e.dataset.project));
  assert.deepEqual(projects, [`${entity}/pipeline`]);
  const rows = await cells('table.artifacts');
  assert.deepEqual(rows.map((r) => r.slice(0, 4)), [
    ['cnn', 'model', '1', 'v0'],
    ['digits', 'dataset', '2', 'v1'],
    ['predictions', 'evaluation', '1', 'v0'],
  ]);
  assert.equal(rows[1][4], '938 B');  // 700 + 175 + 63: the reference has no size
  await screenshot(page, 'artifacts-list');
  assert.deepEqual(page.errors, []);
});

test('an artifact page lists its versions and the chosen version files with sizes', async () => {
  await page.click('table.artifacts tr[data-name="digits"] a');
  await page.waitForSelector('#version-files');
  assert.deepEqual((await cells('#versions')).map((r) => r.slice(0, 4)),
                   [['v1', 'latest', '938 B', '4'], ['v0', '', '413 B', '4']]);
  assert.equal(await page.$eval('#versions tr.selected', (r) => r.dataset.version), 'v1');
  const files = await cells('#version-files');
  assert.deepEqual(files.map((f) => [f[0], f[1], f[3]]), [
    ['labels/classes.json', '63 B', ''],
    ['raw.tar', '', 's3://example-bucket/digits/raw.tar'],
    ['test.csv', '175 B', ''],
    ['train.csv', '700 B', ''],
  ]);
  assert.deepEqual(await cells('#version-metadata'), [['rows', '100'], ['source', 'synthetic']]);
  assert.match(await page.$eval('#version-description', (p) => p.textContent), /100 training rows/);
  await screenshot(page, 'artifact-version');

  await page.click('#versions tr[data-version="v0"] a');
  await page.waitForFunction(() => document.querySelector('#versions tr.selected')?.dataset.version === 'v0');
  assert.equal(new URL(page.url()).pathname, `/a/${entity}/pipeline/digits/v0`);
  // The version's files come in their own request: wait for v0's, not v1's still shown.
  await page.waitForFunction(() => [...document.querySelectorAll('#version-files tbody tr')]
    .some((r) => r.cells[0]?.textContent.trim() === 'train.csv' &&
                 r.cells[1]?.textContent.trim() === '280 B'));
  const older = await cells('#version-files');
  assert.deepEqual(older.find((f) => f[0] === 'train.csv').slice(0, 2), ['train.csv', '280 B']);
  assert.deepEqual(page.errors, []);
});

test('a version\'s stored files download and text is viewed in a sandboxed frame', async () => {
  await page.goto(`${env.origin}/a/${entity}/pipeline/digits/v1`);
  await page.waitForSelector('#version-files');
  const links = await page.$$eval('#version-files tbody tr', (rows) => rows.map((r) => [
    r.dataset.path, [...r.querySelectorAll('a')].map((a) => a.textContent)]));
  assert.deepEqual(links, [['labels/classes.json', ['download', 'view']], ['raw.tar', []],
                           ['test.csv', ['download', 'view']], ['train.csv', ['download', 'view']]]);
  // A download: that version's bytes, as an attachment.
  const download = await page.$eval('#version-files tr[data-path="train.csv"] a.download', async (a) => {
    const r = await fetch(a.href);
    const body = await r.text();
    return { status: r.status, disposition: r.headers.get('content-disposition'), length: body.length,
             first: body.split('\n')[0], download: a.hasAttribute('download') };
  });
  assert.deepEqual(download, { status: 200, disposition: "attachment; filename*=UTF-8''train.csv", length: 700,
                               first: 'x0,0,y', download: true });
  // A view: the file in a sandboxed frame under the table.
  await page.click('#version-files tr[data-path="labels/classes.json"] a.view');
  await page.waitForSelector('#artifact-file-viewer iframe');
  assert.equal(await page.$eval('#artifact-file-viewer iframe', (f) => f.getAttribute('sandbox')), 'allow-scripts');
  const frame = await (await page.$('#artifact-file-viewer iframe')).contentFrame();
  const text = await eventually(() => frame.evaluate(() => document.body?.textContent ?? '').catch(() => ''), 20000, 'the file');
  assert.deepEqual(JSON.parse(text).classes.length, 10);
  assert.equal(await page.$eval('#artifact-file-viewer h3', (e) => e.textContent), 'labels/classes.json');
  await screenshot(page, 'artifact-file-view');
  // The older version's file is its own.
  await page.goto(`${env.origin}/a/${entity}/pipeline/digits/v0`);
  await page.waitForSelector('#version-files');
  const older = await page.$eval('#version-files tr[data-path="train.csv"] a.download', async (a) => (await (await fetch(a.href)).text()).length);
  assert.equal(older, 280);
  assert.deepEqual(page.errors, []);
});

test('the lineage graph draws makers and users one run further each way and its links work', async () => {
  await page.goto(`${env.origin}/a/${entity}/pipeline/cnn/best`);
  await page.waitForSelector('#lineage');
  const nodes = await page.$$eval('#lineage a.node', (as) => as.map((a) => ({
    key: a.dataset.key, x: a.querySelector('rect').x.baseVal.value, current: a.classList.contains('current'),
  })));
  const p = `${entity}/pipeline`;
  assert.deepEqual(nodes.map((n) => n.key), [
    `artifact:${p}/digits:v1`, `run:${p}/train-1`, `artifact:${p}/cnn:v0`, `run:${p}/eval-1`,
    `artifact:${p}/predictions:v0`,
  ]);
  // Left to right, one column each; the version shown is marked.
  for (let i = 1; i < nodes.length; i++) assert.ok(nodes[i].x > nodes[i - 1].x);
  assert.deepEqual(nodes.filter((n) => n.current).map((n) => n.key), [`artifact:${p}/cnn:v0`]);
  const edges = await page.$$eval('#lineage path.edge', (es) => es.map((e) => `${e.dataset.from} -> ${e.dataset.to}`));
  assert.deepEqual(edges.sort(), [
    `artifact:${p}/digits:v1 -> run:${p}/train-1`,
    `run:${p}/train-1 -> artifact:${p}/cnn:v0`,
    `artifact:${p}/cnn:v0 -> run:${p}/eval-1`,
    `run:${p}/eval-1 -> artifact:${p}/predictions:v0`,
  ].sort());
  await screenshot(page, 'artifact-lineage');

  await page.click(`#lineage a.node[data-key="run:${p}/eval-1"]`);
  await page.waitForSelector('#run-state');
  assert.equal(new URL(page.url()).pathname, `/r/${entity}/pipeline/eval-1`);
  await page.goBack();
  await page.waitForSelector('#lineage');
  await page.click(`#lineage a.node[data-key="artifact:${p}/predictions:v0"]`);
  await page.waitForFunction(() => document.querySelector('#version-title')?.textContent.startsWith('predictions:v0'));
  assert.equal(new URL(page.url()).pathname, `/a/${entity}/pipeline/predictions/v0`);
  assert.deepEqual(page.errors, []);
});

test('the run page artifacts tab lists its inputs and outputs with links', async () => {
  await page.goto(`${env.origin}/r/${entity}/pipeline/train-1?tab=artifacts`);
  await page.waitForSelector('#run-inputs');
  const names = (id) => page.$$eval(`#${id} tbody tr`, (rows) => rows.map((r) => r.dataset.artifact));
  assert.deepEqual(await names('run-inputs'), ['digits:v1']);
  assert.deepEqual(await names('run-outputs'), ['cnn:v0']);
  assert.deepEqual((await cells('#run-outputs'))[0].slice(1, 4), ['model', 'bestlatest', '4.0 KiB']);
  await screenshot(page, 'run-artifacts');
  await page.click('#run-inputs a');
  await page.waitForSelector('#version-files');
  assert.equal(new URL(page.url()).pathname, `/a/${entity}/pipeline/digits/v1`);
  await page.goto(`${env.origin}/r/${entity}/pipeline/data-1?tab=artifacts`);
  await page.waitForSelector('#run-outputs');
  assert.match(await page.$eval('#run-inputs', (e) => e.textContent), /used no artifact/);
  assert.deepEqual(page.errors, []);
});
