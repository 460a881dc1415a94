import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectProblem } from '../../../test/api/expect-problem.js';
import { type Session, staffSession } from '../../../test/helpers/factories.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import { API_KEY_CACHE_MS, hashApiKey } from '../../platform/http/api-key-auth.js';

interface Client {
  id: string;
  name: string;
  scopes: string[];
  status: 'active' | 'disabled';
  keys: { id: string; prefix: string; status: 'active' | 'revoked'; lastUsedAt: string | null }[];
}
interface Issued {
  keyId: string;
  prefix: string;
  key: string;
}

const DECISIONS = '/api/v1/transactions/decisions';
/** A transaction no customer has: the route answers allow, so only authentication is at stake. */
const TXN = {
  txn_id: 'T-AUTH-1',
  account_id: 'A-1',
  customer_number: 'NOBODY-1',
  booked_at: '2026-11-28T10:00:00+08:00',
  amount_minor: 1000,
  currency: 'CNY',
  direction: 'debit',
  channel: 'card',
};

describeEachDialect('API clients and bearer keys', (dialect) => {
  let h: Harness;
  let admin: Session;
  let sup: Session;
  let seq = 0;

  const auditOf = (action: string) => h.db.selectFrom('audit_events').selectAll().where('action', '=', action).execute();
  const bearer = (key: string, payload: unknown = TXN) =>
    h.app.inject({ method: 'POST', url: DECISIONS, headers: { authorization: `Bearer ${key}` }, payload: payload as object });

  async function client(scopes: string[]): Promise<Client> {
    seq += 1;
    const res = await admin.request({ method: 'POST', url: '/api/v1/admin/api-clients', payload: { name: `支付系统 ${seq}`, scopes } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Client>();
  }
  async function issue(clientId: string, headers: Record<string, string> = {}): Promise<Issued> {
    const res = await admin.request({ method: 'POST', url: `/api/v1/admin/api-clients/${clientId}/keys`, headers });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Issued>();
  }

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off' });
    admin = (await staffSession(h, { roles: ['admin'], branch: 'HQ' })).session;
    sup = (await staffSession(h, { roles: ['supervisor'], branch: 'EAST' })).session;
  });
  afterAll(async () => h.close());

  it('should create a client, issue a key shown once, and list neither the key nor its hash', async () => {
    const c = await client(['transactions:decide']);
    expect(c).toMatchObject({ scopes: ['transactions:decide'], status: 'active', keys: [] });
    const issued = await issue(c.id);
    expect(issued.key).toMatch(/^llk_[A-Za-z0-9_-]{43}$/);
    expect(issued.key.startsWith(issued.prefix)).toBe(true);
    const list = await admin.request({ method: 'GET', url: '/api/v1/admin/api-clients' });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(issued.key);
    expect(list.body).not.toContain(hashApiKey(issued.key));
    const one = await admin.request({ method: 'GET', url: `/api/v1/admin/api-clients/${c.id}` });
    expect(one.json<Client>().keys).toEqual([expect.objectContaining({ id: issued.keyId, prefix: issued.prefix, status: 'active' })]);
    const stored = await h.db.selectFrom('api_keys').selectAll().where('id', '=', issued.keyId).executeTakeFirstOrThrow();
    expect(stored.key_hash).toBe(hashApiKey(issued.key));
    expect(JSON.stringify(await auditOf('apiclient.key_issued'))).not.toContain(issued.key);
    expect(await auditOf('apiclient.created')).toHaveLength(1);
  });

  it('should answer the same key again for the same Idempotency-Key, and refuse a taken name', async () => {
    const c = await client(['transactions:ingest']);
    const first = await issue(c.id, { 'idempotency-key': 'issue-1' });
    const again = await admin.request({
      method: 'POST',
      url: `/api/v1/admin/api-clients/${c.id}/keys`,
      headers: { 'idempotency-key': 'issue-1' },
    });
    expect(again.json<Issued>()).toEqual(first);
    expect(again.headers['idempotent-replay']).toBe('true');
    const taken = await admin.request({
      method: 'POST',
      url: '/api/v1/admin/api-clients',
      payload: { name: c.name, scopes: ['transactions:ingest'] },
    });
    expectProblem(taken, 'CONFLICT');
  });

  it('should refuse unknown scopes, a repeated scope and no scope', async () => {
    for (const scopes of [['transactions:everything'], ['transactions:decide', 'transactions:decide'], []]) {
      const res = await admin.request({ method: 'POST', url: '/api/v1/admin/api-clients', payload: { name: 'x', scopes } });
      expectProblem(res, 'VALIDATION_FAILED');
    }
  });

  it('should accept a key with the scope and record its use at most once a minute', async () => {
    const c = await client(['transactions:decide']);
    const { key, keyId } = await issue(c.id);
    const res = await bearer(key);
    expect(res.statusCode, res.body).toBe(200);
    const used = await h.db.selectFrom('api_keys').select('last_used_at').where('id', '=', keyId).executeTakeFirstOrThrow();
    expect(used.last_used_at).toBe(h.clock.now().toISOString());
    h.clock.advance(30_000);
    await bearer(key);
    const still = await h.db.selectFrom('api_keys').select('last_used_at').where('id', '=', keyId).executeTakeFirstOrThrow();
    expect(still.last_used_at).toBe(used.last_used_at);
  });

  it('should refuse with one and the same 401 an unknown, malformed, out-of-scope, revoked or disabled key', async () => {
    const decide = await client(['transactions:decide']);
    const ingestOnly = await client(['transactions:ingest']);
    const revoked = await issue(decide.id);
    const disabled = await client(['transactions:decide']);
    const disabledKey = await issue(disabled.id);
    // Accepted first, so that the cache holds them: refusal must come within the cache's lifetime.
    expect((await bearer(revoked.key)).statusCode).toBe(200);
    expect((await bearer(disabledKey.key)).statusCode).toBe(200);
    const revoke = await admin.request({ method: 'POST', url: `/api/v1/admin/api-clients/${decide.id}/keys/${revoked.keyId}/revoke` });
    expect(revoke.json<Client>().keys[0]?.status).toBe('revoked');
    const off = await admin.request({ method: 'POST', url: `/api/v1/admin/api-clients/${disabled.id}/disable` });
    expect(off.json<Client>().status).toBe('disabled');
    h.clock.advance(API_KEY_CACHE_MS + 1);

    const refusals = [
      await bearer((await issue(ingestOnly.id)).key),
      await bearer(revoked.key),
      await bearer(disabledKey.key),
      await bearer(`llk_${'A'.repeat(43)}`),
      await bearer('not-a-key'),
      await h.app.inject({ method: 'POST', url: DECISIONS, headers: { authorization: 'Basic dXNlcjpwdw==' }, payload: TXN }),
    ];
    const bodies = refusals.map((r) => {
      expect(r.headers['www-authenticate']).toContain('Bearer');
      const { detail, code, status } = expectProblem(r, 'API_KEY_REJECTED');
      return { detail, code, status };
    });
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(await auditOf('apiclient.key_revoked')).toHaveLength(1);
    expect(await auditOf('apiclient.disabled')).toHaveLength(1);

    const on = await admin.request({ method: 'POST', url: `/api/v1/admin/api-clients/${disabled.id}/enable` });
    expect(on.json<Client>().status).toBe('active');
    expect((await bearer(disabledKey.key)).statusCode).toBe(200);
  });

  it('should not take a key as a credential on routes without apiKey, nor skip the session checks without one', async () => {
    const c = await client(['transactions:decide', 'transactions:ingest']);
    const { key } = await issue(c.id);
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/admin/api-clients', headers: { authorization: `Bearer ${key}` } });
    expectProblem(res, 'UNAUTHENTICATED');
    expectProblem(await h.app.inject({ method: 'POST', url: DECISIONS, payload: TXN }), 'UNAUTHENTICATED');
    // A supervisor's session still works, with its CSRF token; without the token it is refused.
    expectProblem(await sup.request({ method: 'POST', url: DECISIONS, payload: TXN }), 'NOT_FOUND');
    expectProblem(await sup.request({ method: 'POST', url: DECISIONS, payload: TXN, headers: { 'x-csrf-token': 'wrong' } }), 'CSRF_FAILED');
  });

  it('should refuse a key on a disabled client and a sixth active key', async () => {
    const c = await client(['transactions:decide']);
    for (let i = 0; i < 5; i++) await issue(c.id);
    const sixth = await admin.request({ method: 'POST', url: `/api/v1/admin/api-clients/${c.id}/keys` });
    expectProblem(sixth, 'CONFLICT');
    await admin.request({ method: 'POST', url: `/api/v1/admin/api-clients/${c.id}/disable` });
    const res = await admin.request({ method: 'POST', url: `/api/v1/admin/api-clients/${c.id}/keys` });
    expectProblem(res, 'CONFLICT');
  });

  it('should publish the bearer scheme on the routes that accept keys only', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { security?: unknown[] }>>;
      components: { securitySchemes: Record<string, unknown> };
    }>();
    expect(doc.components.securitySchemes.bearerKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths[DECISIONS]?.post?.security).toEqual([{ session: [] }, { bearerKey: [] }]);
    expect(doc.paths['/api/v1/admin/api-clients']?.get?.security).toEqual([{ session: [] }]);
  });
});

