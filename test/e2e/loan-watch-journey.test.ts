import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoanWatch } from '../../src/features/credit/loan-watch.service.js';
import { loadLoans } from '../../src/features/customers/customers.service.js';
import { seedDemo } from '../../src/features/demo/demo.service.js';
import { findStaffByUsername } from '../../src/features/staff/staff.repository.js';
import { bankDay } from '../../src/platform/http/context.js';
import { signIn as apiSignIn } from '../helpers/factories.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import {
  browserSuiteEnabled,
  ensureWebBuilt,
  launchChromium,
  registerCaseThroughApi,
  SCREENSHOTS,
  screenshot,
  signInInBrowser,
} from './browser.js';

const PASSWORD = 'loan-watch-journey-password-1';
const DAY_MS = 86_400_000;
const PAST_DUE = 'LWJ-PASTDUE-1';
const COMING = 'LWJ-COMING-1';

describe.runIf(browserSuiteEnabled())('the loan watch in the browser (issue 12)', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let caseNumber = '';
  const pages: Page[] = [];
  const day = (offsetDays: number) => bankDay(h.ctx, new Date(h.clock.now().getTime() + offsetDays * DAY_MS));

  beforeAll(async () => {
    ensureWebBuilt();
    h = await createHarness('sqlite', { LIFELINE_MFA: 'off' });
    h.clock.set(new Date().toISOString());
    await seedDemo(h.ctx, { customers: 20, seed: 7, password: PASSWORD });
    const staffId = async (username: string) => {
      const staff = await findStaffByUsername(h.db, username);
      if (!staff) throw new Error(`${username} missing from the demo`);
      return staff.id;
    };
    const teller = await apiSignIn(h, { username: 'teller.east', password: PASSWORD });
    const sup = await apiSignIn(h, { username: 'sup.east', password: PASSWORD });
    const registered = await registerCaseThroughApi(
      h,
      { teller, supervisor: sup },
      { branch: 'EAST', illness: '胃癌术后化疗。', finances: '化疗期间停薪', evidenceRef: 'LWJ-1' },
    );
    caseNumber = registered.caseNumber;
    const team = await sup.request({
      method: 'PUT',
      url: `/api/v1/cases/${registered.id}/team`,
      payload: {
        members: [
          { staffId: await staffId('cm.east'), role: 'customer_manager', primary: true },
          { staffId: await staffId('risk.east'), role: 'risk_officer' },
        ],
      },
    });
    expect(team.statusCode, team.body).toBe(200);
    const loan = {
      customerNumber: registered.customerNumber,
      product: 'mortgage' as const,
      currency: 'CNY',
      principalMinor: 150_000_000,
      outstandingMinor: 120_000_000,
      interestRateBp: 390,
      instalmentMinor: 800_000,
      startDate: '2020-01-20',
      maturityDate: '2040-01-20',
    };
    const loaded = await loadLoans(h.ctx, h.db, [
      { ...loan, loanNumber: PAST_DUE, nextPaymentDate: day(-9), daysPastDue: 9, status: 'overdue' },
      // A consumer loan of ¥9,000 a month on top of the mortgage's ¥8,000: more than the customer's inflows bear.
      {
        ...loan,
        loanNumber: COMING,
        product: 'consumer',
        instalmentMinor: 900_000,
        nextPaymentDate: day(12),
        daysPastDue: 0,
        status: 'performing',
      },
    ]);
    expect(loaded.rejected).toEqual([]);
    await runLoanWatch(h.ctx);

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
  });

  it('P7.1.2 should show risk.east the watched loans, past due first, and the customer’s inflows against the instalments', async () => {
    const page = await signInInBrowser(browser, base, h, { username: 'risk.east', password: PASSWORD });
    pages.push(page);
    await page.getByTestId('nav-loanWatch').click();
    await page.getByTestId('loan-watch-table').waitFor();
    const rows = page.getByTestId('loan-watch-row');
    expect(await rows.first().textContent()).toContain(PAST_DUE);
    expect(await rows.first().textContent()).toContain('已逾期');
    const coming = rows.filter({ hasText: COMING });
    expect(await coming.textContent()).toContain('需提前准备');
    // Money in yuan with thousands separators.
    expect(await coming.textContent()).toContain('¥1,200,000.00');
    expect(await coming.textContent()).toContain(caseNumber);
    await coming.getByTestId('loan-watch-show').click();
    const card = page.getByTestId('case-loan-watch');
    await card.locator('canvas').waitFor();
    expect(await card.getByTestId('loan-watch-loans').textContent()).toContain('逾期处理');
    await screenshot(page, 'loan-watch');

    // The tasks are on the risk officer's own work, named in their language with the loan number.
    await page.getByTestId('nav-work').click();
    const tasks = page.getByTestId('work-task');
    await tasks.first().waitFor();
    const text = (await tasks.allTextContents()).join('\n');
    expect(text).toContain(`贷款逾期：与客户沟通 · ${PAST_DUE}`);
  });
});
