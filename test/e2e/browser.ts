import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { findStaffByUsername, setTotpState } from '../../src/features/staff/staff.repository.js';
import { currentTotp } from '../../src/features/staff/totp.js';
import { type RegisteredCase, registerCaseViaApi } from '../helpers/cases.js';
import type { Session } from '../helpers/factories.js';
import type { Harness } from '../helpers/harness.js';

export const CHROMIUM = process.env.LIFELINE_CHROMIUM ?? '/usr/bin/chromium';
const REQUIRED = process.env.CI === 'true' || process.env.LIFELINE_REQUIRE_BROWSER === '1';

/** Whether the browser suite runs: always in CI (where a missing Chromium fails it), else unless skipped. */
export function browserSuiteEnabled(): boolean {
  if (REQUIRED) return true;
  if (process.env.LIFELINE_SKIP_BROWSER === '1') {
    console.warn('browser suite skipped: LIFELINE_SKIP_BROWSER=1');
    return false;
  }
  return true;
}

/**
 * Builds the web app when web/dist is missing, so `npm test` works right after `npm install`.
 * Always a production build: vitest sets NODE_ENV=test, which Vite would otherwise take as a
 * development build (React's development runtime, StrictMode's double effects), not what users
 * get. Two suites may build at once: each builds into its own folder and the first to finish
 * moves it into place.
 */
export function ensureWebBuilt(): void {
  const root = path.resolve(import.meta.dirname, '..', '..');
  const dist = path.join(root, 'web', 'dist');
  if (existsSync(path.join(dist, 'index.html'))) return;
  const staging = path.join(root, 'node_modules', '.cache', `lifeline-web-${process.pid}`);
  execFileSync(
    'npx',
    ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn', '--mode', 'production', '--outDir', staging, '--emptyOutDir'],
    { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  try {
    renameSync(staging, dist);
  } catch (err) {
    // Another suite's build got there first; theirs is as good as ours.
    if (!existsSync(path.join(dist, 'index.html'))) throw err;
    rmSync(staging, { recursive: true, force: true });
  }
}

/** True when a built bundle carries React's development runtime (jsxDEV exists only there). */
export function isDevelopmentBundle(js: string): boolean {
  return js.includes('jsxDEV');
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set LIFELINE_CHROMIUM`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where screenshots go: kept as CI artifacts. */
export const SCREENSHOTS = path.resolve(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

/** Gives a demo user a known TOTP secret, so that a test can type the codes an authenticator app would show. */
export async function enrolDemoTotp(h: Harness, username: string, secret: string): Promise<void> {
  const staff = await findStaffByUsername(h.db, username);
  if (!staff) throw new Error(`${username} missing from the demo`);
  await setTotpState(h.db, staff.id, {
    totp_secret_enc: h.ctx.cipher.encrypt(secret, { table: 'staff', column: 'totp_secret_enc', rowId: staff.id }),
    totp_enabled: 1,
    totp_last_step: null,
  });
}

/**
 * Signs a user in through the sign-in page in a fresh browser context (no cookie crosses from one
 * user to the next), typing the TOTP code when the user has a secret. `nextStep` moves the
 * standing harness clock on by one step first, for users who sign in more than once.
 */
export async function signInInBrowser(
  browser: Browser,
  base: string,
  h: Harness,
  who: { username: string; password: string; totpSecret?: string; nextStep?: boolean },
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.getByTestId('sign-in-username').fill(who.username);
  await page.getByTestId('sign-in-password').fill(who.password);
  await page.getByTestId('sign-in-submit').click();
  if (who.totpSecret) {
    const code = page.getByTestId('sign-in-totp');
    await code.waitFor();
    if (who.nextStep) h.clock.advance(30_000);
    await code.fill(currentTotp(who.totpSecret, h.clock.now()));
    await page.locator('button[type="submit"]').click();
  }
  await page.getByTestId('user-name').waitFor();
  return page;
}

/** A full-page screenshot from the top (a shot of a scrolled page paints the sticky bars half-way down). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Registers a case for a customer of a branch who has no lead yet (the demo's analysis makes leads
 * for its ill customers). `last` picks the customer from the other end of the list.
 */
export async function registerCaseThroughApi(
  h: Harness,
  who: { teller: Session; supervisor: Session },
  opts: { branch: 'EAST' | 'WEST'; illness: string; finances: string; evidenceRef: string; last?: boolean },
): Promise<RegisteredCase & { customerNumber: string }> {
  const customer = await h.db
    .selectFrom('customers')
    .innerJoin('branches', 'branches.id', 'customers.branch_id')
    .leftJoin('leads', 'leads.customer_id', 'customers.id')
    .select('customers.customer_number')
    .where('branches.code', '=', opts.branch)
    .where('leads.id', 'is', null)
    .orderBy('customers.customer_number', opts.last ? 'desc' : 'asc')
    .executeTakeFirstOrThrow();
  const registered = await registerCaseViaApi(who, customer.customer_number, h.clock.now(), opts);
  return { ...registered, customerNumber: customer.customer_number };
}
