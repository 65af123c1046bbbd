// Full fidelity: a run of 1,000,000 steps with one spike is drawn with the spike, the server
// having reduced it to min/max/last per pixel; zooming in fetches finer buckets down to the
// points themselves. Prints the time from navigation to the chart drawn.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestEnv, launchBrowser, newPage, screenshot, entityOf, eventually } from './support.mjs';

const STEPS = 1000000;
const SPIKE = 617283;
let env, browser, page, runUrl;

before(async () => {
  env = new TestEnv();
  await env.run(['--mode', 'spike', '--id', 'million', '--steps', String(STEPS), '--spike-step', String(SPIKE)]);
  await env.startUi();
  runUrl = `${env.origin}/r/${await entityOf(env, 'fidelity')}/fidelity/million?tab=charts`;
  browser = await launchBrowser();
  page = await newPage(browser);
});

after(async () => {
  await browser?.close();
  await env?.cleanup();
});

const drawn = () => page.$eval('.panel[data-key="loss"]', (p) => {
  const plot = p.chart?.plot;
  if (!plot) return null;
  const y = Array.from(plot.data[1]).filter((v) => v !== null);
  return { n: y.length, max: Math.max(...y), xmin: plot.data[0][0], xmax: plot.data[0].at(-1),
           exact: p.dataset.exact === 'true', points: Number(p.dataset.points) };
}).catch(() => null);  // not on the page yet

test('the spike among a million steps is drawn', async () => {
  const start = Date.now();
  await page.goto(runUrl);
  const d = await eventually(drawn, 60000, 'the chart');
  const ms = Date.now() - start;
  console.log(`1M-step chart: navigation to drawn ${ms} ms (first request parses the history)`);
  assert.equal(d.points, STEPS);
  assert.equal(d.exact, false);
  assert.equal(d.max, 1000);
  assert.ok(d.n < 5000, `${d.n} points drawn`);
  assert.equal(d.xmin, 0);
  assert.equal(d.xmax, STEPS - 1);
  await screenshot(page, 'fidelity');

  // Again, now that the server has the history parsed.
  const again = Date.now();
  await page.reload();
  await eventually(drawn, 30000, 'the chart again');
  console.log(`1M-step chart: navigation to drawn, history cached ${Date.now() - again} ms`);
});

test('zooming in around the spike fetches finer buckets, down to the points', async () => {
  await page.$eval('.panel[data-key="loss"]', (p, spike) => p.chart.plot.setScale('x', { min: spike - 50, max: spike + 50 }), SPIKE);
  const d = await eventually(async () => {
    const v = await drawn();
    return v && v.exact ? v : null;
  }, 20000, 'exact points');
  assert.equal(d.max, 1000);
  assert.ok(d.n >= 101 && d.n <= 103, `${d.n} points`);
  await screenshot(page, 'fidelity-zoomed');
  assert.deepEqual(page.errors, []);
});
