// A finished run's page: its charts hold the points logged, grouped by prefix, with the x
// axis, smoothing and log scale; its overview, console (ANSI colours, search) and files; and
// a logged HTML file shown in a sandbox that cannot reach the app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestEnv, launchBrowser, newPage, screenshot, entityOf, eventually } from './support.mjs';

let env, browser, page, runUrl;

before(async () => {
  env = new TestEnv();
  await env.run(['--mode', 'demo', '--id', 'page-run', '--seed', '1', '--steps', '200']);
  await env.startUi();
  const entity = await entityOf(env, 'demo');
  runUrl = `${env.origin}/r/${entity}/demo/page-run`;
  browser = await launchBrowser();
  page = await newPage(browser);
});

after(async () => {
  await browser?.close();
  await env?.cleanup();
});

const panelData = (key) => page.$eval(`.panel[data-key="${key}"]`, (p) => {
  const plot = p.chart?.plot;
  return plot ? { points: Number(p.dataset.points), x: Array.from(plot.data[0]), y: Array.from(plot.data[1]) } : null;
});

test('the charts tab has a panel per key, grouped by prefix, with every logged point', async () => {
  await page.goto(`${runUrl}?tab=charts`);
  await page.waitForSelector('.panel[data-key="train/loss"] canvas');
  const sections = await page.$$eval('details.section', (s) => s.map((d) => d.dataset.section));
  assert.deepEqual(sections, ['Charts', 'train', 'val']);
  const charts = await page.$$eval('details[data-section="Charts"] .panel', (p) => p.map((e) => e.dataset.key));
  assert.deepEqual(charts, ['lr']);
  const loss = await eventually(() => panelData('train/loss'), 10000, 'train/loss drawn');
  assert.equal(loss.points, 200);
  assert.equal(loss.x.length, 200);
  assert.deepEqual(loss.x.slice(0, 3), [0, 1, 2]);
  // The first logged value: 2*exp(0) + 0.1 + 0.05*sin(1) for seed 1.
  assert.ok(Math.abs(loss.y[0] - (2 + 0.1 + 0.05 * Math.sin(1))) < 1e-9);
  const val = await eventually(() => panelData('val/acc'), 10000, 'val/acc drawn');
  assert.equal(val.points, 20);
  await screenshot(page, 'run-charts');
  assert.deepEqual(page.errors, []);
});

test('x axis, smoothing and log scale are chosen above the charts and kept in the URL', async () => {
  await page.select('#x-axis', '_runtime');
  // Step 1's x is 1 on the step axis; on the runtime axis it is the seconds since the start,
  // a fraction on a quiet machine but not on a loaded one: anything but 1 tells the switch.
  await eventually(async () => {
    const d = await panelData('train/loss');
    return d && d.x.length > 1 && d.x[1] !== 1;
  }, 10000, 'runtime x axis');
  assert.match(page.url(), /x=_runtime/);
  await page.select('#x-axis', '_step');
  await page.$eval('#smoothing', (s) => { s.value = '0.8'; s.dispatchEvent(new Event('change')); });
  await eventually(() => page.$eval('.panel[data-key="train/loss"]', (p) => p.chart.plot?.series.length === 3), 10000, 'smoothed series');
  const labels = await page.$eval('.panel[data-key="train/loss"]', (p) => p.chart.plot.series.map((s) => s.label));
  assert.deepEqual(labels.slice(1), ['train/loss (raw)', 'train/loss']);
  await page.click('#log-scale');
  await eventually(() => page.$eval('.panel[data-key="train/loss"]', (p) => p.chart.plot?.scales.y.distr === 3), 10000, 'log scale');
  assert.match(page.url(), /smooth=0.8/);
  assert.match(page.url(), /log=1/);
  await screenshot(page, 'run-charts-smoothed');
});

