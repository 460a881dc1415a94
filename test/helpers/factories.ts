import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/domain/roles.js';
import { currentTotp } from '../../src/features/staff/totp.js';
import { type CustomerInput, loadCustomers } from '../../src/features/customers/customers.service.js';
import { ensureBranch, ensureStaff } from '../../src/features/staff/bootstrap.service.js';
import { findStaffByUsername, setTotpState } from '../../src/features/staff/staff.repository.js';
import { seedAgreement } from '../../src/features/staff/agreements.service.js';
import type { Harness } from './harness.js';

export const TEST_PASSWORD = 'correct horse battery staple';

let counter = 0;

/** Makes the demo's three branches; returns their ids by code. */
export async function makeBranches(h: Harness): Promise<Record<'HQ' | 'EAST' | 'WEST', string>> {
  const now = h.clock.now();
  return {
    HQ: await ensureBranch(h.db, 'HQ', '总行', 'Head Office', now),
    EAST: await ensureBranch(h.db, 'EAST', '城东支行', 'East Branch', now),
    WEST: await ensureBranch(h.db, 'WEST', '城西支行', 'West Branch', now),
  };
}

/**
 * A staff member with roles in a branch; `totpSecret` enrols them in TOTP. They have a confidentiality
 * agreement in force (P5.4.2) unless `agreement: false`.
 */
export async function makeStaff(
  h: Harness,
  opts: { roles: Role[]; branch?: 'HQ' | 'EAST' | 'WEST'; username?: string; password?: string; totpSecret?: string; agreement?: boolean },
): Promise<{ id: string; username: string; password: string; totpSecret?: string }> {
  const branches = await makeBranches(h);
  counter += 1;
  const username = opts.username ?? `user${counter}.${opts.roles[0]?.replace('_', '')}`;
  const password = opts.password ?? TEST_PASSWORD;
  await ensureStaff(
    h.db,
    {
      username,
      displayName: `测试 ${username}`,
      branchId: branches[opts.branch ?? 'EAST'],
      roles: opts.roles,
      password,
      mustChangePassword: false,
    },
    h.config.scryptLogN,
    h.clock.now(),
  );
  const staff = await findStaffByUsername(h.db, username);
  if (!staff) throw new Error('staff not created');
  if (opts.agreement !== false) {
    // Wide enough for tests that move the clock by years.
    await seedAgreement(h.ctx, h.db, staff.id, { version: 'test', signedOn: '2000-01-01', expiresOn: '2099-12-31' });
  }
  if (opts.totpSecret) {
    await setTotpState(h.db, staff.id, {
      totp_secret_enc: h.ctx.cipher.encrypt(opts.totpSecret, { table: 'staff', column: 'totp_secret_enc', rowId: staff.id }),
      totp_enabled: 1,
      totp_last_step: null,
    });
  }
  return { id: staff.id, username, password, totpSecret: opts.totpSecret };
}

/** A signed-in session: its cookie and CSRF token, and a request helper that sends both. */
export interface Session {
  cookie: string;
  csrfToken: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

/** Signs in through the API; TOTP codes are computed from the secret at the harness clock. */
export async function signIn(h: Harness, who: { username: string; password: string; totpSecret?: string }): Promise<Session> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: {
      username: who.username,
      password: who.password,
      ...(who.totpSecret ? { totp: currentTotp(who.totpSecret, h.clock.now()) } : {}),
    },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${who.username} failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.headers['set-cookie'];
  const raw = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  const cookie = (raw ?? '').split(';')[0] ?? '';
  const csrfToken = res.json<{ csrfToken: string }>().csrfToken;
  return {
    cookie,
    csrfToken,
    request: (opts) =>
      h.app.inject({
        ...opts,
        headers: { cookie, 'x-csrf-token': csrfToken, ...(opts.headers ?? {}) },
      }),
  };
}

/** Makes a staff member and signs them in. */
export async function staffSession(h: Harness, opts: Parameters<typeof makeStaff>[1]) {
  const who = await makeStaff(h, opts);
  return { ...who, session: await signIn(h, who) };
}

let customerCounter = 0;

/** A customer of the core banking system (branch EAST unless told); answers its id and number. */
export async function makeCustomer(
  h: Harness,
  opts: Partial<Omit<CustomerInput, 'branchCode'>> & { branch?: 'HQ' | 'EAST' | 'WEST' } = {},
): Promise<{ id: string; customerNumber: string }> {
  await makeBranches(h);
  customerCounter += 1;
  const customerNumber = opts.customerNumber ?? `C${process.pid}${String(customerCounter).padStart(5, '0')}`;
  const result = await loadCustomers(h.ctx, h.db, [
    {
      customerNumber,
      name: opts.name ?? `客户${customerCounter}`,
      gender: opts.gender ?? 'U',
      dateOfBirth: opts.dateOfBirth ?? null,
      nationalId: opts.nationalId ?? null,
      phone: opts.phone ?? null,
      address: opts.address ?? null,
      branchCode: opts.branch ?? 'EAST',
      segment: opts.segment ?? 'mass',
      openedOn: opts.openedOn ?? null,
    },
  ]);
  if (result.rejected.length > 0) throw new Error(`customer not made: ${result.rejected[0]?.reason}`);
  const row = await h.db.selectFrom('customers').select('id').where('customer_number', '=', customerNumber).executeTakeFirstOrThrow();
  return { id: row.id, customerNumber };
}
