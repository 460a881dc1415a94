import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSACTION_COLUMNS } from '../../src/domain/analysis/transaction.js';
import { seedDemo } from '../../src/features/demo/demo.service.js';
import { findStaffByUsername } from '../../src/features/staff/staff.repository.js';
import { signIn as apiSignIn } from '../helpers/factories.js';
import { type Harness, createHarness } from '../helpers/harness.js';
import {
  SCREENSHOTS,
  browserSuiteEnabled,
  enrolDemoTotp,
  ensureWebBuilt,
  launchChromium,
  registerCaseThroughApi,
  screenshot,
  signInInBrowser,
} from './browser.js';

const PASSWORD = 'analysis-journey-password-1';
const SUP_TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/**
 * Issue 5 in the browser: ops.east uploads the day's transaction file and follows the batch; the
 * registered customer's large transfer to a new payee becomes an alert that sup.east reads with
 * its evidence chart and works; sup.east then dry-runs a stricter rule set.
 */
describe.runIf(browserSuiteEnabled())('transaction analysis in the browser (issue 5)', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let registered: Awaited<ReturnType<typeof registerCaseThroughApi>>;
  let dir = '';
  const pages: Page[] = [];

  const signIn = async (username: string) => {
    const page = await signInInBrowser(browser, base, h, {
      username,
      password: PASSWORD,
      ...(username === 'sup.east' ? { totpSecret: SUP_TOTP, nextStep: true } : {}),
    });
    pages.push(page);
    return page;
  };

  beforeAll(async () => {
    ensureWebBuilt();
    h = await createHarness('sqlite');
    h.clock.set(new Date().toISOString());
    // The seed analyses the demo history, so every customer has a baseline to be judged against.
    await seedDemo(h.ctx, { customers: 20, seed: 11, password: PASSWORD });
    await enrolDemoTotp(h, 'sup.east', SUP_TOTP);
    const teller = await apiSignIn(h, { username: 'teller.east', password: PASSWORD });
    const sup = await apiSignIn(h, { username: 'sup.east', password: PASSWORD, totpSecret: SUP_TOTP });
    registered = await registerCaseThroughApi(
      h,
      { teller, supervisor: sup },
      { branch: 'EAST', illness: '胰腺癌，正在化疗。', finances: '医疗费用高，家庭收入下降', evidenceRef: 'AJ-1' },
    );
    const cm = await findStaffByUsername(h.db, 'cm.east');
    const team = await sup.request({
      method: 'PUT',
      url: `/api/v1/cases/${registered.id}/team`,
      payload: { members: [{ staffId: cm?.id ?? '', role: 'customer_manager', primary: true }] },
    });
    expect(team.statusCode, team.body).toBe(200);

    // Today's file: a large transfer from the registered customer to a payee never seen before,
    // and two rows the bank's export got wrong.
    const account = await h.db
      .selectFrom('transactions')
      .select('account_id')
      .where('customer_number', '=', registered.customerNumber)
      .executeTakeFirstOrThrow();
    const at = new Date(h.clock.now().getTime() - 3_600_000).toISOString();
    const rows = [
      `AJ-1,${account.account_id},${registered.customerNumber},${at},30000000,CNY,debit,online,陌生收款人,6222000011112222,,投资款`,
      'AJ-2,broken',
      `AJ-3,${account.account_id},${registered.customerNumber},yesterday,100,CNY,debit,card,,,,`,
    ];
    dir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-journey-'));
    writeFileSync(path.join(dir, 'day.csv'), `${TRANSACTION_COLUMNS.join(',')}\n${rows.join('\n')}\n`);

    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const address = h.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    for (const page of pages) await page.context().close();
    await browser?.close();
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('should let ops.east upload the day file and see the batch with its bad rows by line', async () => {
    const page = await signIn('ops.east');
    await page.goto(`${base}/transactions/batches`);
    await page.getByTestId('batch-file').setInputFiles(path.join(dir, 'day.csv'));
    await page.getByTestId('batch-send').click();
    await page.getByTestId('batch-result').waitFor();
    const row = page.locator('tr[data-testid^="batch-"]').filter({ hasText: 'day.csv' }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain('完成');
    await row.getByRole('button', { name: '2' }).click();
    await page.getByTestId('batch-errors').waitFor();
    const errors = await page.getByTestId('batch-errors').textContent();
    expect(errors).toContain('3');
    expect(errors).toContain('booked_at');
    await screenshot(page, 'analysis-batches');
  });

  it('should show sup.east the alert with its evidence chart and let the contact be recorded', async () => {
    const page = await signIn('sup.east');
    await page.goto(`${base}/alerts`);
    await page.getByTestId('alerts-table').waitFor();
    await screenshot(page, 'analysis-alert-inbox');
    await page.getByTestId('alert-link').first().click();
    await page.getByTestId('alert-flagged').waitFor();
    expect(await page.getByTestId('alert-flagged').textContent()).toContain('陌生收款人');
    await page.locator('canvas').first().waitFor();
    expect(await page.getByTestId('alert-rules').textContent()).toContain('向新收款人大额转账');
    await screenshot(page, 'analysis-alert-evidence');
    await page.getByTestId('alert-channel').selectOption('phone');
    await page.getByTestId('alert-outcome').selectOption('reached');
    await page.getByTestId('alert-note').fill('已与客户本人电话确认');
    await page.getByTestId('alert-submit').click();
    await page.getByTestId('alert-status').filter({ hasText: '已联系' }).waitFor();
    await screenshot(page, 'analysis-alert-contacted');
  });

  it('should let sup.east save a stricter rule set as a draft and dry-run it over past data', async () => {
    const page = await signIn('sup.east');
    await page.goto(`${base}/analysis/rules`);
    await page.getByTestId('rules-active').waitFor();
    await page.getByTestId('rules-version').fill('2026.1-strict');
    await page.getByTestId('rules-save').click();
    await page.getByTestId('rules-versions').filter({ hasText: '2026.1-strict' }).waitFor();
    await page.getByTestId('rules-dry-run-version').selectOption('2026.1-strict');
    await page.getByTestId('rules-dry-run-start').click();
    await page.getByTestId('rules-dry-run-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('rules-dry-run-kinds').textContent()).toMatch(/\d/);
    await screenshot(page, 'analysis-rules-dry-run');
  });
});