describeEachDialect('API key rate limits', (dialect) => {
  let h: Harness;
  let key = '';
  const call = (authorization: string, remoteAddress: string) =>
    h.app.inject({ method: 'POST', url: DECISIONS, headers: { authorization }, payload: TXN, remoteAddress });

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off', LIFELINE_RATE_LIMIT_PER_MINUTE: '5' });
    const admin = (await staffSession(h, { roles: ['admin'], branch: 'HQ' })).session;
    const c = await admin.request({
      method: 'POST',
      url: '/api/v1/admin/api-clients',
      payload: { name: '限流', scopes: ['transactions:decide'] },
    });
    key = (await admin.request({ method: 'POST', url: `/api/v1/admin/api-clients/${c.json<Client>().id}/keys` })).json<Issued>().key;
  });
  afterAll(async () => h.close());

  it('should count an accepted key per key, beyond the per-address limit, and unknown keys per address', async () => {
    const accepted = [];
    for (let i = 0; i < 12; i++) accepted.push((await call(`Bearer ${key}`, '10.9.9.1')).statusCode);
    expect(accepted).toEqual(Array(12).fill(200));
    const guesses = [];
    for (let i = 0; i < 8; i++) guesses.push((await call(`Bearer llk_${String(i).repeat(43)}`, '10.9.9.2')).statusCode);
    expect(guesses.slice(0, 5)).toEqual(Array(5).fill(401));
    expect(guesses.slice(5)).toEqual(Array(3).fill(429));
  });
});
