import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { registerCaseViaApi } from '../../../test/helpers/cases.js';
import { makeCustomer, makeStaff, type Session, signIn } from '../../../test/helpers/factories.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import { SERVICE_CODES } from '../../domain/service-catalogue.js';
import { newId } from '../../platform/crypto/ids.js';
import type { CaseTeamMemberTable } from '../../platform/db/tables/case-access.js';
import { loadAccounts, loadHoldings } from '../customers/customers.service.js';

const NOTE = '客户化疗期间无法到柜台，账户管理费请全免';
const ILLNESS = '胰腺癌晚期';
const FINANCES = '家庭收入骤降，医药费每月两万';
const EVIDENCE = 'SCAN-PRIVATE-9931';

interface Request {
  id: string;
  type: string;
  status: string;
  dueAt: string;
  standardDueAt: string;
  overdue: boolean;
  businessHoursLeft: number | null;
  businessDayHours: number;
  assignee: { id: string } | null;
  requestedBy: { id: string } | null;
  note?: string | null;
  steps: { step: string; at: string; by: { id: string } | null; text?: string | null }[];
  checklist: { code: string; ticked: unknown }[];
  documentsStandard: { code: string }[];
  sensitiveVisible: boolean;
  version: number;
}

type Person = Awaited<ReturnType<typeof makeStaff>>;
type Who = 'sup' | 'sup2' | 'supWest' | 'cm' | 'cmWest' | 'wm' | 'wmBranch' | 'ops' | 'cs' | 'cmOther' | 'teller' | 'admin';

