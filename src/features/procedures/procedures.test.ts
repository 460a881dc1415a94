import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { addTeamMembers, registerCaseViaApi } from '../../../test/helpers/cases.js';
import { makeCustomer, makeStaff, type Session, signIn } from '../../../test/helpers/factories.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import { newId } from '../../platform/crypto/ids.js';
import type { CaseTeamMemberTable } from '../../platform/db/tables/case-access.js';
import { loadAccounts } from '../customers/customers.service.js';
import { installDefaultProcedures } from './procedures.service.js';

const WHAT = '柜员录错了减免账户，客户被多扣管理费';
const CAUSE = '系统未校验账户归属';
const ACTION = '增加账户归属复核并退还费用';

interface StepView {
  code: string;
  role: string;
  control: boolean;
  checks: string | null;
  done: boolean;
  completedBy: { id: string; name: string } | null;
  completedAt: string | null;
  mayComplete: boolean;
}
interface ProcedureView {
  requestId: string;
  version: number | null;
  complete: boolean;
  steps: StepView[];
}
interface IncidentView {
  id: string;
  status: string;
  whatWentWrong: string;
  rootCause: string | null;
  correctiveAction: string | null;
  requestId: string | null;
  caseId: string | null;
  owner: { id: string };
  version: number;
}

type Person = Awaited<ReturnType<typeof makeStaff>>;
type Who = 'sup' | 'supWest' | 'cm' | 'ops' | 'ops2' | 'risk' | 'riskWest' | 'inspector' | 'admin' | 'teller';