test('dragging across a chart zooms in and fetches that range', async () => {
  await page.goto(`${runUrl}?tab=charts`);
  await page.waitForSelector('.panel[data-key="train/loss"] canvas');
  await eventually(() => panelData('train/loss'), 10000);
  const box = await (await page.$('.panel[data-key="train/loss"] .u-over')).boundingBox();
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const zoomed = await eventually(async () => {
    const d = await panelData('train/loss');
    return d && d.x.length < 100 ? d : null;
  }, 10000, 'zoomed data');
  assert.ok(zoomed.x[1] > 30 && zoomed.x[zoomed.x.length - 2] < 110, `range ${zoomed.x[1]}..${zoomed.x.at(-2)}`);
  await page.$eval('.panel[data-key="train/loss"]', (p) => p.dispatchEvent(new MouseEvent('dblclick', { bubbles: true })));
  await eventually(async () => (await panelData('train/loss'))?.x.length === 200, 10000, 'zoomed out');
});

test('the overview shows config, summary and metadata', async () => {
  await page.goto(`${runUrl}?tab=overview`);
  await page.waitForSelector('#overview-config');
  const config = await page.$eval('#overview-config', (t) => t.textContent);
  assert.match(config, /optimizer\s*adam/);
  assert.match(config, /model\.layers\s*5/);
  assert.match(await page.$eval('#overview-summary', (t) => t.textContent), /best_val_acc/);
  assert.match(await page.$eval('#overview-run', (t) => t.textContent), /exit code\s*0/);
  await screenshot(page, 'run-overview');
});

test('the console renders ANSI colours and finds lines', async () => {
  await page.goto(`${runUrl}?tab=console`);
  await page.waitForSelector('#console .line');
  const first = await page.$eval('#console .line .text', (e) => e.innerHTML);
  assert.match(first, /<span style="font-weight:bold;color:rgb\(0,187,0\)">starting<\/span> training/);
  const stderr = await page.$$eval('#console .line.stderr', (l) => l.map((e) => e.textContent));
  assert.deepEqual(stderr, ['warning: this is a test run']);
  await screenshot(page, 'run-console');
  await page.type('#console-search', 'step 199:');
  await eventually(async () => (await page.$$('#console .line')).length === 1, 5000, 'search');
  assert.match(await page.$eval('#console .line', (e) => e.textContent), /step 199: loss/);
});

test('files are listed with their versions and download from the store', async () => {
  await page.goto(`${runUrl}?tab=files`);
  await page.waitForSelector('#files');
  const paths = await page.$$eval('#files tbody tr', (rows) => rows.map((r) => r.dataset.path));
  assert.ok(paths.includes('notes-page-run.txt'), paths.join());
  assert.ok(paths.includes('report-page-run.html'));
  assert.ok(paths.includes('output.log'));
  const href = await page.$eval('tr[data-path="notes-page-run.txt"] a.download', (a) => a.href);
  const body = await page.evaluate(async (u) => (await fetch(u)).text(), href);
  assert.equal(body, 'notes of run page-run\n');
  await screenshot(page, 'run-files');
});

test('a logged HTML page runs in a sandbox that cannot reach the app', async () => {
  await page.evaluate(() => {
    window.probe = null;
    window.addEventListener('message', (e) => { if (e.data?.sandboxProbe) window.probe = e.data.sandboxProbe; });
  });
  await page.click('tr[data-path="report-page-run.html"] a.view');
  const probe = await eventually(() => page.evaluate(() => window.probe), 10000, 'the frame\'s report');
  assert.equal(probe.parent, 'blocked');   // no access to the app's DOM
  assert.equal(probe.fetch, 'blocked');    // no reading the API with the app's session
  assert.equal(probe.cookie, 'blocked');   // an opaque origin has no cookies
  assert.equal(probe.storage, 'blocked');
  assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
  const frameOrigin = await page.$eval('#file-frame', (f) => f.getAttribute('sandbox'));
  assert.equal(frameOrigin, 'allow-scripts');
  // Opened on its own, the file is still sandboxed by the server's policy.
  const href = await page.$eval('#file-frame', (f) => f.src);
  const direct = await newPage(browser);
  await direct.goto(href);
  await eventually(() => direct.$eval('#out', (e) => e.textContent !== 'running'), 10000, 'direct page result');
  const result = JSON.parse(await direct.$eval('#out', (e) => e.textContent));
  assert.equal(result.fetch, 'blocked');
  assert.equal(result.cookie, 'blocked');
  await direct.close();
});
