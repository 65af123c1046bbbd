// The media tab in the browser: time from navigation to the media tab drawn (an image panel
// of 100 steps, a histogram heat map over 100 steps, a table, 9 Vega charts), and from a
// move of the image panel's step slider to the new image decoded and shown, in Debian's
// headless Chromium.
//
//   node ui/web/bench/media_bench.mjs [BUILD_DIR]      (default: build)
//
// Makes the store with the tests' ui_client (--mode media --steps 100 --image-steps 100),
// starts `wandb-cpp ui` on it, and prints RESULT lines. Asserts nothing.
import { resolve } from 'node:path';

// support.mjs reads the programs' directory when loaded: set it first.
process.env.WANDB_TEST_BIN_DIR ??= resolve(process.argv[2] ?? 'build', 'bin');
const { TestEnv, launchBrowser, entityOf } = await import('../test/support.mjs');
const env = new TestEnv();
const median = (v) => v.slice().sort((a, b) => a - b)[Math.floor(v.length / 2)];
try {
  await env.run(['--mode', 'media', '--id', 'bench', '--steps', '100', '--image-steps', '100']);
  await env.startUi();
  const url = `${env.origin}/r/${await entityOf(env, 'media')}/media/bench?tab=media`;
  const browser = await launchBrowser();
  const page = await browser.newPage();
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const t0 = Date.now();
    await page.goto(url);
    await page.waitForFunction(() =>
      document.querySelector('.image-panel[data-key="samples"]')?.dataset.step === '99' &&
      document.querySelector('.histogram-panel canvas[data-columns]') &&
      document.querySelectorAll('.custom-chart svg').length === 9, { timeout: 60000, polling: 10 });
    loads.push(Date.now() - t0);
  }
  console.log(`RESULT media tab, navigation to drawn: first ${loads[0]} ms, median of 5 ${median(loads)} ms`);
  const moves = [];
  for (let i = 0; i < 40; i++) {
    const step = (i * 37) % 99;  // a new step each time, so nothing is cached
    moves.push(await page.evaluate(async (step) => {
      const panel = document.querySelector('.image-panel[data-key="samples"]');
      const slider = panel.querySelector('.step-slider');
      const shown = new Promise((r) => {
        const seen = new MutationObserver(() => {
          if (panel.dataset.step === String(step)) {
            seen.disconnect();
            r(performance.now());
          }
        });
        seen.observe(panel, { attributes: true, attributeFilter: ['data-step'] });
      });
      const t0 = performance.now();
      slider.value = String(step);
      slider.dispatchEvent(new Event('input'));
      return (await shown) - t0;
    }, step));
  }
  console.log(`RESULT image slider step (fetch the value, load and decode the image, shown): ` +
              `median ${median(moves).toFixed(1)} ms, max ${Math.max(...moves).toFixed(1)} ms over ${moves.length} moves`);
  await browser.close();
} finally {
  await env.cleanup();
}
