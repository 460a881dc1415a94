import type { AppContext } from '../../platform/http/context.js';
import { randomToken } from '../../platform/crypto/ids.js';
import { ensureBranch, ensureStaff } from '../staff/bootstrap.service.js';
import { rebuildAnalysisState } from '../ingestion/rebuild.service.js';
import { seedDemoAgreements } from '../staff/agreements.service.js';
import { seedDemoBank } from './demo-bank.js';
import { DEMO_BRANCHES, DEMO_USERS } from './demo-users.js';

/** What a demo seed made, for printing once. */
export interface DemoSeedResult {
  password: string | null;
  usersCreated: string[];
  customers: number;
}

/**
 * Seeds the demo bank: branches EAST, WEST and HQ, the demo users of API.md and a synthetic
 * customer base, deterministic for a given seed. Refused in production.
 */
export async function seedDemo(
  ctx: AppContext,
  opts: { customers: number; seed: number; password?: string; onProgress?: (done: number, total: number) => void },
): Promise<DemoSeedResult> {
  if (ctx.config.production) throw new Error('demo data is never created when NODE_ENV=production');
  const now = ctx.now();
  const branchIds: Record<string, string> = {};
  for (const b of DEMO_BRANCHES) branchIds[b.code] = await ensureBranch(ctx.db, b.code, b.nameZh, b.nameEn, now);
  // Generated passwords: letters and digits only, so they survive copy and paste.
  const password = opts.password ?? randomToken(12).replace(/[-_]/g, 'x');
  const created = await Promise.all(
    DEMO_USERS.map(async (u) => {
      const branchId = branchIds[u.branch];
      if (!branchId) throw new Error(`demo branch ${u.branch} missing`);
      const made = await ensureStaff(
        ctx.db,
        { username: u.username, displayName: u.displayName, branchId, roles: u.roles, password, mustChangePassword: false },
        ctx.config.scryptLogN,
        now,
      );
      return made ? u.username : null;
    }),
  );
  const usersCreated = created.filter((u): u is string => u !== null);
  // P5.4.2: every demo user has signed the confidentiality agreement, so the demo shows sensitive data.
  await seedDemoAgreements(ctx, ctx.db, usersCreated);
  const customers = await seedDemoBank(ctx, { customers: opts.customers, seed: opts.seed, branchIds, onProgress: opts.onProgress });
  // P2.2.3: the history is analysed as if it had been ingested, so the demo's supervisors find the
  // transaction-analysis leads of its ill customers in their inbox.
  await rebuildAnalysisState(ctx, undefined, { act: true });
  return { password: usersCreated.length > 0 ? password : null, usersCreated, customers };
}
