import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAccounts } from '../../src/features/customers/customers.service.js';
import { seedDemo } from '../../src/features/demo/demo.service.js';
import { findStaffByUsername } from '../../src/features/staff/staff.repository.js';
import { signIn as apiSignIn } from '../helpers/factories.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import {
  browserSuiteEnabled,
  enrolDemoTotp,
  ensureWebBuilt,
  launchChromium,
  registerCaseThroughApi,
  SCREENSHOTS,
  screenshot,
  signInInBrowser,
} from './browser.js';

const PASSWORD = 'service-signature-password-1';
const SUP_TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const EVIDENCE = '原件已核验';
const PLACE = '东城支行贵宾室';

// P6.1.1 and P6.1.2 in the browser: a customer manager ticks the customer's document and the
// customer signs the request's summary with a finger on a phone-sized screen; the hash shows, and
// the print view carries the signature and the hash. A missing Chromium fails the suite.
describe.runIf(browserSuiteEnabled())('a service request signed on a phone (issue 11)', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let requestId = '';
  let customerName = '';
  let page: Page;

  beforeAll(async () => {
    ensureWebBuilt();
    h = await createHarness('sqlite');
    h.clock.set(new Date().toISOString());
    await seedDemo(h.ctx, { customers: 20, seed: 11, password: PASSWORD });
    await enrolDemoTotp(h, 'sup.east', SUP_TOTP);
    const teller = await apiSignIn(h, { username: 'teller.east', password: PASSWORD });
    const sup = await apiSignIn(h, { username: 'sup.east', password: PASSWORD, totpSecret: SUP_TOTP });
    const cm = await apiSignIn(h, { username: 'cm.east', password: PASSWORD });
    const registered = await registerCaseThroughApi(
      h,
      { teller, supervisor: sup },
      { branch: 'EAST', illness: '乳腺癌术后化疗', finances: '治疗费用较高', evidenceRef: 'SIG-1', last: true },
    );
    const cmStaff = await findStaffByUsername(h.db, 'cm.east');
    if (!cmStaff) throw new Error('cm.east missing from the demo');
    const team = await sup.request({
      method: 'PUT',
      url: `/api/v1/cases/${registered.id}/team`,
      payload: { members: [{ staffId: cmStaff.id, role: 'customer_manager', primary: true }] },
    });
    expect(team.statusCode, team.body).toBe(200);
    const accountNumber = `SIG-${registered.customerNumber}`;
    await loadAccounts(h.ctx, h.db, [
      {
        accountNumber,
        customerNumber: registered.customerNumber,
        type: 'current',
        currency: 'CNY',
        balanceMinor: 100_000,
        status: 'active',
        openedOn: '2018-03-01',
      },
    ]);
    const account = await h.db.selectFrom('accounts').select('id').where('account_number', '=', accountNumber).executeTakeFirstOrThrow();
    const created = await cm.request({
      method: 'POST',
      url: `/api/v1/cases/${registered.id}/service-requests`,
      payload: { type: 'account_help', details: { accountId: account.id, change: 'contact_details', description: '更新联系电话' } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json<{ id: string; case: { customerName: string } }>();
    requestId = body.id;
    customerName = body.case.customerName;

    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const address = h.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
    await h?.close();
  });

  it('P6.1.1 P6.1.2 should let a customer manager tick a document and the customer sign with a finger at phone size, and show the hash', async () => {
    page = await signInInBrowser(browser, base, h, { username: 'cm.east', password: PASSWORD });
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${base}/service-requests/${requestId}`);
    await page.getByTestId('service-request-page').waitFor();
    expect(await page.getByTestId('service-request-title').textContent()).toBe('账户变更协助');
    expect(await page.getByTestId('service-request-status').textContent()).toBe('已申请');

    // The checklist: the reduced list's one item, ticked with the evidence seen.
    const item = page.getByTestId('checklist-item').filter({ hasText: '本人有效身份证件' });
    await item.getByTestId('evidence-input').fill(EVIDENCE);
    await item.getByTestId('tick').click();
    await item.getByTestId('checklist-ticked').waitFor();
    expect(await item.getByTestId('checklist-tick-by').textContent()).toContain(EVIDENCE);
    // The summary to sign now says the document was provided.
    await expect.poll(() => page.getByTestId('summary-text').textContent()).toContain('本人有效身份证件：已提供');
    const summary = (await page.getByTestId('summary-text').textContent()) ?? '';
    expect(summary).toContain(customerName);
    expect(summary).toContain('更新联系电话');
    const shownHash = ((await page.getByTestId('summary-hash').textContent()) ?? '').trim();
    expect(shownHash).toMatch(/^[0-9a-f]{64}$/);

    // The page fits the phone: nothing wider than the screen.
    // (A string: the test is compiled without the DOM's types.)
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);

    // The customer signs with pointer events on the canvas.
    const canvas = page.getByTestId('signature-canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the signature pad is not visible');
    expect(box.width).toBeLessThanOrEqual(375);
    await page.mouse.move(box.x + 20, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 20; i += 1) {
      await page.mouse.move(box.x + 20 + i * ((box.width - 40) / 20), box.y + box.height / 2 + Math.sin(i / 2) * 40, { steps: 2 });
    }
    await page.mouse.up();
    await page.getByTestId('sign-place').fill(PLACE);
    await screenshot(page, 'service-signature-pad-phone');
    await page.getByTestId('sign-submit').click();

    const record = page.getByTestId('signature-record').filter({ has: page.getByTestId('signature-image') });
    await record.waitFor();
    expect(await record.getAttribute('data-status')).toBe('valid');
    expect(await record.getByTestId('signature-status').textContent()).toBe('有效');
    expect(((await record.getByTestId('signature-hash').textContent()) ?? '').trim()).toBe(shownHash);
    expect(await record.textContent()).toContain(PLACE);
    const src = (await record.getByTestId('signature-image').getAttribute('src')) ?? '';
    expect(src.startsWith('data:image/png;base64,')).toBe(true);
    // A drawn signature is more than an empty canvas.
    expect(src.length).toBeGreaterThan(1000);

    // The zh-CN page shows no ids, clause ids or English words (the hash aside).
    const text = await page.evaluate<string>(
      "(() => { const copy = document.body.cloneNode(true); for (const el of copy.querySelectorAll('.hash')) el.remove(); return copy.innerText; })()",
    );
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/i);
    expect(text).not.toMatch(/\bP\d+\.\d/);
    expect(text).not.toContain(requestId);
    await screenshot(page, 'service-signature-signed-phone');
  });

  it('P6.1.2 should print the request with the signature image and the hash', async () => {
    await page.setViewportSize({ width: 1024, height: 1200 });
    await page.goto(`${base}/service-requests/${requestId}/print`);
    const sheet = page.getByTestId('service-request-print');
    await sheet.waitFor();
    const signature = page.getByTestId('print-signature');
    await signature.getByTestId('signature-image').waitFor();
    const hash = ((await signature.getByTestId('signature-hash').textContent()) ?? '').trim();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.getByTestId('print-summary').textContent()).toContain('本人有效身份证件：已提供');
    await screenshot(page, 'service-signature-print');
  });
});
