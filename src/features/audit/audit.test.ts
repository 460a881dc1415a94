import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type Session, makeStaff, signIn, staffSession } from '../../../test/helpers/factories.js';
import { type Harness, createHarness, describeEachDialect } from '../../../test/helpers/harness.js';
import { type AuditActor, recordAudit } from '../../platform/audit/audit.service.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

interface Item {
  id: string;
  seq: number;
  occurredAt: string;
  actorId: string | null;
  actorUsername: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  branchId: string | null;
  ip: string | null;
  outcome: string;
  detail: Record<string, unknown>;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

describeEachDialect('audit API', (dialect) => {
  let h: Harness;
  let insp: Session;
  let inspId: string;

  beforeEach(async () => {
    h = await createHarness(dialect);
    const who = await staffSession(h, { roles: ['inspector'], branch: 'HQ', username: 'insp', totpSecret: SECRET });
    insp = who.session;
    inspId = who.id;
  });
  afterEach(async () => {
    await h.close();
  });

  const list = async (s: Session, query = '') => {
    const res = await s.request({ method: 'GET', url: `/api/v1/audit/events${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Page>();
  };
  const verify = (s: Session, payload?: object) =>
    s.request({ method: 'POST', url: '/api/v1/audit/verify', ...(payload ? { payload } : {}) });

  async function record(n: number, actor: AuditActor, action: string, at: string) {
    for (let i = 0; i < n; i++) {
      await h.db
        .transaction()
        .execute((trx) => recordAudit(trx, actor, { action, target: { type: 'customer', id: `c-${i}` } }, new Date(at)));
    }
  }

  it('P8.1.1 should let inspectors and admins read the trail, and nobody else', async () => {
    const admin = await staffSession(h, { roles: ['admin'], branch: 'HQ', totpSecret: SECRET });
    const cm = await staffSession(h, { roles: ['customer_manager'] });
    const sup = await staffSession(h, { roles: ['supervisor'], totpSecret: SECRET });
    expect((await admin.session.request({ method: 'GET', url: '/api/v1/audit/events' })).statusCode).toBe(200);
    for (const s of [cm.session, sup.session]) {
      const res = await s.request({ method: 'GET', url: '/api/v1/audit/events' });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
      expect((await verify(s)).statusCode).toBe(403);
    }
    const anonymous = await h.app.inject({ method: 'GET', url: '/api/v1/audit/events' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('should show who did what, when, to which record and from where, newest first', async () => {
    const admin = await staffSession(h, { roles: ['admin'], branch: 'HQ', totpSecret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU' });
    const created = await admin.session.request({
      method: 'POST',
      url: '/api/v1/admin/staff',
      payload: {
        username: 'new.cm',
        displayName: '新经理',
        branchId: 'br-east',
        // A role without medical data: granted at once (those with it wait for four eyes).
        roles: ['staff'],
        password: 'a long enough password 1',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const newId = created.json().staff.id;

    const page = await list(insp);
    expect(page.items.map((e) => e.action)).toEqual(['staff.created', 'auth.login', 'auth.login']);
    expect(page.items.map((e) => e.seq)).toEqual([3, 2, 1]);
    expect(page.items[0]).toMatchObject({
      actorId: admin.id,
      actorUsername: admin.username,
      action: 'staff.created',
      targetType: 'staff',
      targetId: newId,
      branchId: 'br-east',
      ip: '127.0.0.1',
      outcome: 'success',
      detail: { username: 'new.cm', roles: ['staff'] },
    });
    expect(page.items[0]?.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(page.items[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(page)).not.toContain('a long enough password 1');
  });

  it('should record each read of the trail with its filters', async () => {
    await list(insp, '?action=auth.login&limit=5');
    const page = await list(insp, '?action=audit.read');
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      actorId: inspId,
      actorUsername: 'insp',
      action: 'audit.read',
      detail: { filters: { action: 'auth.login' }, page: 'first', returned: 1 },
    });
  });

  it('should filter by actor, action, record and time', async () => {
    const alice: AuditActor = { id: 'staff-alice', username: 'alice', ip: '10.1.1.1' };
    const bob: AuditActor = { id: 'staff-bob', username: 'bob', ip: '10.1.1.2' };
    await record(3, alice, 'customer.viewed', '2026-11-01T08:00:00.000Z');
    await record(2, bob, 'customer.viewed', '2026-11-02T08:00:00.000Z');
    await record(1, bob, 'case.updated', '2026-11-03T08:00:00.000Z');

    expect((await list(insp, '?actorId=staff-alice')).items.map((e) => e.actorUsername)).toEqual(['alice', 'alice', 'alice']);
    expect((await list(insp, '?action=case.updated')).items).toHaveLength(1);
    const c0 = await list(insp, '?targetType=customer&targetId=c-0');
    expect(c0.items.map((e) => e.actorUsername)).toEqual(['bob', 'bob', 'alice']);
    const day2 = await list(
      insp,
      `?from=${encodeURIComponent('2026-11-02T00:00:00Z')}&to=${encodeURIComponent('2026-11-03T08:00:00+00:00')}`,
    );
    expect(day2.items.map((e) => e.occurredAt)).toEqual(['2026-11-02T08:00:00.000Z', '2026-11-02T08:00:00.000Z']);
    // Offsets are honoured: 16:00 in Beijing on 2 November is 08:00 UTC.
    const beijing = await list(insp, `?from=${encodeURIComponent('2026-11-02T16:00:00+08:00')}&action=customer.viewed`);
    expect(beijing.items).toHaveLength(2);
  });

  it('should page through the trail with a cursor, without gaps or repeats', async () => {
    await record(7, { id: 'x', username: 'x' }, 'customer.viewed', '2026-11-01T08:00:00.000Z');
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await list(insp, `?action=customer.viewed&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((e) => e.seq));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([8, 7, 6, 5, 4, 3, 2]);
  });

  it.each([
    ['limit 0', '?limit=0'],
    ['limit above 500', '?limit=501'],
    ['an unknown filter', '?actor=insp'],
    ['a date that is not an instant', '?from=yesterday'],
    ['an impossible instant', '?to=2026-02-30T00:00:00Z'],
    ['a forged cursor', '?cursor=bm90LWEtY3Vyc29y'],
    ['a control character', '?action=%00'],
  ])('should answer 400, never 500, for %s', async (_what, query) => {
    const res = await insp.request({ method: 'GET', url: `/api/v1/audit/events${query}` });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });

  it('should verify the chain, export its head and record the check', async () => {
    const res = await verify(insp);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ ok: true, checked: 1, firstBrokenId: null, anchorMatched: null, head: { seq: 1 } });
    expect(body.head.hash).toMatch(/^[0-9a-f]{64}$/);

    const anchored = await verify(insp, { anchor: body.head });
    expect(anchored.json()).toMatchObject({ ok: true, checked: 2, anchorMatched: true });
    const wrong = await verify(insp, { anchor: { seq: 1, hash: 'f'.repeat(64) } });
    expect(wrong.json()).toMatchObject({ ok: false, firstBrokenId: null, anchorMatched: false });

    const checks = (await list(insp, '?action=audit.verify')).items;
    expect(checks.map((e) => [e.outcome, e.detail.ok])).toEqual([
      ['failure', false],
      ['success', true],
      ['success', true],
    ]);
  });

