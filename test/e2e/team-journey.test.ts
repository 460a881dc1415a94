import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/features/demo/demo.service.js';
import { signIn as apiSignIn } from '../helpers/factories.js';
import { createHarness, type Harness } from '../helpers/harness.js';
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

const PASSWORD = 'team-journey-password-1';
// Known base32 secrets, so that the test can type the codes an authenticator app would show.
const TOTP = {
  'sup.east': 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  insp: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU',
} as const;
const ILLNESS = '急性髓系白血病，正在进行诱导化疗。';
const REASON = '客户家属紧急来电询问理赔材料，团队成员均在外，需要立即核对病情信息。';

describe.runIf(browserSuiteEnabled())('the service team and need-to-know in the browser (issue 4)', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let caseId = '';

  const enrolTotp = (username: keyof typeof TOTP) => enrolDemoTotp(h, username, TOTP[username]);
  const signIn = (username: string) =>
    signInInBrowser(browser, base, h, {
      username,
      password: PASSWORD,
      totpSecret: username in TOTP ? TOTP[username as keyof typeof TOTP] : undefined,
      // A used code never works twice: each sign-in moves the (standing) harness clock to the next step.
      nextStep: true,
    });
  const shot = screenshot;

  beforeAll(async () => {
    ensureWebBuilt();
    h = await createHarness('sqlite');
    h.clock.set(new Date().toISOString());
    await seedDemo(h.ctx, { customers: 20, seed: 4, password: PASSWORD });
    await enrolTotp('sup.east');
    await enrolTotp('insp');
    // The case to staff: recorded, confirmed and registered through the API.
    const teller = await apiSignIn(h, { username: 'teller.east', password: PASSWORD });
    const sup = await apiSignIn(h, { username: 'sup.east', password: PASSWORD, totpSecret: TOTP['sup.east'] });
    const registered = await registerCaseThroughApi(
      h,
      { teller, supervisor: sup },
      { branch: 'EAST', illness: ILLNESS, finances: '治疗费用较高', evidenceRef: 'TJ-1' },
    );
    caseId = registered.id;
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

  it('should let sup.east assign the team with cm.east as primary customer manager', async () => {
    const page = await signIn('sup.east');
    await page.goto(`${base}/cases/${caseId}`);
    await page.getByTestId('case-title').waitFor();
    // A case without a team says so on its overview and leads to the team tab, the form open.
    await page.getByTestId('case-team-missing').getByRole('link').click();
    await page.getByTestId('team-form').waitFor();
    const tasks = page.getByTestId('tab-panel-team').getByTestId('case-section-work');
    await tasks.getByText('暂无未完成任务').waitFor();
    await page.getByTestId('team-role-customer_manager').selectOption({ label: '客户经理 李娜' });
    await page.getByTestId('team-role-wealth_manager').selectOption({ label: '理财经理 张静' });
    await page.getByTestId('team-save').click();
    await page.getByTestId('team-saved').waitFor();
    await page.getByTestId('team-member').filter({ hasText: '客户经理 李娜' }).waitFor();
    expect(await page.getByTestId('team-members').textContent()).toContain('主责');
    // Saving the team makes the members' duties: the case's work and timeline show them without a reload.
    await tasks.getByTestId('case-task').filter({ hasText: '定期联系' }).filter({ hasText: '李娜' }).waitFor();
    await tasks.getByTestId('case-task').filter({ hasText: '财务评估复核' }).filter({ hasText: '张静' }).waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, 'team-assigned');
    await page.getByTestId('tab-timeline').click();
    await page.getByTestId('case-section-timeline').getByRole('row').filter({ hasText: '定期联系' }).first().waitFor();

    // Taking the wealth manager off cancels their review, and the open work follows at once.
    await page.getByTestId('tab-team').click();
    await page.getByTestId('team-edit').click();
    await page.getByTestId('team-role-wealth_manager').selectOption({ label: '— 无 —' });
    await page.getByTestId('team-save').click();
    await page.getByTestId('team-saved').waitFor();
    await expect.poll(() => tasks.getByTestId('case-task').filter({ hasText: '财务评估复核' }).count()).toBe(0);
    await page.getByTestId('team-edit').click();
    await page.getByTestId('team-role-wealth_manager').selectOption({ label: '理财经理 张静' });
    await page.getByTestId('team-save').click();
    await tasks.getByTestId('case-task').filter({ hasText: '财务评估复核' }).waitFor();
    await page.goto(`${base}/teams/workload`);
    await page.getByTestId('workload-table').waitFor();
    expect(await page.getByTestId('workload-table').textContent()).toContain('客户经理 李娜');
    await shot(page, 'team-workload');
    await page.context().close();
  });

  it('should show cm.east the case with its sensitive sections', async () => {
    const page = await signIn('cm.east');
    await page.goto(`${base}/cases/${caseId}`);
    await page.getByTestId('case-title').waitFor();
    await page.getByTestId('case-category-name').waitFor();
    expect(await page.getByTestId('case-not-entitled').count()).toBe(0);
    await shot(page, 'team-member-case');
    await page.context().close();
  });

  it('should give cm.west no access: the case is not found', async () => {
    const page = await signIn('cm.west');
    await page.goto(`${base}/cases/${caseId}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('没有找到相应记录');
    expect(await page.getByTestId('case-title').count()).toBe(0);
    await page.context().close();
  });

  it('should let insp break the glass with a reason, and list the grant for review', async () => {
    const page = await signIn('insp');
    await page.goto(`${base}/cases/${caseId}`);
    await page.getByTestId('case-not-entitled').waitFor();
    expect(await page.getByTestId('case-category-name').count()).toBe(0);
    await page.getByTestId('break-glass').click();
    await page.getByTestId('break-glass-reason').fill(REASON);
    await shot(page, 'break-glass-dialog');
    await page.getByTestId('break-glass-submit').click();
    await page.getByTestId('case-category-name').waitFor();
    await page.goto(`${base}/break-glass`);
    await page.getByTestId('break-glass-item').filter({ hasText: REASON }).waitFor();
    await shot(page, 'break-glass-review-insp');
    await page.context().close();

    const sup = await signIn('sup.east');
    await sup.goto(`${base}/break-glass`);
    const item = sup.getByTestId('break-glass-item').filter({ hasText: REASON });
    await item.waitFor();
    expect(await item.textContent()).toContain('服务监督 郑华');
    await shot(sup, 'break-glass-review-supervisor');
    await sup.context().close();
  });
  it('should lay the case page out in tabs on a desktop and a phone, in Chinese and in English, without sideways scrolling', async () => {
    const page = await signIn('sup.east');
    const tabs = ['overview', 'team', 'risk', 'discussion', 'timeline', 'consent'] as const;
    for (const language of ['zh-CN', 'en'] as const) {
      await page.evaluate(`window.localStorage.setItem('lifeline.language', '${language}')`);
      for (const [width, height] of [
        [1280, 800],
        [390, 844],
      ] as const) {
        await page.setViewportSize({ width, height });
        for (const tab of tabs) {
          await page.goto(`${base}/cases/${caseId}?tab=${tab}`);
          await page.getByTestId(`tab-panel-${tab}`).waitFor();
          await page.waitForLoadState('networkidle');
          expect(await page.getByTestId(`tab-${tab}`).getAttribute('aria-selected')).toBe('true');
          const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
          expect(overflow, `${language} ${width}px ${tab}`).toBeLessThanOrEqual(0);
          await shot(page, `case-${language}-${width}-${tab}`);
        }
      }
    }
    await page.context().close();
  }, 120_000);
});
