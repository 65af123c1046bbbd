// The projects page and the runs table of a store the real daemon made: every run listed,
// sorted by a header click, filtered, and two runs selected and compared on one chart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestEnv, launchBrowser, newPage, screenshot, entityOf, eventually } from './support.mjs';

let env, browser, page, entity;

before(async () => {
  env = new TestEnv();
  for (let seed = 0; seed < 4; seed++) {
    await env.run(['--mode', 'demo', '--id', `run-${seed}`, '--seed', String(seed), '--steps', '120']);
  }
  await env.startUi();
  entity = await entityOf(env, 'demo');
  browser = await launchBrowser();
  page = await newPage(browser);
});

after(async () => {
  await browser?.close();
  await env?.cleanup();
});

const rowIds = () => page.$$eval('#runs-table tbody tr', (rows) => rows.map((r) => r.dataset.run));

test('the projects page lists the project with its runs', async () => {
  await page.goto(env.url);
  await page.waitForSelector('#projects');
  const text = await page.$eval('#projects', (t) => t.textContent);
  assert.match(text, new RegExp(`${entity}/demo`));
  await screenshot(page, 'projects');
  await page.click(`#projects a`);
  await page.waitForSelector('#runs-table tbody tr');
  assert.equal(new URL(page.url()).pathname, `/p/${entity}/demo`);
});

test('the runs table lists every run, newest first, with state, tags and group', async () => {
  assert.deepEqual(await rowIds(), ['run-3', 'run-2', 'run-1', 'run-0']);
  const first = await page.$eval('#runs-table tbody tr', (r) => r.textContent);
  assert.match(first, /finished/);
  assert.match(first, /demo-3/);
  assert.match(first, /sweep-a/);
  assert.match(first, /odd/);
  assert.equal(await page.$eval('#runs-count', (e) => e.textContent), '4 runs');
});

test('columns of config and summary values can be added and sorted by', async () => {
  await page.click('details.columns summary');
  await page.click('input[data-column="config.lr"]');
  await eventually(async () => (await page.$$('th[data-sort="config.lr"]')).length === 1);
  await page.click('th[data-sort="config.lr"]');  // descending first
  await eventually(() => page.url().includes('sort=-config.lr'), 5000, 'descending lr');
  await eventually(async () => (await rowIds()).join() === 'run-3,run-2,run-1,run-0', 5000, 'descending lr');
  await page.click('th[data-sort="config.lr"]');  // then ascending
  await eventually(async () => (await rowIds()).join() === 'run-0,run-1,run-2,run-3', 5000, 'ascending lr');
  assert.match(page.url(), /sort=config.lr/);
  assert.match(page.url(), /columns=config.lr/);
  await page.click('details.columns summary');
});

test('filters: text, tag, and a numeric range', async () => {
  await page.type('#filter-text', 'demo-2');
  await eventually(async () => (await rowIds()).join() === 'run-2', 5000, 'text filter');
  await page.$eval('#filter-text', (e) => { e.value = ''; e.dispatchEvent(new Event('input')); });
  await eventually(async () => (await rowIds()).length === 4, 5000);
  await page.select('#filter-tag', 'odd');
  await eventually(async () => (await rowIds()).join() === 'run-1,run-3', 5000, 'tag filter');
  await page.select('#filter-tag', '');
  await page.type('#range-column', 'config.lr');
  await page.type('#range-min', '0.0025');
  await page.click('#range-add');
  await eventually(async () => (await rowIds()).join() === 'run-2,run-3', 5000, 'range filter');
  assert.match(page.url(), /range=config.lr%3A0.0025%3A/);
  await screenshot(page, 'runs-table');
});

test('a bookmarked table URL shows the same table', async () => {
  const url = page.url();
  const other = await newPage(browser);
  await other.goto(url);
  await other.waitForSelector('#runs-table tbody tr');
  const ids = await other.$$eval('#runs-table tbody tr', (rows) => rows.map((r) => r.dataset.run));
  assert.deepEqual(ids, ['run-2', 'run-3']);
  await other.close();
});

test('two selected runs are compared on one chart', async () => {
  const boxes = await page.$$('#runs-table tbody input.select');
  await boxes[0].click();
  await boxes[1].click();
  await page.click('#compare');
  await page.waitForSelector('.panel[data-key="train/loss"] canvas');
  await eventually(() => page.$eval('.panel[data-key="train/loss"]', (p) => p.chart?.plot?.series.length === 3), 10000, 'two series');
  const labels = await page.$eval('.panel[data-key="train/loss"]', (p) => p.chart.plot.series.slice(1).map((s) => s.label));
  assert.deepEqual(labels.sort(), ['demo-2', 'demo-3']);
  assert.match(page.url(), /overlay=run-3/);
  await screenshot(page, 'compare');
  assert.deepEqual(page.errors, []);
});
