import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { registerCaseViaApi } from '../../../test/helpers/cases.js';
import { makeCustomer, makeStaff, type Session, signIn } from '../../../test/helpers/factories.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import { newId } from '../../platform/crypto/ids.js';
import type { CaseTeamMemberTable } from '../../platform/db/tables/case-access.js';
import { loadHoldings } from '../customers/customers.service.js';

interface Allocation {
  R1: number;
  R2: number;
  R3: number;
  R4: number;
  R5: number;
}
interface Move {
  holdingId: string;
  amountMinor: number;
  toRiskLevel: 'R1' | 'R2';
}
interface Plan {
  caseId: string;
  holdings: { id: string; riskLevel: string; currency: string; marketValueMinor: number }[];
  currencies: { currency: string; before: Allocation; moves: Move[]; after: Allocation }[];
  moves: Move[];
}

type Person = Awaited<ReturnType<typeof makeStaff>>;
type Who = 'sup' | 'sup2' | 'supWest' | 'cm' | 'cmOther' | 'wm' | 'wmBranch' | 'ops' | 'teller';

describeEachDialect('wealth re-planning and the hotline', (dialect) => {
  let h: Harness;
  const people = {} as Record<Who, Person>; // filled in beforeAll
  const s = {} as Record<Who, Session>; // filled in beforeAll

  /** An EAST case whose customer holds R5 300 000, R4 200 000, R3 400 000 and R1 100 000 (CNY), and 5 000 USD in R2. */
  async function wealthCase(
    team: [Who, CaseTeamMemberTable['role']][] = [
      ['cm', 'customer_manager'],
      ['wm', 'wealth_manager'],
      ['ops', 'operations'],
    ],
  ) {
    const customer = await makeCustomer(h, { name: '理财客户' });
    const n = customer.customerNumber;
    const holding = (ref: string, riskLevel: 'R1' | 'R2' | 'R3' | 'R4' | 'R5', marketValueMinor: number, currency = 'CNY') => ({
      holdingRef: `${ref}-${n}`,
      customerNumber: n,
      productCode: ref,
      productName: `产品${ref}`,
      riskLevel,
      currency,
      marketValueMinor,
      acquiredOn: '2020-01-01',
      maturityDate: null,
    });
    await loadHoldings(h.ctx, h.db, [
      holding('EQ5', 'R5', 300_000),
      holding('EQ4', 'R4', 200_000),
      holding('BAL3', 'R3', 400_000),
      holding('DEP1', 'R1', 100_000),
      holding('USD2', 'R2', 5_000, 'USD'),
    ]);
    const c = await registerCaseViaApi({ teller: s.teller, supervisor: s.sup }, n, h.clock.now());
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
    const ids = new Map(
      (await h.db.selectFrom('holdings').select(['id', 'product_code']).where('holding_ref', 'like', `%-${n}`).execute()).map((r) => [
        r.product_code,
        r.id,
      ]),
    );
    const id = (code: string) => ids.get(code) ?? '';
    return { id: c.id, holding: id };
  }

  const plan = async (who: Session, caseId: string) => who.request({ method: 'GET', url: `/api/v1/cases/${caseId}/wealth-plan` });
  const preview = async (who: Session, caseId: string, moves: unknown) =>
    who.request({ method: 'POST', url: `/api/v1/cases/${caseId}/wealth-plan/preview`, payload: { moves } });
  const step = async (who: Session, id: string, name: string, payload?: Record<string, unknown>) =>
    who.request({ method: 'POST', url: `/api/v1/service-requests/${id}/${name}`, ...(payload === undefined ? {} : { payload }) });
  /** The customer confirms a request over video, witnessed by `who` (P6.1.2). */
  const sign = async (who: Session, id: string) => {
    const shown = (await who.request({ method: 'GET', url: `/api/v1/service-requests/${id}/summary?locale=zh-CN` })).json<{
      sha256: string;
    }>();
    const res = await who.request({
      method: 'POST',
      url: `/api/v1/service-requests/${id}/signatures`,
      payload: { kind: 'remote_video', locale: 'zh-CN', summarySha256: shown.sha256, videoSessionRef: 'VC-1', spokenConsentRef: 'REC-1' },
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  const hotline = async (caseId: string) => {
    const res = await s.cm.request({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/service-requests`,
      payload: { type: 'wealth_hotline', details: { topic: '理财到期' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ assignee: { id: string } | null }>().assignee?.id;
  };

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off', LIFELINE_SESSION_IDLE_MINUTES: '600' });
    // Monday 2026-11-30, 10:00 in the bank's time zone (UTC+8).
    h.clock.set('2026-11-30T02:00:00.000Z');
    const make = (who: Who, roles: Parameters<typeof makeStaff>[1]['roles'], branch: 'EAST' | 'WEST' = 'EAST') =>
      makeStaff(h, { roles, branch, username: `${who.toLowerCase()}.wealth` }).then((p) => {
        people[who] = p;
      });
    await make('sup', ['supervisor']);
    await make('sup2', ['supervisor']);
    await make('supWest', ['supervisor'], 'WEST');
    await make('cm', ['customer_manager']);
    await make('cmOther', ['customer_manager']);
    await make('wm', ['wealth_manager']);
    await make('wmBranch', ['wealth_manager']);
    await make('ops', ['operations']);
    await make('teller', ['staff']);
    for (const who of Object.keys(people) as Who[]) s[who] = await signIn(h, people[who]); // keys of the record filled above
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('the plan', () => {
    it('P4.3.1 should show the allocation by risk level, the proposed moves and the allocation after them, per currency', async () => {
      const c = await wealthCase();
      const res = await plan(s.wm, c.id);
      expect(res.statusCode, res.body).toBe(200);
      const p = res.json<Plan>();
      expect(p.currencies.map((x) => x.currency)).toEqual(['CNY', 'USD']);
      const cny = p.currencies[0];
      expect(cny?.before).toEqual({ R1: 100_000, R2: 0, R3: 400_000, R4: 200_000, R5: 300_000 });
      expect(cny?.moves).toEqual([
        { holdingId: c.holding('EQ5'), amountMinor: 300_000, toRiskLevel: 'R1' },
        { holdingId: c.holding('EQ4'), amountMinor: 200_000, toRiskLevel: 'R1' },
        { holdingId: c.holding('BAL3'), amountMinor: 200_000, toRiskLevel: 'R2' },
      ]);
      expect(cny?.after).toEqual({ R1: 600_000, R2: 200_000, R3: 200_000, R4: 0, R5: 0 });
      expect(p.currencies[1]?.moves).toEqual([]);
      expect(p.moves).toHaveLength(3);
      // The team and the branch's supervisors read it; a colleague outside the team or another branch does not.
      expect((await plan(s.cm, c.id)).statusCode).toBe(200);
      expect((await plan(s.sup, c.id)).statusCode).toBe(200);
      expectProblem(await plan(s.cmOther, c.id), 'FORBIDDEN');
      expectProblem(await plan(s.supWest, c.id), 'NOT_FOUND');
    });

    it('P4.3.1 should preview adjusted moves and refuse a move above its holding or to a level that is not conservative and lower', async () => {
      const c = await wealthCase();
      const ok = await preview(s.wm, c.id, [{ holdingId: c.holding('EQ5'), amountMinor: 100_000, toRiskLevel: 'R2' }]);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json<Plan>().currencies[0]?.after).toEqual({ R1: 100_000, R2: 100_000, R3: 400_000, R4: 200_000, R5: 200_000 });

      const over = expectProblem(
        await preview(s.wm, c.id, [{ holdingId: c.holding('EQ4'), amountMinor: 200_001, toRiskLevel: 'R1' }]),
        'VALIDATION_FAILED',
      );
      expect(over.errors).toEqual([expect.objectContaining({ path: 'body.moves.0.amountMinor', reason: 'exceeds' })]);
      const up = expectProblem(
        await preview(s.wm, c.id, [{ holdingId: c.holding('DEP1'), amountMinor: 1, toRiskLevel: 'R2' }]),
        'VALIDATION_FAILED',
      );
      expect(up.errors).toEqual([expect.objectContaining({ path: 'body.moves.0.toRiskLevel', reason: 'invalid_value' })]);
      expectProblem(await preview(s.wm, c.id, [{ holdingId: c.holding('EQ4'), amountMinor: 1, toRiskLevel: 'R3' }]), 'VALIDATION_FAILED');
      const foreign = expectProblem(
        await preview(s.wm, c.id, [{ holdingId: 'not-hers', amountMinor: 1, toRiskLevel: 'R1' }]),
        'VALIDATION_FAILED',
      );
      expect(foreign.errors).toEqual([expect.objectContaining({ path: 'body.moves.0.holdingId', reason: 'not_owned' })]);
      expectProblem(await preview(s.cmOther, c.id, []), 'FORBIDDEN');
    });

    it('P4.3.1 should answer arbitrary preview bodies with 4xx or a plan, never 5xx', async () => {
      const c = await wealthCase();
      const ids = [c.holding('EQ5'), c.holding('BAL3'), c.holding('DEP1'), 'x'];
      const move = fc.record(
        {
          holdingId: fc.oneof(fc.constantFrom(...ids), fc.string()),
          amountMinor: fc.oneof(fc.integer({ min: -5, max: 500_000 }), fc.double(), fc.string()),
          toRiskLevel: fc.oneof(fc.constantFrom('R1', 'R2', 'R3', 'R5'), fc.string()),
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.array(move, { maxLength: 6 }), fc.anything()), async (moves) => {
          expectNoServerError(await preview(s.wm, c.id, moves), `preview ${JSON.stringify(moves)}`);
        }),
        { numRuns: 40 },
      );
    });

    it('P4.3.1 should be approved only once the customer has signed it, then give operations their tasks and refuse completion (OPS_TASKS_OPEN) until they are done', async () => {
      const c = await wealthCase();
      const p = (await plan(s.wm, c.id)).json<Plan>();
      const created = await s.wm.request({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/service-requests`,
        payload: { type: 'wealth_replan', details: { moves: p.moves, rationale: '治疗期间保本，保留流动性' } },
      });
      expect(created.statusCode, created.body).toBe(201);
      const r = created.json<{ id: string }>();
      const opsTasks = async () =>
        (await s.ops.request({ method: 'GET', url: '/api/v1/work/tasks' }))
          .json<{ items: { id: string; kind: string; case: { id: string } }[] }>()
          .items.filter((t) => t.kind === 'service_step' && t.case.id === c.id);
      expect(await opsTasks()).toEqual([]);
      // P4.3.1: the customer's confirmation comes first; taking the request into review leaves it standing.
      expectProblem(await step(s.sup, r.id, 'decision', { decision: 'approve', reason: '符合保本原则' }), 'SIGNATURE_REQUIRED');
      await sign(s.wm, r.id);
      expect((await step(s.sup, r.id, 'review')).statusCode).toBe(200);
      const approved = await step(s.sup, r.id, 'decision', { decision: 'approve', reason: '符合保本原则' });
      expect(approved.statusCode, approved.body).toBe(200);
      const tasks = await opsTasks();
      expect(tasks).toHaveLength(3);
      expect((await step(s.wm, r.id, 'start')).statusCode).toBe(200);
      expectProblem(await step(s.wm, r.id, 'complete', { outcome: '已调整' }), 'OPS_TASKS_OPEN');
      for (const t of tasks) {
        const done = await s.ops.request({ method: 'POST', url: `/api/v1/work/tasks/${t.id}/complete`, payload: { note: '已执行' } });
        expect(done.statusCode, done.body).toBe(200);
      }
      const completed = await step(s.wm, r.id, 'complete', { outcome: '已调整' });
      expect(completed.statusCode, completed.body).toBe(200);
      expect(completed.json<{ status: string }>().status).toBe('completed');
    });

    it('P4.3.1 should cancel the operations tasks of an approved re-plan that is withdrawn', async () => {
      const c = await wealthCase();
      const p = (await plan(s.wm, c.id)).json<Plan>();
      const created = await s.wm.request({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/service-requests`,
        payload: { type: 'wealth_replan', details: { moves: p.moves.slice(0, 1), rationale: '保本' } },
      });
      const r = created.json<{ id: string }>();
      await sign(s.wm, r.id);
      expect((await step(s.sup, r.id, 'decision', { decision: 'approve', reason: '同意' })).statusCode).toBe(200);
      const open = () => h.db.selectFrom('work_tasks').select('status').where('service_request_id', '=', r.id).execute();
      expect(await open()).toEqual([{ status: 'open' }]);
      expect((await step(s.sup, r.id, 'cancel', { reason: '客户改变主意' })).statusCode).toBe(200);
      expect(await open()).toEqual([{ status: 'cancelled' }]);
    });

    it('P4.3.1 should refuse a re-plan request whose moves exceed a holding or do not go to a conservative level below it', async () => {
      const c = await wealthCase();
      const res = await s.wm.request({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/service-requests`,
        payload: {
          type: 'wealth_replan',
          details: { moves: [{ holdingId: c.holding('EQ5'), amountMinor: 300_001, toRiskLevel: 'R1' }], rationale: '保本' },
        },
      });
      expectProblem(res, 'VALIDATION_FAILED');
      // Two moves out of one holding that together take more than it holds, and a move to a riskier level.
      const sum = await s.wm.request({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/service-requests`,
        payload: {
          type: 'wealth_replan',
          details: {
            moves: [
              { holdingId: c.holding('EQ5'), amountMinor: 200_000, toRiskLevel: 'R1' },
              { holdingId: c.holding('EQ5'), amountMinor: 200_000, toRiskLevel: 'R2' },
              { holdingId: c.holding('DEP1'), amountMinor: 1, toRiskLevel: 'R2' },
            ],
            rationale: '保本',
          },
        },
      });
      expect(expectProblem(sum, 'VALIDATION_FAILED').errors).toEqual([
        expect.objectContaining({ path: 'body.details.moves.1.amountMinor', reason: 'exceeds' }),
        expect.objectContaining({ path: 'body.details.moves.2.toRiskLevel', reason: 'invalid_value' }),
      ]);
    });
  });

  describe('the hotline and away dates', () => {
    it('P4.3.2 should route the call-back to the case’s wealth manager, and to the least-loaded present one of the branch while theirs is away', async () => {
      const c = await wealthCase();
      expect(await hotline(c.id)).toBe(people.wm.id);
      const set = await s.wm.request({
        method: 'PUT',
        url: '/api/v1/staff/me/away',
        payload: { from: '2026-11-30', until: '2026-12-04', note: '年假' },
      });
      expect(set.statusCode, set.body).toBe(200);
      expect(set.json()).toMatchObject({ staffId: people.wm.id, away: { from: '2026-11-30', until: '2026-12-04', awayToday: true } });
      expect(await hotline(c.id)).toBe(people.wmBranch.id);
      // Both away: nobody present, so the call-back waits unassigned for the supervisors.
      const other = await s.sup.request({
        method: 'PUT',
        url: `/api/v1/staff/${people.wmBranch.id}/away`,
        payload: { from: '2026-11-30', until: '2026-11-30' },
      });
      expect(other.statusCode, other.body).toBe(200);
      expect(await hotline(c.id)).toBeUndefined();
      const cleared = await s.wm.request({ method: 'DELETE', url: '/api/v1/staff/me/away' });
      expect(cleared.json()).toMatchObject({ away: null });
      expect(await hotline(c.id)).toBe(people.wm.id);
      // Away in future only: present today.
      await s.wm.request({ method: 'PUT', url: '/api/v1/staff/me/away', payload: { from: '2026-12-07', until: '2026-12-08' } });
      expect(await hotline(c.id)).toBe(people.wm.id);
      await s.wm.request({ method: 'DELETE', url: '/api/v1/staff/me/away' });
    });

    it('P4.3.2 should pick the present wealth manager with fewer open requests when the case has none of its own', async () => {
      await s.sup.request({
        method: 'PUT',
        url: `/api/v1/staff/${people.wmBranch.id}/away`,
        payload: { from: '2026-11-30', until: '2026-11-30' },
      });
      const c = await wealthCase([['cm', 'customer_manager']]);
      // wm is the only present one.
      expect(await hotline(c.id)).toBe(people.wm.id);
      await s.sup.request({
        method: 'PUT',
        url: `/api/v1/staff/${people.wmBranch.id}/away`,
        payload: { from: '2026-12-10', until: '2026-12-11' },
      });
      // wm now carries more open requests than wmBranch.
      expect(await hotline(c.id)).toBe(people.wmBranch.id);
    });

    it('P4.3.2 should let only the staff member or a supervisor of their branch set away dates, forwards', async () => {
      expectProblem(
        await s.cm.request({
          method: 'PUT',
          url: `/api/v1/staff/${people.wm.id}/away`,
          payload: { from: '2026-11-30', until: '2026-11-30' },
        }),
        'FORBIDDEN',
      );
      expectProblem(
        await s.supWest.request({
          method: 'PUT',
          url: `/api/v1/staff/${people.wm.id}/away`,
          payload: { from: '2026-11-30', until: '2026-11-30' },
        }),
        'NOT_FOUND',
      );
      const backwards = expectProblem(
        await s.wm.request({ method: 'PUT', url: '/api/v1/staff/me/away', payload: { from: '2026-12-03', until: '2026-12-01' } }),
        'VALIDATION_FAILED',
      );
      expect(backwards.errors).toEqual([expect.objectContaining({ path: 'body.until', reason: 'order' })]);
      expectProblem(
        await s.wm.request({ method: 'PUT', url: '/api/v1/staff/me/away', payload: { from: '2026-11-01', until: '2026-11-02' } }),
        'VALIDATION_FAILED',
      );
      const mine = await s.wm.request({ method: 'GET', url: '/api/v1/staff/me/away' });
      expect(mine.json()).toMatchObject({ staffId: people.wm.id, away: null });
    });
  });
});
