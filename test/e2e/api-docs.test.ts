import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, createHarness } from '../helpers/harness.js';
import { browserSuiteEnabled, launchChromium } from './browser.js';

describe.runIf(browserSuiteEnabled())('the browsable API reference in the browser', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    h = await createHarness('sqlite');
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const address = h.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('should render every tag of /api/docs under the CSP and open an operation with its date fields', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    const started = Date.now();
    await page.goto(`${base}/api/docs`);
    await page.locator('.opblock-tag').first().waitFor({ timeout: 60_000 });
    const shown = Date.now() - started;
    const tags = await page.locator('.opblock-tag').count();
    expect(tags).toBeGreaterThanOrEqual(10);
    // Folded at first (docExpansion none): the operations appear when their tag is opened.
    expect(await page.locator('.opblock').count()).toBe(0);
    await page.locator('.opblock-tag', { hasText: 'cases' }).first().click();
    const register = page.locator('.opblock-post', { hasText: '/api/v1/cases' }).first();
    await register.locator('.opblock-summary').click();
    await register.locator('.opblock-body').waitFor({ timeout: 60_000 });
    expect(await register.locator('.opblock-body').textContent()).toContain('reviewOn');
    expect(problems).toEqual([]);
    console.info(`/api/docs: ${tags} tags shown after ${shown} ms`);
  }, 120_000);
});
