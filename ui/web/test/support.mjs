// What the browser tests share: a private daemon and store per test file (as the C++
// integration tests' TestEnv), the real training programs that fill the store, a real
// `wandb-cpp ui`, and Debian's headless Chromium driven by puppeteer-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

const BIN = process.env.WANDB_TEST_BIN_DIR ?? join(import.meta.dirname, '../../../build/bin');
const SHOTS = process.env.WANDB_UI_SCREENSHOTS ?? join(import.meta.dirname, '../../../build/ui-screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export class TestEnv {
  constructor() {
    // Short, so the daemon's socket path fits in sun_path.
    this.base = mkdtempSync('/tmp/wu-');
    this.serviceDir = join(this.base, 'svc');
    this.rootDir = join(this.base, 'root');
    this.storeDir = join(this.base, 'store');
    mkdirSync(this.rootDir);
    this.env = {
      ...process.env,
      WANDB_CPP_SERVICE_DIR: this.serviceDir,
      WANDB_CPP_SERVICE_PATH: join(BIN, 'wandb-service'),
      WANDB_CPP_SERVICE_IDLE_TIMEOUT: '5',
      WANDB_DIR: this.rootDir,
      WANDB_CPP_STORE_DIR: this.storeDir,
      WANDB_SILENT: 'true',
      // A system-metrics record every second, so a short run has some.
      WANDB__STATS_SAMPLE_RATE_SECONDS: '0.5',
      WANDB__STATS_SAMPLES_TO_AVERAGE: '2',
    };
    this.children = [];
  }

  // Starts tests' program `name` from the build's bin/.
  spawn(name, args) {
    const child = spawn(join(BIN, name), args, { env: this.env, cwd: this.rootDir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.output = '';
    child.stdout.on('data', (d) => { child.output += d; });
    child.stderr.on('data', (d) => { child.output += d; });
    child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    this.children.push(child);
    return child;
  }

  // Runs a ui_client to its end; throws unless it exits 0.
  async run(args) {
    await this.runProgram('ui_client', args);
  }

  // Runs tests' program `name` to its end; throws unless it exits 0.
  async runProgram(name, args) {
    const child = this.spawn(name, args);
    const { code, signal } = await child.exited;
    if (code !== 0) throw new Error(`${name} ${args.join(' ')}: exit ${code ?? signal}\n${child.output}`);
  }

  // `wandb-cpp ui --port 0 --store STORE extra...`; resolves to its URL once it prints it.
  async startUi(extra = []) {
    const ui = this.spawn('wandb-cpp', ['ui', '--port', '0', '--store', this.storeDir, ...extra]);
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`wandb-cpp ui printed no URL: ${ui.output}`)), 20000);
      ui.stdout.on('data', () => {
        const m = /wandb-cpp ui: (\S+)/.exec(ui.output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      ui.exited.then(() => reject(new Error(`wandb-cpp ui exited: ${ui.output}`)));
    });
    this.url = url;
    this.origin = new URL(url).origin;
    return url;
  }

  async cleanup() {
    for (const child of this.children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    }
    await Promise.all(this.children.map((c) => Promise.race([c.exited, sleep(5000)])));
    // The daemon is not our child: find it by its service directory, as TestEnv does.
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch { continue; }
      if (cmdline.includes('wandb-service') && cmdline.includes(this.serviceDir)) {
        try { process.kill(Number(pid), 'SIGTERM'); } catch { /* gone */ }
      }
    }
    await sleep(200);
    rmSync(this.base, { recursive: true, force: true });
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function launchBrowser() {
  const userDataDir = mkdtempSync('/tmp/wu-chromium-');
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir,
    // WebGL from SwiftShader, Chromium's CPU renderer, asked for by name rather than left to
    // a fallback Chromium is retiring: the 3-D panels' tests read what three.js drew.
    args: ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
           '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--disable-dev-shm-usage'],
    defaultViewport: { width: 1400, height: 900 },
  });
  const close = browser.close.bind(browser);
  browser.close = async () => {
    await close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return browser;
}

// A page that fails the test on any script error.
export async function newPage(browser) {
  const page = await browser.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  return page;
}

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

// The entity the daemon gave the runs (the OS user's name).
export async function entityOf(env, project) {
  const r = await fetch(`${env.origin}/api/projects`);
  const { projects } = await r.json();
  const p = projects.find((x) => x.name === project);
  if (!p) throw new Error(`no project ${project}`);
  return p.entity;
}

// Polls `f` until it returns a truthy value; throws after `ms`.
export async function eventually(f, ms = 20000, what = 'condition') {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
