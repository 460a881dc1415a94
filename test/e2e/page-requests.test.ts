import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/features/demo/demo.service.js';
import { findStaffByUsername } from '../../src/features/staff/staff.repository.js';
import { signIn as apiSignIn } from '../helpers/factories.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { browserSuiteEnabled, enrolDemoTotp, ensureWebBuilt, launchChromium, registerCaseThroughApi, signInInBrowser } from './browser.js';

const PASSWORD = 'role-requests-password-1';
const TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
// One demo user per role (API.md "Demo data"); the second factor for the roles that need one.
const USERS = ['admin', 'sup.east', 'cm.east', 'wm.east', 'risk.east', 'ops.east', 'cs.east', 'insp', 'teller.east'] as const;
const WITH_TOTP = new Set<string>(['admin', 'sup.east', 'insp']);
const CASE_READERS = new Set<string>(['sup.east', 'cm.east', 'wm.east', 'risk.east', 'ops.east', 'cs.east', 'insp']);
// Enough to reach every kind of page the links lead to, few enough for two shared cores.
const MAX_PAGES = 40;

/** A path with its ids replaced, so that one page of each kind is visited. */
function pattern(path: string): string {
  return path
    .split('?')[0]
    ?.split('/')
    .map((part) => (/\d/.test(part) && part.length >= 8 ? ':id' : part))
    .join('/') as string; // split always yields a first element
}

/**
 * Walks the app as one user: the home page, then every in-app link a page shows (one page of each
 * kind), and every tab of every page; answers the API requests that were refused with a 4xx.
 */
async function crawl(page: Page, base: string): Promise<{ refused: string[]; visited: Set<string> }> {
  const refused: string[] = [];
  let current = '/';
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (url.pathname.startsWith('/api/') && res.status() >= 400 && res.status() < 500) {
      refused.push(`${res.status()} ${res.request().method()} ${pattern(url.pathname)} on ${pattern(current)}`);
    }
  });
  const queue = ['/'];
  const seen = new Set<string>(['/']);
  const visited = new Set<string>();
  while (queue.length > 0 && visited.size < MAX_PAGES) {
    const path = queue.shift() as string; // the loop runs only while the queue has one
    current = path;
    visited.add(pattern(path));
    await page.goto(`${base}${path}`);
    await page.waitForLoadState('networkidle');
    for (const tab of await page.getByRole('tab').all()) {
      await tab.click();
      await page.waitForLoadState('networkidle');
    }
    const links = await page.$$eval('a[href^="/"]', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    for (const link of links) {
      if (link.startsWith('/api/')) continue;
      const key = pattern(link);
      if (seen.has(key)) continue;
      seen.add(key);
      queue.push(link);
    }
  }
  return { refused, visited };
}

describe.runIf(browserSuiteEnabled())('what each role’s pages ask the API for (issue 10)', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ensureWebBuilt();
    h = await createHarness('sqlite');
    h.clock.set(new Date().toISOString());
    await seedDemo(h.ctx, { customers: 20, seed: 10, password: PASSWORD });
    for (const username of WITH_TOTP) await enrolDemoTotp(h, username, TOTP);
    const teller = await apiSignIn(h, { username: 'teller.east', password: PASSWORD });
    const sup = await apiSignIn(h, { username: 'sup.east', password: PASSWORD, totpSecret: TOTP });
    // A case with the whole team, so that every team role has a case, tasks and a timeline to open.
    const registered = await registerCaseThroughApi(
      h,
      { teller, supervisor: sup },
      { branch: 'EAST', illness: '肺癌术后化疗中。', finances: '治疗费用较高', evidenceRef: 'RR-1' },
    );
    const member = async (username: string, role: string, primary = false) => {
      const staff = await findStaffByUsername(h.db, username);
      if (!staff) throw new Error(`${username} missing from the demo`);
      return { staffId: staff.id, role, ...(primary ? { primary } : {}) };
    };
    const team = await sup.request({
      method: 'PUT',
      url: `/api/v1/cases/${registered.id}/team`,
      payload: {
        members: [
          await member('cm.east', 'customer_manager', true),
          await member('wm.east', 'wealth_manager'),
          await member('risk.east', 'risk_officer'),
          await member('ops.east', 'operations'),
          await member('cs.east', 'service_agent'),
        ],
      },
    });
    expect(team.statusCode, team.body).toBe(200);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const address = h.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  for (const username of USERS) {
    it(`should ask the API only for what ${username} may see, on every page the links lead to`, async () => {
      const page = await signInInBrowser(browser, base, h, {
        username,
        password: PASSWORD,
        totpSecret: WITH_TOTP.has(username) ? TOTP : undefined,
        nextStep: WITH_TOTP.has(username),
      });
      try {
        const { refused, visited } = await crawl(page, base);
        expect(refused).toEqual([]);
        // The walk reached the case file of the team's case, where most of a case worker's queries are.
        if (CASE_READERS.has(username)) expect([...visited]).toContain('/cases/:id');
      } finally {
        await page.context().close();
      }
    }, 180_000);
  }
});
