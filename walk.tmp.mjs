import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:3901';
const PASSWORD = process.argv[2];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
async function as(user, locale, width = 1440) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 }, locale });
  const page = await ctx.newPage();
  const errors = [];
  page.on('response', (r) => { if (r.status() >= 400 && r.url().includes('/api/')) errors.push(`${r.status()} ${r.url()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror ${e.message}`));
  await page.goto(`${base}/`);
  await page.getByTestId('sign-in-username').fill(user);
  await page.getByTestId('sign-in-password').fill(PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('user-name').waitFor();
  return { page, errors, ctx };
}
const plan = [
  ['sup.east', 'zh-CN', '/kpis', 'kpis-sup-zh'],
  ['insp', 'en-US', '/kpis', 'kpis-insp-en'],
  ['risk.east', 'zh-CN', '/credit/watch', 'watch-risk-zh'],
  ['risk.east', 'en-US', '/incidents', 'incidents-risk-en'],
  ['sup.east', 'zh-CN', '/incidents', 'incidents-sup-zh'],
  ['sup.east', 'zh-CN', '/kpis', 'kpis-sup-phone', 390],
];
for (const [user, locale, path, name, width] of plan) {
  const { page, errors, ctx } = await as(user, locale, width);
  if (locale.startsWith('en')) {
    const sw = page.getByRole('combobox').first();
  }
  await page.goto(`${base}${path}`);
  await page.waitForTimeout(2500);
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  console.log(name, 'errors:', errors, 'overflow:', overflow);
  await ctx.close();
}
await browser.close();
