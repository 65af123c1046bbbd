// The media tab's live refresh on a run with many media keys: while a run logs 50 image keys
// (16 x 16) every 200 ms, how long each refresh tick takes in the browser (from its /keys
// request to the last answer it waited for) and how many bytes of API JSON and of image files it
// fetched, in Debian's headless Chromium.
//
//   node ui/web/bench/live_media_bench.mjs [BUILD_DIR] [KEYS]     (default: build, 50)
//
// Makes the run with the tests' ui_client (--mode many), starts `wandb-cpp ui` on the store,
// opens the run's media tab while it logs, and prints RESULT lines. Asserts nothing.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

process.env.WANDB_TEST_BIN_DIR ??= resolve(process.argv[2] ?? 'build', 'bin');
const keys = Number(process.argv[3] ?? 50);
const { TestEnv, launchBrowser, entityOf, eventually, sleep } = await import('../test/support.mjs');
const env = new TestEnv();
const median = (v) => v.slice().sort((a, b) => a - b)[Math.floor(v.length / 2)];
try {
  const client = env.spawn('ui_client', ['--mode', 'many', '--id', 'many', '--steps', '150', '--keys', String(keys),
                                         '--interval-ms', '200']);
  // The store exists once the daemon has taken the run.
  await eventually(() => existsSync(join(env.storeDir, 'store.db')), 20000, 'the store');
  await sleep(500);
  await env.startUi();
  const entity = await eventually(() => entityOf(env, 'many').catch(() => null), 20000, 'the run');
  const browser = await launchBrowser();
  const page = await browser.newPage();
  await page.goto(`${env.origin}/r/${entity}/many/many?tab=media`);
  await page.waitForFunction((n) => document.querySelectorAll('.image-panel[data-step]').length === n,
                             { timeout: 60000 }, keys);
  // Ten seconds of ticks while the run logs: what the page fetched, from the Resource Timing API.
  await page.evaluate(() => {
    performance.setResourceTimingBufferSize(100000);
    performance.clearResourceTimings();
  });
  await sleep(10000);
  const entries = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => ({
    name: e.name, start: e.startTime, end: e.responseEnd, bytes: e.encodedBodySize })));
  const stillLive = client.exitCode === null;
  await browser.close();
  // A tick begins with its /keys request and holds every request until the next one.
  const ticks = [];
  for (const e of entries.sort((a, b) => a.start - b.start)) {
    if (/\/keys(\?|$)/.test(e.name)) ticks.push({ start: e.start, end: e.end, api: 0, images: 0, requests: 0 });
    const tick = ticks[ticks.length - 1];
    if (!tick) continue;
    tick.end = Math.max(tick.end, e.end);
    tick.requests++;
    if (/\/file\?/.test(e.name)) tick.images += e.bytes;
    else tick.api += e.bytes;
  }
  const full = ticks.slice(0, -1);  // the last may be cut off by the window
  console.log(`RESULT ${keys} image keys, a step every 200 ms: ${full.length} refresh ticks in 10 s` +
              `${stillLive ? '' : ' (the run ended inside the window)'}`);
  console.log(`RESULT per tick: median ${median(full.map((t) => t.end - t.start)).toFixed(0)} ms, ` +
              `max ${Math.max(...full.map((t) => t.end - t.start)).toFixed(0)} ms; ` +
              `median ${median(full.map((t) => t.requests))} requests, ` +
              `${(median(full.map((t) => t.api)) / 1024).toFixed(1)} KiB of API JSON and ` +
              `${(median(full.map((t) => t.images)) / 1024).toFixed(1)} KiB of images (encoded body sizes)`);
  await client.exited;  // the run finishes on its own, so nothing writes while the store goes
} finally {
  await env.cleanup();
}
