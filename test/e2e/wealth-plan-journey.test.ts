import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHoldings } from '../../src/features/customers/customers.service.js';
import { seedDemo } from '../../src/features/demo/demo.service.js';
import { findStaffByUsername } from '../../src/features/staff/staff.repository.js';
import { newId } from '../../src/platform/crypto/ids.js';
import { signIn as apiSignIn } from '../helpers/factories.js';
import { bankDay } from '../../src/platform/http/context.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import {
  SCREENSHOTS,
  browserSuiteEnabled,
  ensureWebBuilt,
  launchChromium,
  registerCaseThroughApi,
  screenshot,
  signInInBrowser,
} from './browser.js';

const PASSWORD = 'wealth-journey-password-1';

describe.runIf(browserSuiteEnabled())('wealth re-planning in the browser (issue 11, P4.3)', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let caseId = '';

  beforeAll(async () => {
    ensureWebBuilt();
    h = await createHarness('sqlite', { LIFELINE_MFA: 'off' });
    h.clock.set(new Date().toISOString());
    await seedDemo(h.ctx, { customers: 20, seed: 7, password: PASSWORD });
    const teller = await apiSignIn(h, { username: 'teller.east', password: PASSWORD });
    const sup = await apiSignIn(h, { username: 'sup.east', password: PASSWORD });
    const registered = await registerCaseThroughApi(
      h,
      { teller, supervisor: sup },
      { branch: 'EAST', illness: '肺癌术后化疗', finances: '治疗费用较高', evidenceRef: 'WP-1' },
    );
    caseId = registered.id;
    const n = registered.customerNumber;
    await loadHoldings(h.ctx, h.db, [
      {
        holdingRef: `WP5-${n}`,
        customerNumber: n,
        productCode: 'WP5',
        productName: '科技成长股票基金',
        riskLevel: 'R5',
        currency: 'CNY',
        marketValueMinor: 30_000_000,
        acquiredOn: '2021-03-01',
        maturityDate: null,
      },
      {
        holdingRef: `WP3-${n}`,
        customerNumber: n,
        productCode: 'WP3',
        productName: '稳健混合理财',
        riskLevel: 'R3',
        currency: 'CNY',
        marketValueMinor: 40_000_000,
        acquiredOn: '2021-03-01',
        maturityDate: null,
      },
      {
        holdingRef: `WP1-${n}`,
        customerNumber: n,
        productCode: 'WP1',
        productName: '七天通知存款',
        riskLevel: 'R1',
        currency: 'CNY',
        marketValueMinor: 10_000_000,
        acquiredOn: '2021-03-01',
        maturityDate: null,
      },
    ]);
    const wm = await findStaffByUsername(h.db, 'wm.east');
    const supRow = await findStaffByUsername(h.db, 'sup.east');
    if (!wm || !supRow) throw new Error('demo staff missing');
    await h.db
      .insertInto('case_team_members')
      .values({
        id: newId(),
        case_id: caseId,
        staff_id: wm.id,
        role: 'wealth_manager',
        is_primary: 0,
        assigned_at: h.clock.now().toISOString(),
        assigned_by: supRow.id,
        removed_at: null,
        removed_by: null,
      })
      .execute();
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

  it('P4.3.1 should let the wealth manager adjust the proposed moves, preview them and submit the plan as a service request', async () => {
    const page = await signInInBrowser(browser, base, h, { username: 'wm.east', password: PASSWORD });
    await page.goto(`${base}/cases/${caseId}/wealth-plan`);
    const table = page.getByTestId('wealth-moves');
    await table.waitFor();
    expect(await page.getByTestId('wealth-amount').count()).toBe(2);
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'wealth-plan');
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).not.toMatch(/P4\.3|[0-9a-f]{8}-[0-9a-f]{4}-/);
    // The wealth manager moves less of the R3 fund than the rule proposes: 200 000.00.
    await page.getByTestId('wealth-amount').nth(1).fill('200000');
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/wealth-plan/preview') && r.status() === 200),
      page.getByTestId('wealth-preview').click(),
    ]);
    await page.locator('textarea').fill('治疗期间以保本和流动性为先');
    await page.getByTestId('wealth-submit').click();
    await page.waitForURL(/\/service-requests\/[0-9a-f-]+$/);
    const requests = await h.db.selectFrom('service_requests').select(['type_code', 'details']).where('case_id', '=', caseId).execute();
    expect(requests).toHaveLength(1);
    expect(requests[0]?.type_code).toBe('wealth_replan');
    const details = JSON.parse(requests[0]?.details ?? '{}') as { moves: { amountMinor: number }[] };
    expect(details.moves.map((m) => m.amountMinor)).toEqual([30_000_000, 20_000_000]);
    await page.context().close();
  });

  it('P4.3.2 should let a staff member record and clear their away dates on the home page', async () => {
    const page = await signInInBrowser(browser, base, h, { username: 'wm.east', password: PASSWORD });
    const panel = page.getByTestId('away-panel');
    await panel.waitFor();
    // The bank's day: after 16:00 UTC it is already tomorrow in Beijing.
    const today = bankDay(h.ctx);
    const inputs = panel.locator('input[type="date"]');
    await inputs.nth(0).fill(today);
    await inputs.nth(1).fill(today);
    await page.getByTestId('away-save').click();
    await page.getByTestId('away-clear').waitFor();
    await screenshot(page, 'away-panel');
    await page.getByTestId('away-clear').click();
    await page.getByTestId('away-clear').waitFor({ state: 'detached' });
    expect(await h.db.selectFrom('staff_away').selectAll().execute()).toEqual([]);
    await page.context().close();
  });
});
