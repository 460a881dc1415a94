import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/features/demo/demo.service.js';
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

const PASSWORD = 'kpis-journey-password-1';

describe.runIf(browserSuiteEnabled())('the indicators in the browser (issue 15)', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  const pages: Page[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    h = await createHarness('sqlite', { LIFELINE_MFA: 'off' });
    h.clock.set(new Date().toISOString());
    await seedDemo(h.ctx, { customers: 20, seed: 3, password: PASSWORD });
    const teller = await apiSignIn(h, { username: 'teller.east', password: PASSWORD });
    const sup = await apiSignIn(h, { username: 'sup.east', password: PASSWORD });
    // A lead decided at once, as registration does: the month's leads are verified on time.
    await registerCaseThroughApi(
      h,
      { teller, supervisor: sup },
      { branch: 'EAST', illness: '肺癌确诊。', finances: '停薪', evidenceRef: 'KPI-1' },
    );
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

  it('P8.2.2 should show sup.east his branch’s indicators of the month, charted, and say why a value is missing, in Chinese', async () => {
    const page = await signInInBrowser(browser, base, h, { username: 'sup.east', password: PASSWORD });
    pages.push(page);
    await page.getByTestId('nav-kpis').click();
    await page.getByTestId('kpis-table').waitFor();
    await page.locator('canvas').first().waitFor();
    const lead = await page.getByTestId('kpi-lead_verified_on_time_rate').textContent();
    expect(lead).toMatch(/\d+(\.\d)?%/);
    expect(await page.getByTestId('kpi-satisfaction_mean').textContent()).toContain('系统尚未记录此数据来源');
    // The branch is the supervisor's own: no choice of branch.
    expect(await page.getByTestId('kpis-branch').count()).toBe(0);
    await screenshot(page, 'kpis');
  });

  it('P8.2 should let the inspector choose a branch and download the month as an Excel workbook', async () => {
    const page = await signInInBrowser(browser, base, h, { username: 'insp', password: PASSWORD });
    pages.push(page);
    await page.goto(`${base}/kpis`);
    await page.getByTestId('kpis-table').waitFor();
    await page.getByTestId('kpis-branch').selectOption({ label: '城东支行' });
    await page.getByTestId('kpi-lead_verified_on_time_rate').filter({ hasText: '%' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('kpis-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^lifeline-kpis-\d{4}-\d{2}-01-\d{4}-\d{2}-\d{2}\.xlsx$/);
  });
});