describeEachDialect('services API', (dialect) => {
  let h: Harness;
  const people = {} as Record<Who, Person>; // filled in beforeAll
  const s = {} as Record<Who, Session>; // filled in beforeAll
  let waiversKey = '';
  let priorityKey = '';

  /** A registered EAST case with an account and two holdings, and the team named. */
  async function teamedCase(
    team: [Who, CaseTeamMemberTable['role']][] = [
      ['cm', 'customer_manager'],
      ['wm', 'wealth_manager'],
      ['ops', 'operations'],
      ['cs', 'service_agent'],
    ],
  ) {
    const customer = await makeCustomer(h, { name: '服务客户' });
    await loadAccounts(h.ctx, h.db, [
      {
        accountNumber: `A-${customer.customerNumber}`,
        customerNumber: customer.customerNumber,
        type: 'current',
        currency: 'CNY',
        balanceMinor: 500_000,
        status: 'active',
        openedOn: '2015-01-01',
      },
    ]);
    await loadHoldings(h.ctx, h.db, [
      {
        holdingRef: `H1-${customer.customerNumber}`,
        customerNumber: customer.customerNumber,
        productCode: 'EQ-FUND',
        productName: '成长股票基金',
        riskLevel: 'R5',
        currency: 'CNY',
        marketValueMinor: 20_000_000,
        acquiredOn: '2020-01-01',
        maturityDate: null,
      },
    ]);
    const c = await registerCaseViaApi({ teller: s.teller, supervisor: s.sup }, customer.customerNumber, h.clock.now(), {
      illness: ILLNESS,
      finances: FINANCES,
      evidenceRef: EVIDENCE,
    });
    for (const [who, role] of team) {
      await h.db
        .insertInto('case_team_members')
        .values({
          id: newId(),
          case_id: c.id,
          staff_id: people[who].id,
          role,
          is_primary: role === 'customer_manager' ? 1 : 0,
          assigned_at: h.clock.now().toISOString(),
          assigned_by: people.sup.id,
          removed_at: null,
          removed_by: null,
        })
        .execute();
    }
    const account = await h.db
      .selectFrom('accounts')
      .select('id')
      .where('account_number', '=', `A-${customer.customerNumber}`)
      .executeTakeFirstOrThrow();
    const holding = await h.db
      .selectFrom('holdings')
      .select('id')
      .where('holding_ref', '=', `H1-${customer.customerNumber}`)
      .executeTakeFirstOrThrow();
    return { ...c, customerNumber: customer.customerNumber, accountId: account.id, holdingId: holding.id };
  }

  const feeRelief = (accountId: string, over: Record<string, unknown> = {}) => ({
    type: 'fee_relief',
    details: { accountId, feeType: 'account_management', kind: 'full', validFrom: '2026-11-30', validUntil: '2027-05-31', ...over },
    note: NOTE,
  });

  async function requestService(who: Session, caseId: string, body: Record<string, unknown>): Promise<Request> {
    const res = await who.request({ method: 'POST', url: `/api/v1/cases/${caseId}/service-requests`, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Request>();
  }

  async function step(who: Session, id: string, name: string, payload?: Record<string, unknown>) {
    return who.request({ method: 'POST', url: `/api/v1/service-requests/${id}/${name}`, ...(payload === undefined ? {} : { payload }) });
  }

  const lookup = (key: string, url: string) => h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });

  async function issueKey(scopes: string[]): Promise<string> {
    const client = await s.admin.request({
      method: 'POST',
      url: '/api/v1/admin/api-clients',
      payload: { name: `分行系统${scopes[0]}`, scopes },
    });
    expect(client.statusCode, client.body).toBe(201);
    const issued = await s.admin.request({ method: 'POST', url: `/api/v1/admin/api-clients/${client.json<{ id: string }>().id}/keys` });
    return issued.json<{ key: string }>().key;
  }

  beforeAll(async () => {
    // Sessions outlast the hours the clock is moved on by below.
    h = await createHarness(dialect, { LIFELINE_MFA: 'off', LIFELINE_SESSION_IDLE_MINUTES: '600' });
    // Monday 2026-11-30, 10:00 in the bank's time zone (UTC+8).
    h.clock.set('2026-11-30T02:00:00.000Z');
    const make = (who: Who, roles: Parameters<typeof makeStaff>[1]['roles'], branch: 'EAST' | 'WEST' | 'HQ' = 'EAST') =>
      makeStaff(h, { roles, branch, username: `${who.toLowerCase()}.svc` }).then((p) => {
        people[who] = p;
      });
    await make('sup', ['supervisor']);
    await make('sup2', ['supervisor']);
    await make('supWest', ['supervisor'], 'WEST');
    await make('cm', ['customer_manager']);
    await make('cmWest', ['customer_manager'], 'WEST');
    await make('wm', ['wealth_manager']);
    await make('wmBranch', ['wealth_manager']);
    await make('ops', ['operations']);
    await make('cs', ['service_agent']);
    await make('cmOther', ['customer_manager']);
    await make('teller', ['staff']);
    await make('admin', ['admin'], 'HQ');
    for (const who of Object.keys(people) as Who[]) s[who] = await signIn(h, people[who]); // keys of the record filled above
    waiversKey = await issueKey(['waivers:read']);
    priorityKey = await issueKey(['priority:read']);
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('the catalogue', () => {
    it('P4.2 P6.1.1 P6.2.2 should hold every P4 service with its standard and priority times and its reduced documents', async () => {
      const res = await s.cm.request({ method: 'GET', url: '/api/v1/service-types' });
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json<{
        items: { code: string; standardHours: number; priorityHours: number; documentsStandard: unknown[]; documentsReduced: unknown[] }[];
      }>().items;
      expect(items.map((t) => t.code).sort()).toEqual([...SERVICE_CODES].sort());
      for (const t of items) {
        expect(t.priorityHours).toBeLessThan(t.standardHours);
        expect(t.documentsReduced.length).toBeLessThanOrEqual(t.documentsStandard.length);
      }
    });

    it('should let an admin switch a type off (If-Match), refuse new requests of it, and never delete it', async () => {
      const list = await s.admin.request({ method: 'GET', url: '/api/v1/service-types' });
      const before = list.json<{ items: { code: string; version: number }[] }>().items.find((t) => t.code === 'loss_report');
      expect(before).toBeDefined();
      const denied = await s.sup.request({
        method: 'PATCH',
        url: '/api/v1/admin/service-types/loss_report',
        headers: { 'if-match': `"${before?.version}"` },
        payload: { active: false },
      });
      expectProblem(denied, 'FORBIDDEN');
      const off = await s.admin.request({
        method: 'PATCH',
        url: '/api/v1/admin/service-types/loss_report',
        headers: { 'if-match': `"${before?.version}"` },
        payload: { active: false, priorityHours: 1 },
      });
      expect(off.statusCode, off.body).toBe(200);
      expect(off.json()).toMatchObject({ active: false, priorityHours: 1 });
      const stale = await s.admin.request({
        method: 'PATCH',
        url: '/api/v1/admin/service-types/loss_report',
        headers: { 'if-match': `"${before?.version}"` },
        payload: { active: true },
      });
      expectProblem(stale, 'PRECONDITION_FAILED');

      const c = await teamedCase();
      const refused = await s.cm.request({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/service-requests`,
        payload: { type: 'loss_report', details: { accountId: c.accountId, action: 'report', item: 'card' } },
      });
      expectProblem(refused, 'CONFLICT');
      const del = await s.admin.request({ method: 'DELETE', url: '/api/v1/admin/service-types/loss_report' });
      expect(del.statusCode).toBe(404);

      const version = off.json<{ version: number }>().version;
      const on = await s.admin.request({
        method: 'PATCH',
        url: '/api/v1/admin/service-types/loss_report',
        headers: { 'if-match': `"${version}"` },
        payload: { active: true, priorityHours: 2 },
      });
      expect(on.statusCode, on.body).toBe(200);
    });
  });

  describe('a request’s life', () => {
    it('P4.2.1 P6.2.2 should time a fee relief in business hours, with the standard time beside the priority one', async () => {
      const c = await teamedCase();
      const r = await requestService(s.cm, c.id, feeRelief(c.accountId));
      expect(r).toMatchObject({ type: 'fee_relief', status: 'requested', overdue: false, assignee: { id: people.ops.id } });
      // 16 business hours from Monday 10:00 (UTC+8): Wednesday 10:00; 40 from then: next Monday 10:00.
      expect(r.dueAt).toBe('2026-12-02T02:00:00.000Z');
      expect(r.standardDueAt).toBe('2026-12-07T02:00:00.000Z');
      // The web says the time left in the bank's business hours, which only the server's calendar knows.
      expect(r).toMatchObject({ businessHoursLeft: 16, businessDayHours: 8 });
      expect(r.note).toBe(NOTE);
      expect(r.checklist.map((d) => d.code)).toEqual(['identity_document']);
      expect(r.documentsStandard.length).toBeGreaterThan(r.checklist.length);
      const stored = await h.db.selectFrom('service_requests').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
      expect(JSON.stringify(stored)).not.toContain(NOTE);
    });

    it('P6.2.2 should tell the supervisors of an approval to make and the deliverer of the work', async () => {
      const c = await teamedCase();
      const r = await requestService(s.cm, c.id, feeRelief(c.accountId));
      const kinds = async (who: Who) =>
        (
          await h.db
            .selectFrom('notifications')
            .select('kind')
            .where('recipient_id', '=', people[who].id)
            .where('source_id', '=', r.id)
            .execute()
        ).map((n) => n.kind);
      expect(await kinds('sup')).toEqual(['service_approval']);
      expect(await kinds('sup2')).toEqual(['service_approval']);
      expect(await kinds('ops')).toEqual(['service_requested']);
      expect(await kinds('supWest')).toEqual([]);
    });

    it('P4.2.1 four-eyes: should refuse the requesting supervisor’s own decision with FOUR_EYES and take another’s', async () => {
      const c = await teamedCase();
      const r = await requestService(s.sup, c.id, feeRelief(c.accountId));
      const own = await step(s.sup, r.id, 'decision', { decision: 'approve', reason: '符合政策' });
      expectProblem(own, 'FOUR_EYES');
      const notSupervisor = await step(s.cm, r.id, 'decision', { decision: 'approve', reason: '符合政策' });
      expectProblem(notSupervisor, 'FORBIDDEN');
      const otherBranch = await step(s.supWest, r.id, 'decision', { decision: 'approve', reason: '符合政策' });
      expect([403, 404]).toContain(otherBranch.statusCode);
      const ok = await step(s.sup2, r.id, 'decision', { decision: 'approve', reason: '符合政策' });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json<Request>().status).toBe('approved');
      const again = await step(s.sup2, r.id, 'decision', { decision: 'reject', reason: '改主意' });
      expectProblem(again, 'CONFLICT');
    });

    it('P4.2.1 should answer core banking the approved waiver on the days it is in force, and not after the case closes', async () => {
      const c = await teamedCase();
      const r = await requestService(s.cm, c.id, feeRelief(c.accountId, { kind: 'percent', percent: 50 }));
      const url = `/api/v1/customers/${c.customerNumber}/fee-waivers`;
      expect((await lookup(waiversKey, url)).json()).toEqual({ customerNumber: c.customerNumber, items: [] });
      expect((await step(s.sup, r.id, 'review')).statusCode).toBe(200);
      expect((await step(s.sup, r.id, 'decision', { decision: 'approve', reason: '符合政策' })).statusCode).toBe(200);

      const today = await lookup(waiversKey, url);
      expect(today.statusCode, today.body).toBe(200);
      expect(today.json()).toEqual({
        customerNumber: c.customerNumber,
        items: [
          {
            accountId: c.accountId,
            feeType: 'account_management',
            kind: 'percent',
            percent: 50,
            validFrom: '2026-11-30',
            validUntil: '2027-05-31',
          },
        ],
      });
      expectProblem(await lookup(priorityKey, url), 'API_KEY_REJECTED');

      const closed = await s.sup.request({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/close`,
        payload: { reason: 'recovered', waiversEndOn: '2026-12-31' },
      });
      expect(closed.statusCode, closed.body).toBe(200);
      const untilEnd = (await lookup(waiversKey, url)).json<{ items: { validUntil: string }[] }>().items;
      expect(untilEnd.map((w) => w.validUntil)).toEqual(['2026-12-31']);
      try {
        // The bank's day, not UTC's: at 07:30 in Beijing on 1 January it is still 31 December in UTC.
        h.clock.set('2026-12-31T23:30:00.000Z');
        expect((await lookup(waiversKey, url)).json()).toEqual({ customerNumber: c.customerNumber, items: [] });
        h.clock.set('2026-12-31T15:30:00.000Z');
        expect((await lookup(waiversKey, url)).json<{ items: unknown[] }>().items).toHaveLength(1);
      } finally {
        h.clock.set('2026-11-30T02:00:00.000Z');
      }
    });

    it('P4.2.1 should put a waiver in force from the first hour of its first day on the bank’s clock', async () => {
      const c = await teamedCase();
      const r = await requestService(s.cm, c.id, feeRelief(c.accountId, { validFrom: '2026-12-01', validUntil: '2026-12-31' }));
      expect((await step(s.sup, r.id, 'decision', { decision: 'approve', reason: '符合政策' })).statusCode).toBe(200);
      const url = `/api/v1/customers/${c.customerNumber}/fee-waivers`;
      try {
        // 23:30 UTC on 30 November is 07:30 on 1 December in Beijing (UTC+8): the branch opens on the waiver.
        h.clock.set('2026-11-30T23:30:00.000Z');
        expect((await lookup(waiversKey, url)).json<{ items: { validFrom: string }[] }>().items.map((w) => w.validFrom)).toEqual([
          '2026-12-01',
        ]);
        h.clock.set('2026-11-30T15:30:00.000Z');
        expect((await lookup(waiversKey, url)).json()).toEqual({ customerNumber: c.customerNumber, items: [] });
      } finally {
        h.clock.set('2026-11-30T02:00:00.000Z');
      }
    });

    it('P4.2.1 should not answer a waiver before its first day nor after its last', async () => {
      const c = await teamedCase();
      const r = await requestService(s.cm, c.id, feeRelief(c.accountId, { validFrom: '2026-12-10', validUntil: '2026-12-20' }));
      await step(s.sup, r.id, 'decision', { decision: 'approve', reason: '符合政策' });
      const url = `/api/v1/customers/${c.customerNumber}/fee-waivers`;
      const on = async (iso: string) => {
        h.clock.set(iso);
        return (await lookup(waiversKey, url)).json<{ items: unknown[] }>().items.length;
      };
      try {
        expect(await on('2026-12-09T03:00:00.000Z')).toBe(0);
        expect(await on('2026-12-10T03:00:00.000Z')).toBe(1);
        expect(await on('2026-12-20T03:00:00.000Z')).toBe(1);
        expect(await on('2026-12-21T03:00:00.000Z')).toBe(0);
      } finally {
        h.clock.set('2026-11-30T02:00:00.000Z');
      }
    });

    it('P3.2.5 P4.2.2 should start and complete a service without approval, date each step on the timeline and bring the follow-up call forward', async () => {
      const c = await teamedCase();
      const r = await requestService(s.cm, c.id, {
        type: 'account_help',
        details: { accountId: c.accountId, change: 'authorised_person', description: '增加配偶为授权人' },
      });
      expect(r.assignee?.id).toBe(people.ops.id);
      const started = await step(s.ops, r.id, 'start');
      expect(started.statusCode, started.body).toBe(200);
      const done = await step(s.ops, r.id, 'complete', { outcome: '已办理授权' });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json<Request>().steps.map((x) => x.step)).toEqual(['requested', 'in_progress', 'completed']);

      const followUp = await h.db
        .selectFrom('work_tasks')
        .select('due_on')
        .where('case_id', '=', c.id)
        .where('kind', '=', 'follow_up_call')
        .where('status', '=', 'open')
        .executeTakeFirstOrThrow();
      expect(followUp.due_on).toBe('2026-12-03');

      const timeline = await s.cm.request({ method: 'GET', url: `/api/v1/cases/${c.id}/timeline` });
      expect(timeline.statusCode, timeline.body).toBe(200);
      const kinds = timeline.json<{ items: { kind: string }[] }>().items.map((i) => i.kind);
      expect(kinds).toEqual(expect.arrayContaining(['service.requested', 'service.in_progress', 'service.completed']));
      expect(timeline.body).not.toContain('已办理授权');

      const audit = await h.db
        .selectFrom('audit_events')
        .select('action')
        .where('target_id', '=', r.id)
        .where('action', 'like', 'service.%')
        .orderBy('seq')
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['service.requested', 'service.started', 'service.completed']);
    });

    it('should refuse to start a service that needs approval before a supervisor approves it', async () => {
      const c = await teamedCase();
      const r = await requestService(s.cm, c.id, feeRelief(c.accountId));
      expectProblem(await step(s.ops, r.id, 'start'), 'CONFLICT');
      expect((await step(s.sup, r.id, 'decision', { decision: 'reject', reason: '账户已销户' })).json<Request>().status).toBe('rejected');
      expectProblem(await step(s.ops, r.id, 'start'), 'CONFLICT');
    });

    it('P6.2.2 should show a request past its priority time as overdue in the lists', async () => {
      const c = await teamedCase();
      const r = await requestService(s.cm, c.id, { type: 'wealth_hotline', details: { topic: '基金赎回' } });
      expect(r.dueAt).toBe('2026-11-30T04:00:00.000Z');
      const overdue = async (who: Session, query: string) =>
        (await who.request({ method: 'GET', url: `/api/v1/service-requests?${query}` })).json<{ items: Request[] }>().items;
      expect((await overdue(s.wm, 'view=mine&overdue=true')).map((x) => x.id)).not.toContain(r.id);
      h.clock.set('2026-11-30T05:00:00.000Z');
      try {
        const mine = await overdue(s.wm, 'view=mine&overdue=true');
        expect(mine.find((x) => x.id === r.id)).toMatchObject({ overdue: true, businessHoursLeft: -1 });
        expect((await overdue(s.sup, 'overdue=true')).map((x) => x.id)).toContain(r.id);
        expect((await overdue(s.cmOther, 'overdue=true')).map((x) => x.id)).not.toContain(r.id);
        const onCase = await s.cm.request({ method: 'GET', url: `/api/v1/cases/${c.id}/service-requests` });
        expect(onCase.json<{ items: Request[] }>().items[0]).toMatchObject({ id: r.id, overdue: true });
      } finally {
        h.clock.set('2026-11-30T02:00:00.000Z');
      }
    });

    it('P4.3.2 should route the hotline call-back to the case’s wealth manager, or to one of the branch’s when the case has none', async () => {
      const withWm = await teamedCase();
      expect((await requestService(s.cm, withWm.id, { type: 'wealth_hotline', details: { topic: '理财到期' } })).assignee?.id).toBe(
        people.wm.id,
      );
      const without = await teamedCase([['cm', 'customer_manager']]);
      const routed = await requestService(s.cm, without.id, { type: 'wealth_hotline', details: { topic: '理财到期' } });
      expect([people.wm.id, people.wmBranch.id]).toContain(routed.assignee?.id);
    });

    it('should let the requester or a supervisor cancel, with a reason', async () => {
      const c = await teamedCase();
      const r = await requestService(s.cm, c.id, feeRelief(c.accountId));
      expectProblem(await step(s.ops, r.id, 'cancel', { reason: '客户撤回' }), 'FORBIDDEN');
      const cancelled = await step(s.cm, r.id, 'cancel', { reason: '客户撤回' });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      expect(cancelled.json<Request>().status).toBe('cancelled');
    });

    it('should answer 412 to a step sent with a stale If-Match', async () => {
      const c = await teamedCase();
      const r = await requestService(s.cm, c.id, feeRelief(c.accountId));
      await step(s.sup, r.id, 'review');
      const stale = await s.sup2.request({
        method: 'POST',
        url: `/api/v1/service-requests/${r.id}/decision`,
        headers: { 'if-match': `"${r.version}"` },
        payload: { decision: 'approve', reason: '符合政策' },
      });
      expectProblem(stale, 'PRECONDITION_FAILED');
    });
  });

  describe('bad input', () => {
    it('should answer details that do not fit the type with 400 naming each field', async () => {
      const c = await teamedCase();
      const res = await s.cm.request({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/service-requests`,
        payload: feeRelief(c.accountId, { kind: 'percent', validUntil: '2026-01-01', diagnosis: ILLNESS }),
      });
      expectProblem(res, 'VALIDATION_FAILED');
      const paths = res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['body.details.percent', 'body.details.validUntil', 'body.details.diagnosis']));
      expect(res.body).not.toContain(ILLNESS);
    });

    it('should refuse an account that is not the customer’s', async () => {
      const c = await teamedCase();
      const other = await teamedCase();
      const res = await s.cm.request({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/service-requests`,
        payload: feeRelief(other.accountId),
      });
      expectProblem(res, 'VALIDATION_FAILED');
    });

    it('should answer any details with a 201 or a 4xx, never a 500', async () => {
      const c = await teamedCase();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...SERVICE_CODES),
          fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue()),
          async (type, details) => {
            const res = await s.cm.request({ method: 'POST', url: `/api/v1/cases/${c.id}/service-requests`, payload: { type, details } });
            expectNoServerError(res, `${type} ${JSON.stringify(details)}`);
          },
        ),
        { numRuns: 40 },
      );
    });
  });

  describe('confidentiality', () => {
    it('P5.2.1 should show a branch colleague outside the team no note, refuse their request, and hide the request from other branches', async () => {
      const c = await teamedCase();
      const r = await requestService(s.cm, c.id, feeRelief(c.accountId));
      const colleague = await s.cmOther.request({ method: 'GET', url: `/api/v1/service-requests/${r.id}` });
      expect(colleague.statusCode, colleague.body).toBe(200);
      expect(colleague.json<Request>()).toMatchObject({ sensitiveVisible: false });
      expect(colleague.json<Request>().note).toBeUndefined();
      expect(colleague.body).not.toContain(NOTE);
      const post = await s.cmOther.request({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/service-requests`,
        payload: feeRelief(c.accountId),
      });
      expectProblem(post, 'FORBIDDEN');

      const west = await s.cmWest.request({ method: 'GET', url: `/api/v1/service-requests/${r.id}` });
      expectProblem(west, 'NOT_FOUND');
      expect(west.body).not.toContain(NOTE);
      const denied = await h.db
        .selectFrom('audit_events')
        .select('action')
        .where('actor_id', '=', people.cmWest.id)
        .where('action', '=', 'access.denied')
        .execute();
      expect(denied.length).toBeGreaterThan(0);
    });

    it('P5.4.1 should audit the reading of a request’s notes once per read', async () => {
      const c = await teamedCase();
      const r = await requestService(s.cm, c.id, feeRelief(c.accountId));
      const count = async () =>
        (await h.db.selectFrom('audit_events').select('id').where('target_id', '=', r.id).where('action', '=', 'sensitive.read').execute())
          .length;
      const before = await count();
      const read = await s.ops.request({ method: 'GET', url: `/api/v1/service-requests/${r.id}` });
      expect(read.json<Request>().note).toBe(NOTE);
      expect(await count()).toBe(before + 1);
    });

    it('P6.2.1 should answer the branch queue the priority and the accommodations, and no medical information', async () => {
      const c = await teamedCase();
      const put = await s.cm.request({
        method: 'PUT',
        url: `/api/v1/cases/${c.id}/accommodations`,
        payload: { codes: ['wheelchair_access', 'seated_service'] },
      });
      expect(put.statusCode, put.body).toBe(200);
      await requestService(s.cm, c.id, feeRelief(c.accountId));
      const res = await lookup(priorityKey, `/api/v1/priority/${c.customerNumber}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({
        customerNumber: c.customerNumber,
        priority: true,
        accommodations: ['wheelchair_access', 'seated_service'],
      });
      const waivers = await lookup(waiversKey, `/api/v1/customers/${c.customerNumber}/fee-waivers`);
      for (const secret of [ILLNESS, FINANCES, EVIDENCE, NOTE, c.caseNumber, c.id, 'severe_malignant_tumour', '确诊后无法工作']) {
        expect(res.body).not.toContain(secret);
        expect(waivers.body).not.toContain(secret);
      }
      const unknown = await lookup(priorityKey, '/api/v1/priority/C00000000');
      expect(unknown.json()).toEqual({ customerNumber: 'C00000000', priority: false, accommodations: [] });
      expectProblem(await lookup(waiversKey, `/api/v1/priority/${c.customerNumber}`), 'API_KEY_REJECTED');
      expectProblem(await lookup(priorityKey, '/api/v1/priority/%3Cscript%3E'), 'VALIDATION_FAILED');
    });
  });
});
