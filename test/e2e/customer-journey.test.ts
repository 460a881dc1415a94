import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/features/demo/demo.service.js';
import { type Harness, createHarness } from '../helpers/harness.js';
import { SCREENSHOTS, browserSuiteEnabled, ensureWebBuilt, launchChromium } from './browser.js';

const PASSWORD = 'journey-password-1';

describe.runIf(browserSuiteEnabled())('the customer manager’s journey in the browser', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ensureWebBuilt();
    h = await createHarness('sqlite');
    h.clock.set(new Date().toISOString());
    await seedDemo(h.ctx, { customers: 40, seed: 1, password: PASSWORD });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const address = h.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('should let cm.east sign in, search a customer, open the customer page and see accounts', async () => {
    const customer = await h.db
      .selectFrom('customers')
      .innerJoin('branches', 'branches.id', 'customers.branch_id')
      .select(['customers.customer_number', 'customers.name'])
      .where('branches.code', '=', 'EAST')
      .orderBy('customers.customer_number')
      .executeTakeFirstOrThrow();

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${base}/`);
    await page.locator('input[name="username"]').fill('cm.east');
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();

    await page.getByTestId('nav-customers').click();
    await page.getByTestId('customer-search-query').fill(customer.customer_number);
    await page.getByTestId('customer-search-submit').click();
    const row = page.getByTestId('customer-row').first();
    await row.waitFor();
    expect(await row.textContent()).toContain(customer.name);
    await row.click();

    const heading = page.getByTestId('customer-name');
    await heading.waitFor();
    expect(await heading.textContent()).toContain(customer.name);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'customer-page.png'), fullPage: true });

    const events = await h.db.selectFrom('audit_events').select(['action', 'actor_username']).execute();
    expect(events).toContainEqual({ action: 'auth.login', actor_username: 'cm.east' });
    await page.close();
  });
});
