import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeStaff } from '../helpers/factories.js';
import { type Harness, createHarness } from '../helpers/harness.js';
import { CHROMIUM, SCREENSHOTS, browserSuiteEnabled, ensureWebBuilt } from './browser.js';

// A host name that is not localhost, resolved to this machine inside the browser only: the page
// is then plain HTTP by address, which browsers do not treat as a secure context.
const HOST = 'lifeline-trial.test';

async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--host-resolver-rules=MAP ${HOST} 127.0.0.1`],
  });
}

describe.runIf(browserSuiteEnabled())('signing in over plain HTTP by address', () => {
  let browser: Browser;
  const servers: { h: Harness; port: number }[] = [];

  /** A server with secure cookies (the default) or, with `insecure`, LIFELINE_INSECURE_COOKIES=1. */
  async function server(insecure: boolean): Promise<{ h: Harness; port: number; user: { username: string; password: string } }> {
    const h = await createHarness('sqlite', { LIFELINE_INSECURE_COOKIES: insecure ? '1' : '0', LIFELINE_MFA: 'off' });
    // The cookie's expiry follows the harness clock; the browser compares it with the real one.
    h.clock.set(new Date().toISOString());
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const address = h.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    servers.push({ h, port });
    return { h, port, user: await makeStaff(h, { roles: ['customer_manager'], branch: 'EAST' }) };
  }

  beforeAll(async () => {
    ensureWebBuilt();
    browser = await launch();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.h.close();
  });

  async function signIn(base: string, user: { username: string; password: string }) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.getByTestId('sign-in-username').fill(user.username);
    await page.getByTestId('sign-in-password').fill(user.password);
    await page.getByTestId('sign-in-submit').click();
    return page;
  }

  it('should say why the secure session cookie was refused and how to fix it, in Chinese and English', async () => {
    const { port, user } = await server(false);
    const zh = await signIn(`http://${HOST}:${port}`, user);
    const notice = zh.getByTestId('sign-in-cookie-refused');
    await notice.waitFor({ timeout: 30_000 });
    const zhText = (await notice.textContent()) ?? '';
    expect(zhText).toContain('HTTPS');
    expect(zhText).toContain('LIFELINE_INSECURE_COOKIES=1');
    expect(zhText).toMatch(/[\u4e00-\u9fff]/);
    expect(await zh.getByTestId('sign-in-username').isVisible()).toBe(true);
    await zh.screenshot({ path: path.join(SCREENSHOTS, 'sign-in-insecure-cookie.png'), fullPage: true });
    await zh.context().close();

    const en = await signIn(`http://${HOST}:${port}`, user);
    await en.getByTestId('sign-in-cookie-refused').waitFor({ timeout: 30_000 });
    await en.locator('.auth-language select').selectOption('en');
    const enText = (await en.getByTestId('sign-in-cookie-refused').textContent()) ?? '';
    expect(enText).toContain('HTTPS');
    expect(enText).toContain('LIFELINE_INSECURE_COOKIES=1');
    expect(enText).not.toMatch(/[\u4e00-\u9fff]/);
    await en.context().close();
  }, 120_000);

  it('should sign in as usual on localhost with secure cookies, and by address with LIFELINE_INSECURE_COOKIES=1', async () => {
    const secure = await server(false);
    const local = await signIn(`http://127.0.0.1:${secure.port}`, secure.user);
    await local.getByTestId('user-name').waitFor({ timeout: 30_000 });
    expect(await local.getByTestId('sign-in-cookie-refused').count()).toBe(0);
    await local.context().close();

    const insecure = await server(true);
    const trial = await signIn(`http://${HOST}:${insecure.port}`, insecure.user);
    await trial.getByTestId('user-name').waitFor({ timeout: 30_000 });
    expect(await trial.getByTestId('sign-in-cookie-refused').count()).toBe(0);
    await trial.context().close();
  }, 120_000);
});
