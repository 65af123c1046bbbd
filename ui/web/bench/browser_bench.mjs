// The web UI in the browser (issue 16): time from navigation to drawn for the runs table of
// 10,000 runs and for a 1,000,000-step chart, in Debian's headless Chromium.
//
//   node ui/web/bench/browser_bench.mjs [BUILD_DIR]      (default: build)
//
// Makes the store with `bench_ui --make-only` (10,000 runs, one run of 1M steps), starts
// `wandb-cpp ui` on it, and prints RESULT lines. Asserts nothing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchBrowser, sleep } from '../test/support.mjs';

const bin = resolve(process.argv[2] ?? 'build', 'bin');
const store = mkdtempSync('/tmp/bench-ui-browser-');
const made = spawnSync(join(bin, 'bench_ui'), ['--make-only', '--store', store], { stdio: 'inherit' });
if (made.status !== 0) process.exit(1);

const ui = spawn(join(bin, 'wandb-cpp'), ['ui', '--port', '0', '--store', store]);
const origin = await new Promise((res) => {
  let out = '';
  ui.stdout.on('data', (d) => {
    out += d;
    const m = /wandb-cpp ui: (http:\/\/[^/\s]+)/.exec(out);
    if (m) res(m[1]);
  });
});

const browser = await launchBrowser();
const page = await browser.newPage();
const median = (v) => v.slice().sort((a, b) => a - b)[Math.floor(v.length / 2)];
const result = (name, value) => console.log(`RESULT ${name} ${value.toFixed(0)} ms`);

async function timeTo(url, ready) {
  const start = performance.now();
  await page.goto(url);
  await page.waitForFunction(ready, { polling: 'raf', timeout: 120000 });
  return performance.now() - start;
}

const tableUrl = `${origin}/p/bench/sweep?sort=-summary.acc&columns=config.lr,summary.acc,summary.val.loss`;
const tableReady = () => document.querySelectorAll('#runs-table tbody tr').length === 100;
result('browser_runs_table_10k_first', await timeTo(tableUrl, tableReady));
const table = [];
for (let i = 0; i < 5; i++) table.push(await timeTo(tableUrl, tableReady));
result('browser_runs_table_10k_median', median(table));

const chartUrl = `${origin}/r/bench/long/million?tab=charts`;
const chartReady = () => document.querySelector('.panel[data-key="loss"]')?.chart?.plot?.data[0]?.length > 0;
result('browser_chart_1m_first', await timeTo(chartUrl, chartReady));
const chart = [];
for (let i = 0; i < 5; i++) chart.push(await timeTo(chartUrl, chartReady));
result('browser_chart_1m_median', median(chart));

await browser.close();
ui.kill('SIGTERM');
await sleep(300);
rmSync(store, { recursive: true, force: true });
