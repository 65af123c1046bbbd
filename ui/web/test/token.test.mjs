// A server that asks for a token refuses the browser without it or with a wrong one, and
// serves the app when opened with the URL it printed (the token then lives in a cookie).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestEnv, launchBrowser, newPage } from './support.mjs';

let env, browser;

before(async () => {
  env = new TestEnv();
  await env.run(['--mode', 'demo', '--id', 'tok', '--steps', '10']);
  await env.startUi(['--token', 'open-sesame']);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await env?.cleanup();
});

test('a missing or wrong token is refused', async () => {
  const page = await newPage(browser);
  for (const url of [`${env.origin}/`, `${env.origin}/?token=wrong`, `${env.origin}/api/projects`]) {
    const response = await page.goto(url);
    assert.equal(response.status(), 401, url);
    assert.match(await page.content(), /a token is needed/);
  }
  await page.close();
});

test('the printed URL opens the app, whose own requests then carry the token', async () => {
  assert.equal(env.url, `${env.origin}/?token=open-sesame`);
  const page = await newPage(browser);
  await page.goto(env.url);
  await page.waitForSelector('#projects a');
  await page.click('#projects a');
  await page.waitForSelector('#runs-table tbody tr');
  assert.deepEqual(await page.$$eval('#runs-table tbody tr', (r) => r.map((e) => e.dataset.run)), ['tok']);
  assert.deepEqual(page.errors, []);
  await page.close();
});
