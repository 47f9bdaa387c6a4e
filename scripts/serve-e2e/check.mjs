// Drives the `collabsim serve` page in Debian's headless Chromium as an analyst would:
// waits for the baseline, moves the transparency slider with the keyboard to 0.3, waits for
// the refined answer, reads the numbers off the page, types an invalid value to see the
// server's message, clicks 'Save this comparison' and keeps the downloads, and takes
// screenshots at 1280 and 390 px. Prints one JSON line with what it read.
//   node scripts/serve-e2e/check.mjs http://127.0.0.1:PORT/ OUTDIR
// CHROMIUM names the browser binary (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [url, out] = process.argv.slice(2);
if (!url || !out) {
  console.error('usage: node check.mjs URL OUTDIR');
  process.exit(2);
}
mkdirSync(join(out, 'download'), { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const result = { problems: [] };
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith(url) && !r.url().startsWith('blob:')) outside.push(r.url()); });
  page.on('pageerror', (e) => result.problems.push('script error: ' + e.message));
  await page.goto(url);
  const final = (needle) => page.waitForFunction(
    (n) => document.querySelector('#status').dataset.state === 'final' && document.querySelector('#command').textContent.includes(n),
    needle, { timeout: 180000 });
  // The case as it is: the baseline alone.
  await final('collabsim run');
  result.baseline_headline = await page.textContent('#headline');

  // Move transparency from the case's value down to 0.3, one key press at a time (every
  // press asks a new question, which cancels the one before).
  const slider = page.locator('.lever[data-path="collaboration.transparency"] input[type=range]');
  await slider.focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  result.slider_value = await slider.inputValue();
  // A first estimate shows before the refined one.
  await page.waitForFunction(() => /First estimate/.test(document.querySelector('#headline').textContent), null, { timeout: 60000 })
    .then(() => { result.saw_first_estimate = true; })
    .catch(() => { result.saw_first_estimate = false; });
  await final('transparency=0.3');
  result.command = (await page.textContent('#command')).trim();
  result.headline = (await page.textContent('#headline')).trim();
  result.numbers = await page.$$eval('#numbers tbody tr', (rows) => rows.map((r) => ({
    key: r.dataset.key,
    label: r.querySelector('th').textContent,
    cells: [...r.querySelectorAll('td')].map((td) => ({ cls: td.className, text: td.textContent, value: td.dataset.value ?? null })),
  })));
  result.causes = await page.$$eval('#causes tbody tr', (rows) => rows.map((r) => ({
    cause: r.dataset.cause,
    cells: [...r.querySelectorAll('td')].map((td) => ({ text: td.textContent, value: td.dataset.value ?? null })),
  })));
  result.partners = await page.textContent('#partners');
  result.charts = await page.$$eval('figure.chart svg', (s) => s.length);
  await page.screenshot({ path: join(out, 'serve-1280.png'), fullPage: true });

  // Save: two downloads, the report and its manifest.
  const downloads = [];
  page.on('download', (d) => downloads.push(d));
  await page.click('#save');
  await page.waitForFunction(() => document.querySelector('#status').dataset.state === 'saved', null, { timeout: 180000 });
  await page.waitForTimeout(500);
  result.downloads = [];
  for (const d of downloads) {
    await d.saveAs(join(out, 'download', d.suggestedFilename()));
    result.downloads.push(d.suggestedFilename());
  }

  // A value the model does not accept: the server's reason shows on the page.
  const exact = page.locator('.lever[data-path="collaboration.transparency"] input[type=number]');
  await exact.fill('3');
  await exact.press('Enter');
  await exact.blur();
  await page.waitForSelector('#error:not([hidden])', { timeout: 30000 });
  result.error_text = await page.textContent('#error');
  await exact.fill('0.3');
  await exact.blur();

  // The phone: one column, nothing wider than the screen but the charts' scroll boxes.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  result.narrow_overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
  await page.screenshot({ path: join(out, 'serve-390.png'), fullPage: true });
  result.outside_requests = outside;
} catch (e) {
  result.problems.push(String(e && e.stack || e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