describeEachDialect('procedures and incidents API', (dialect) => {
  let h: Harness;
  const people = {} as Record<Who, Person>; // filled in beforeAll
  const s = {} as Record<Who, Session>; // filled in beforeAll
  let installedAt = '';

  /** A registered EAST case with an account, its team: cm, ops and ops2. */
  async function teamedCase() {
    const customer = await makeCustomer(h, { name: '流程客户' });
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
    const c = await registerCaseViaApi({ teller: s.teller, supervisor: s.sup }, customer.customerNumber, h.clock.now());
    const team: [Who, CaseTeamMemberTable['role']][] = [
      ['cm', 'customer_manager'],
      ['ops', 'operations'],
      ['ops2', 'operations'],
    ];
    await addTeamMembers(
      h,
      c.id,
      team.map(([who, role]) => ({ staffId: people[who].id, role })),
      people.sup.id,
    );
    const account = await h.db
      .selectFrom('accounts')
      .select('id')
      .where('account_number', '=', `A-${customer.customerNumber}`)
      .executeTakeFirstOrThrow();
    return { caseId: c.id, accountId: account.id };
  }

  /** An account_help request (identity: maker–checker in its default procedure) on a fresh case. */
  async function accountHelp(): Promise<{ id: string; caseId: string }> {
    const c = await teamedCase();
    const res = await s.cm.request({
      method: 'POST',
      url: `/api/v1/cases/${c.caseId}/service-requests`,
      payload: { type: 'account_help', details: { accountId: c.accountId, change: 'contact_details', description: '更新联系电话' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { id: res.json<{ id: string }>().id, caseId: c.caseId };
  }

  const procedure = (who: Session, id: string) => who.request({ method: 'GET', url: `/api/v1/service-requests/${id}/procedure` });
  const take = (who: Session, id: string, code: string) =>
    who.request({ method: 'POST', url: `/api/v1/service-requests/${id}/procedure-steps/${code}/complete` });
  const serviceStep = (who: Session, id: string, name: string, payload?: Record<string, unknown>) =>
    who.request({ method: 'POST', url: `/api/v1/service-requests/${id}/${name}`, ...(payload === undefined ? {} : { payload }) });

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off', LIFELINE_SESSION_IDLE_MINUTES: '600' });
    // Monday 2026-11-30, 10:00 in the bank's time zone (UTC+8).
    h.clock.set('2026-11-30T02:00:00.000Z');
    const make = (who: Who, roles: Parameters<typeof makeStaff>[1]['roles'], branch: 'EAST' | 'WEST' | 'HQ' = 'EAST') =>
      makeStaff(h, { roles, branch, username: `${who.toLowerCase()}.proc` }).then((p) => {
        people[who] = p;
      });
    await make('sup', ['supervisor']);
    await make('supWest', ['supervisor'], 'WEST');
    await make('cm', ['customer_manager']);
    await make('ops', ['operations']);
    await make('ops2', ['operations']);
    await make('risk', ['risk_officer']);
    await make('riskWest', ['risk_officer'], 'WEST');
    await make('inspector', ['inspector'], 'HQ');
    await make('admin', ['admin'], 'HQ');
    await make('teller', ['staff']);
    for (const who of Object.keys(people) as Who[]) s[who] = await signIn(h, people[who]); // keys of the record filled above
    installedAt = h.clock.now().toISOString();
    expect(await installDefaultProcedures(h.ctx, h.db)).toBeGreaterThan(0);
    // Installing again adds nothing.
    expect(await installDefaultProcedures(h.ctx, h.db)).toBe(0);
    h.clock.advance(60_000);
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('procedures', () => {
    it('P7.3.1 should give every service type a default procedure with a maker–checker control step for identity work', async () => {
      const res = await s.admin.request({ method: 'GET', url: '/api/v1/service-types/account_help/procedure' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      const view = res.json<{ version: number; steps: { code: string; control: boolean; checks: string | null }[] }>();
      expect(view.version).toBe(1);
      expect(view.steps.map((x) => x.code)).toEqual(['verify_identity', 'change_account', 'check_change']);
      expect(view.steps.at(-1)).toMatchObject({ control: true, checks: 'change_account' });
    });

    it('P7.3.1 should let only holders of a step’s role take it, in order, and block completion while a step is open', async () => {
      const r = await accountHelp();
      const first = await procedure(s.cm, r.id);
      expect(first.statusCode, first.body).toBe(200);
      const view = first.json<ProcedureView>();
      expect(view.version).toBe(1);
      expect(view.complete).toBe(false);
      expect(view.steps.map((x) => x.mayComplete)).toEqual([true, false, false]);

      expectProblem(await take(s.ops, r.id, 'verify_identity'), 'FORBIDDEN');
      expectProblem(await take(s.cm, r.id, 'change_account'), 'PROCEDURE_STEP_OUT_OF_ORDER');
      expectProblem(await take(s.cm, r.id, 'no_such_step'), 'NOT_FOUND');
      // Someone outside the case's team and branch does not see the request at all.
      expectProblem(await take(s.riskWest, r.id, 'verify_identity'), 'NOT_FOUND');
      expectProblem(await procedure(s.supWest, r.id), 'NOT_FOUND');
      const verified = await take(s.cm, r.id, 'verify_identity');
      expect(verified.statusCode, verified.body).toBe(200);
      const after = verified.json<ProcedureView>().steps[0];
      expect(after?.done).toBe(true);
      expect(after?.completedBy?.id).toBe(people.cm.id);
      expectProblem(await take(s.cm, r.id, 'verify_identity'), 'CONFLICT');

      expect((await serviceStep(s.ops, r.id, 'start')).statusCode).toBe(200);
      expectProblem(await serviceStep(s.ops, r.id, 'complete', { outcome: '已办理' }), 'PROCEDURE_INCOMPLETE');
      expect((await take(s.ops, r.id, 'change_account')).statusCode).toBe(200);
      expectProblem(await serviceStep(s.ops, r.id, 'complete', { outcome: '已办理' }), 'PROCEDURE_INCOMPLETE');
      const checked = await take(s.sup, r.id, 'check_change');
      expect(checked.statusCode, checked.body).toBe(200);
      expect(checked.json<ProcedureView>().complete).toBe(true);
      const done = await serviceStep(s.ops, r.id, 'complete', { outcome: '已办理' });
      expect(done.statusCode, done.body).toBe(200);
      // A finished request's steps are offered to no one.
      expect((await procedure(s.cm, r.id)).json<ProcedureView>().steps.every((x) => !x.mayComplete)).toBe(true);
      const audited = await h.db
        .selectFrom('audit_events')
        .select('action')
        .where('target_id', '=', r.id)
        .where('action', '=', 'procedure.step_completed')
        .execute();
      expect(audited).toHaveLength(3);
    });

    it('P7.3.1 should publish a new version (admins, If-Match), keep old requests on theirs, and refuse a control step to its maker', async () => {
      const old = await accountHelp();
      h.clock.advance(60_000);
      const steps = [
        { code: 'enter', zh: '录入', en: 'Enter', role: 'operations', control: false },
        { code: 'check', zh: '复核', en: 'Check', role: 'operations', control: true, checks: 'enter' },
      ];
      const url = '/api/v1/admin/service-types/account_help/procedure';
      expectProblem(await s.sup.request({ method: 'PUT', url, headers: { 'if-match': '"1"' }, payload: { steps } }), 'FORBIDDEN');
      expectProblem(await s.admin.request({ method: 'PUT', url, payload: { steps } }), 'PRECONDITION_REQUIRED');
      expectProblem(
        await s.admin.request({ method: 'PUT', url, headers: { 'if-match': '"0"' }, payload: { steps } }),
        'PRECONDITION_FAILED',
      );
      const backwards = expectProblem(
        await s.admin.request({ method: 'PUT', url, headers: { 'if-match': '"1"' }, payload: { steps: [steps[1], steps[0]] } }),
        'VALIDATION_FAILED',
      );
      expect(backwards.errors?.map((e) => e.path)).toContain('body.steps.0.checks');
      const published = await s.admin.request({ method: 'PUT', url, headers: { 'if-match': '"1"' }, payload: { steps } });
      expect(published.statusCode, published.body).toBe(200);
      expect(published.json<{ version: number; versions: unknown[] }>()).toMatchObject({ version: 2 });
      expect(published.json<{ versions: unknown[] }>().versions).toHaveLength(2);
      h.clock.advance(60_000);

      const fresh = await accountHelp();
      expect((await procedure(s.cm, old.id)).json<ProcedureView>().version).toBe(1);
      const view = (await procedure(s.ops, fresh.id)).json<ProcedureView>();
      expect(view.version).toBe(2);
      expect(view.steps.map((x) => x.code)).toEqual(['enter', 'check']);

      expect((await take(s.ops, fresh.id, 'enter')).statusCode).toBe(200);
      expect((await procedure(s.ops, fresh.id)).json<ProcedureView>().steps[1]?.mayComplete).toBe(false);
      expectProblem(await take(s.ops, fresh.id, 'check'), 'FOUR_EYES');
      expect((await take(s.ops2, fresh.id, 'check')).statusCode).toBe(200);
      expect((await serviceStep(s.ops, fresh.id, 'start')).statusCode).toBe(200);
      expect((await serviceStep(s.ops, fresh.id, 'complete', { outcome: '已办理' })).statusCode).toBe(200);
      // The older request still needs the steps of its own version.
      expect((await serviceStep(s.ops, old.id, 'start')).statusCode).toBe(200);
      expectProblem(await serviceStep(s.ops, old.id, 'complete', { outcome: '已办理' }), 'PROCEDURE_INCOMPLETE');
    });

    it('P7.3.1 should exempt a request made before its type had any procedure', async () => {
      const now = h.clock.now().toISOString();
      h.clock.set(new Date(Date.parse(installedAt) - 3_600_000).toISOString());
      const r = await accountHelp();
      h.clock.set(now);
      const view = (await procedure(s.cm, r.id)).json<ProcedureView>();
      expect(view).toMatchObject({ version: null, complete: true, steps: [] });
      expect((await serviceStep(s.ops, r.id, 'start')).statusCode).toBe(200);
      expect((await serviceStep(s.ops, r.id, 'complete', { outcome: '已办理' })).statusCode).toBe(200);
    });

    it('should answer bad procedure input with 4xx problems, never a 500', async () => {
      const url = '/api/v1/admin/service-types/account_help/procedure';
      const bodies: unknown[] = [
        [],
        { steps: [] },
        { steps: [{ code: 'A B', zh: 'x', en: 'x', role: 'operations', control: false }] },
        { steps: [{ code: 'a', zh: '', en: 'x', role: 'teller', control: false }] },
        { steps: [{ code: 'a', zh: 'x', en: 'x', role: 'operations', control: true }] },
        { steps: Array.from({ length: 30 }, (_, i) => ({ code: `s${i}`, zh: 'x', en: 'x', role: 'operations', control: false })) },
        { steps: [{ code: 'a', zh: 'x\u0000', en: 'x', role: 'operations', control: false }], extra: 1 },
      ];
      for (const payload of bodies) {
        const res = await s.admin.request({
          method: 'PUT',
          url,
          headers: { 'if-match': '"2"', 'content-type': 'application/json' },
          payload: JSON.stringify(payload),
        });
        expectNoServerError(res, JSON.stringify(payload).slice(0, 80));
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
      }
      expectNoServerError(await take(s.cm, 'not-an-id!', 'x'), 'bad id');
      expectNoServerError(await take(s.cm, newId(), 'UPPER'), 'bad step');
      expectProblem(await take(s.cm, newId(), 'enter'), 'NOT_FOUND');
      expectProblem(await s.cm.request({ method: 'GET', url: '/api/v1/service-types/nope/procedure' }), 'VALIDATION_FAILED');
    });
  });

  describe('the incident log', () => {
    it('P7.3.1 should record an incident linked to a request, its texts encrypted and its recording audited', async () => {
      const r = await accountHelp();
      const res = await s.ops.request({
        method: 'POST',
        url: '/api/v1/incidents',
        payload: { whatWentWrong: WHAT, foundAt: h.clock.now().toISOString(), ownerId: people.risk.id, requestId: r.id },
      });
      expect(res.statusCode, res.body).toBe(201);
      const i = res.json<IncidentView>();
      expect(i).toMatchObject({ status: 'open', whatWentWrong: WHAT, rootCause: null, requestId: r.id, caseId: r.caseId });
      const row = await h.db.selectFrom('incidents').selectAll().where('id', '=', i.id).executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(WHAT);
      const audited = await h.db.selectFrom('audit_events').select('action').where('target_id', '=', i.id).execute();
      expect(audited.map((a) => a.action)).toContain('incident.recorded');

      // Resolving needs the root cause and the corrective action.
      const early = expectProblem(
        await s.sup.request({
          method: 'PATCH',
          url: `/api/v1/incidents/${i.id}`,
          headers: { 'if-match': '"1"' },
          payload: { status: 'resolved' },
        }),
        'VALIDATION_FAILED',
      );
      expect(early.errors?.map((e) => e.path).sort()).toEqual(['body.correctiveAction', 'body.rootCause']);
      expectProblem(
        await s.sup.request({ method: 'PATCH', url: `/api/v1/incidents/${i.id}`, payload: { status: 'in_progress' } }),
        'PRECONDITION_REQUIRED',
      );
      const resolved = await s.sup.request({
        method: 'PATCH',
        url: `/api/v1/incidents/${i.id}`,
        headers: { 'if-match': '"1"' },
        payload: { rootCause: CAUSE, correctiveAction: ACTION, status: 'resolved' },
      });
      expect(resolved.statusCode, resolved.body).toBe(200);
      expect(resolved.json<IncidentView>()).toMatchObject({ status: 'resolved', rootCause: CAUSE, correctiveAction: ACTION, version: 2 });
      expectProblem(
        await s.sup.request({
          method: 'PATCH',
          url: `/api/v1/incidents/${i.id}`,
          headers: { 'if-match': '"1"' },
          payload: { status: 'closed' },
        }),
        'PRECONDITION_FAILED',
      );
      const closed = await s.sup.request({
        method: 'PATCH',
        url: `/api/v1/incidents/${i.id}`,
        headers: { 'if-match': '"2"' },
        payload: { status: 'closed' },
      });
      expect(closed.statusCode, closed.body).toBe(200);
      expectProblem(
        await s.sup.request({
          method: 'PATCH',
          url: `/api/v1/incidents/${i.id}`,
          headers: { 'if-match': '"3"' },
          payload: { status: 'open' },
        }),
        'CONFLICT',
      );
    });

    it('P7.3.1 should keep incidents to their branch: inspectors read every branch, another branch’s staff get 404, others 403', async () => {
      const created = await s.risk.request({
        method: 'POST',
        url: '/api/v1/incidents',
        payload: { whatWentWrong: WHAT, foundAt: h.clock.now().toISOString(), ownerId: people.ops.id },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json<IncidentView>().id;
      const listed = (who: Session) =>
        who
          .request({ method: 'GET', url: '/api/v1/incidents' })
          .then((res) => res.json<{ items: { id: string }[] }>().items.map((x) => x.id));
      expect(await listed(s.sup)).toContain(id);
      expect(await listed(s.inspector)).toContain(id);
      expect(await listed(s.supWest)).not.toContain(id);
      expect((await s.inspector.request({ method: 'GET', url: `/api/v1/incidents/${id}` })).statusCode).toBe(200);
      expectProblem(await s.supWest.request({ method: 'GET', url: `/api/v1/incidents/${id}` }), 'NOT_FOUND');
      expectProblem(
        await s.riskWest.request({
          method: 'PATCH',
          url: `/api/v1/incidents/${id}`,
          headers: { 'if-match': '"1"' },
          payload: { status: 'in_progress' },
        }),
        'NOT_FOUND',
      );
      expectProblem(
        await s.inspector.request({
          method: 'PATCH',
          url: `/api/v1/incidents/${id}`,
          headers: { 'if-match': '"1"' },
          payload: { status: 'in_progress' },
        }),
        'FORBIDDEN',
      );
      expectProblem(await s.cm.request({ method: 'GET', url: '/api/v1/incidents' }), 'FORBIDDEN');
      expectProblem(await s.admin.request({ method: 'GET', url: `/api/v1/incidents/${id}` }), 'FORBIDDEN');
      expectProblem(
        await s.inspector.request({
          method: 'POST',
          url: '/api/v1/incidents',
          payload: { whatWentWrong: WHAT, foundAt: h.clock.now().toISOString(), ownerId: people.ops.id },
        }),
        'FORBIDDEN',
      );
    });

    it('should refuse an owner or a link outside the branch, a future finding and malformed input with 4xx, never a 500', async () => {
      const r = await accountHelp();
      const base = { whatWentWrong: WHAT, foundAt: h.clock.now().toISOString(), ownerId: people.ops.id };
      const post = (who: Session, payload: unknown) =>
        who.request({
          method: 'POST',
          url: '/api/v1/incidents',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(payload),
        });
      const fieldOf = async (who: Session, payload: unknown) =>
        expectProblem(await post(who, payload), 'VALIDATION_FAILED').errors?.map((e) => e.path);
      expect(await fieldOf(s.ops, { ...base, ownerId: people.riskWest.id })).toEqual(['body.ownerId']);
      expect(await fieldOf(s.riskWest, { ...base, ownerId: people.riskWest.id, requestId: r.id })).toEqual(['body.requestId']);
      expect(await fieldOf(s.riskWest, { ...base, ownerId: people.riskWest.id, caseId: r.caseId })).toEqual(['body.caseId']);
      expect(await fieldOf(s.ops, { ...base, foundAt: new Date(h.clock.now().getTime() + 86_400_000).toISOString() })).toEqual([
        'body.foundAt',
      ]);
      for (const payload of [
        [],
        {},
        { ...base, foundAt: 'yesterday' },
        { ...base, extra: true },
        { ...base, whatWentWrong: '' },
        { ...base, ownerId: 'x y' },
      ]) {
        const res = await post(s.ops, payload);
        expectNoServerError(res, JSON.stringify(payload).slice(0, 80));
        expect(res.statusCode).toBe(400);
      }
      expectNoServerError(await s.sup.request({ method: 'GET', url: '/api/v1/incidents?cursor=forged&status=nope' }), 'bad query');
      expectProblem(await s.sup.request({ method: 'GET', url: `/api/v1/incidents/${newId()}` }), 'NOT_FOUND');
    });
  });
});