  it('should refuse a malformed anchor', async () => {
    const res = await verify(insp, { anchor: { seq: 1, hash: 'not hex' } });
    expect(res.statusCode).toBe(400);
    expect((await verify(insp, { extra: true })).statusCode).toBe(400);
  });

  it('should name the edited event, and catch a truncated trail against an exported head', async () => {
    await record(5, { id: 'x', username: 'x' }, 'customer.viewed', '2026-11-01T08:00:00.000Z');
    const { head } = (await verify(insp)).json();
    expect(head.seq).toBe(6);
    // As a database superuser could: the append-only trigger goes first.
    if (dialect === 'postgres') await sql`DROP TRIGGER audit_events_append_only ON audit_events`.execute(h.db);

    await h.db.deleteFrom('audit_events').where('seq', '>=', 6).execute();
    const truncated = (await verify(insp)).json();
    // The chain alone cannot tell that its newest events are gone...
    expect(truncated).toMatchObject({ ok: true, firstBrokenId: null });
    // ...the head exported before can.
    expect((await verify(insp, { anchor: head })).json()).toMatchObject({ ok: false, anchorMatched: false });

    const third = await h.db.selectFrom('audit_events').select('id').where('seq', '=', 3).executeTakeFirstOrThrow();
    await h.db.updateTable('audit_events').set({ actor_username: 'nobody' }).where('seq', '=', 3).execute();
    expect((await verify(insp)).json()).toMatchObject({ ok: false, firstBrokenId: third.id, head: null });
  });

  it('should describe both routes in the OpenAPI document', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths;
    expect(paths['/api/v1/audit/events']?.get).toBeDefined();
    expect(paths['/api/v1/audit/verify']?.post).toBeDefined();
  });

  it('should find a staff member’s own actions by their id', async () => {
    const other = await makeStaff(h, { roles: ['inspector'], branch: 'HQ', totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' });
    const s = await signIn(h, other);
    const page = await list(s, `?actorId=${inspId}`);
    expect(page.items.map((e) => e.action)).toEqual(['auth.login']);
  });
});
