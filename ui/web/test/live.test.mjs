// A live run: its chart grows and its console, media and system metrics arrive without a
// reload; the Stop button (after a confirmation) stops the training process through the
// store, and the page shows the run as stopped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TestEnv, launchBrowser, newPage, screenshot, entityOf, eventually } from './support.mjs';

let env, browser, page, client, runUrl;

before(async () => {
  env = new TestEnv();
  const ready = join(env.rootDir, 'ready');
  client = env.spawn('ui_client', ['--mode', 'live', '--id', 'alive', '--ready-file', ready]);
  await eventually(() => existsSync(ready), 20000, 'the client to log');
  await env.startUi();
  runUrl = `${env.origin}/r/${await entityOf(env, 'live')}/live/alive`;
  browser = await launchBrowser();
  page = await newPage(browser);
});

after(async () => {
  await browser?.close();
  await env?.cleanup();
});

const points = () => page.$eval('.panel[data-key="loss"]', (p) => Number(p.dataset.points || 0)).catch(() => 0);

test('a live run\'s chart grows by itself', async () => {
  await page.goto(`${runUrl}?tab=charts`);
  const first = await eventually(points, 10000, 'the chart');
  assert.equal(await page.$eval('#live', (e) => e.textContent), '● live');
  // The client logs every 20 ms; a pulse reaches the page within a second.
  const later = await eventually(async () => {
    const n = await points();
    return n >= first + 25 ? n : null;
  }, 5000, 'more points');
  assert.ok(later > first);
  await screenshot(page, 'live-charts');
});

test('the console follows the live run', async () => {
  await page.click('nav.tabs a[data-tab="console"]');
  await page.waitForSelector('#console .line');
  const count = () => page.$$eval('#console .line', (l) => l.length);
  const first = await count();
  await eventually(async () => (await count()) > first + 10, 5000, 'new console lines');
});

test('the media tab follows the live run', async () => {
  await page.click('nav.tabs a[data-tab="media"]');
  // An image every 25th step: the panel opens at the latest and moves on to the next.
  const step = () => page.$eval('.image-panel[data-key="frame"]', (p) => Number(p.dataset.step ?? -1)).catch(() => -1);
  const first = await eventually(async () => {
    const s = await step();
    return s >= 0 ? s : null;
  }, 10000, 'the image panel');
  assert.equal(first % 25, 0);
  await eventually(async () => (await step()) > first, 10000, 'a newer image');
});

test('system metrics are charted', async () => {
  await page.click('nav.tabs a[data-tab="system"]');
  await eventually(() => page.$('#system .panel canvas'), 15000, 'a system chart');
  const keys = await page.$$eval('#system .panel', (p) => p.map((e) => e.dataset.key));
  assert.ok(keys.some((k) => k.startsWith('system.cpu')), keys.join());
  await eventually(async () => (await page.$$eval('#system .panel', (p) => p.length)) > 3, 5000);
  await screenshot(page, 'run-system');
});

test('the Stop button stops the training process, and the run ends as stopped', async () => {
  await page.click('nav.tabs a[data-tab="charts"]');
  let asked = '';
  page.once('dialog', async (dialog) => {
    asked = dialog.message();
    await dialog.accept();
  });
  await page.click('#stop');
  await eventually(() => asked, 5000, 'the confirmation');
  assert.match(asked, /Stop run/);
  const { code } = await Promise.race([client.exited, new Promise((_, reject) => setTimeout(() => reject(new Error('the client did not stop')), 20000))]);
  assert.equal(code, 0);
  await eventually(() => page.$eval('#run-state', (e) => e.textContent === 'stopped'), 10000, 'stopped state');
  assert.equal(await page.$eval('#stop', (b) => b.hidden), true);
  await eventually(() => page.$eval('#live', (e) => e.textContent === ''), 5000, 'live marker gone');
  await screenshot(page, 'stopped');
  assert.deepEqual(page.errors, []);
});
