import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { makeStaff, type Session, signIn } from '../../../test/helpers/factories.js';
import { registerCaseViaApi } from '../../../test/helpers/cases.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import { addDays, dayOf } from '../../domain/case-rules.js';
import { newId } from '../../platform/crypto/ids.js';
import type { CaseTeamMemberTable } from '../../platform/db/tables/case-access.js';
import { loadCustomers } from '../customers/customers.service.js';
import { overdueTaskCounts, runDutySync, scheduleFollowUp, syncDutiesForCase } from './duties.service.js';

const NOTE = '客户说化疗副作用很大，想暂停房贷还款';
const NEED = '希望办理房贷延期还款';

interface Task {
  id: string;
  kind: string;
  assignee: { id: string };
  dueOn: string;
  dueState: string | null;
  status: string;
  case: { id: string; caseNumber: string; customerName: string };
  department: string | null;
  note?: string | null;
}
interface Interaction {
  id: string;
  kind: string;
  outcome: string;
  taskId: string | null;
  notes?: string | null;
  forwardedTask?: Task | null;
}
interface TimelineItem {
  at: string;
  kind: string;
  summary: string;
  text?: string | null;
  actor: { id: string } | null;
}

type Person = Awaited<ReturnType<typeof makeStaff>>;
type Who = 'sup' | 'cm' | 'wm' | 'risk' | 'ops' | 'cs' | 'wm2' | 'cmOther' | 'cmWest' | 'teller';

describeEachDialect('work API', (dialect) => {
  let h: Harness;
  const people = {} as Record<Who, Person>; // filled in beforeAll
  const s = {} as Record<Who, Session>; // filled in beforeAll
  let customerSeq = 0;

  /** A registered EAST case (lead by a teller, confirmed and registered by the supervisor). */
  async function registered(): Promise<string> {
    customerSeq += 1;
    const customerNumber = `C8${String(customerSeq).padStart(6, '0')}`;
    await loadCustomers(h.ctx, h.db, [
      {
        customerNumber,
        name: `工作客户${customerSeq}`,
        gender: 'M',
        dateOfBirth: '1965-05-05',
        nationalId: null,
        phone: null,
        address: null,
        branchCode: 'EAST',
        segment: 'mass',
        openedOn: null,
      },
    ]);
    const c = await registerCaseViaApi({ teller: s.teller, supervisor: s.sup }, customerNumber, h.clock.now());
    return c.id;
  }

  /** Puts staff on a case's team directly (the assignment API is the teams feature's). */
  async function putOnTeam(caseId: string, members: [Who, CaseTeamMemberTable['role']][]): Promise<void> {
    for (const [who, role] of members) {
      await h.db
        .insertInto('case_team_members')
        .values({
          id: newId(),
          case_id: caseId,
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
  }

  const FULL_TEAM: [Who, CaseTeamMemberTable['role']][] = [
    ['cm', 'customer_manager'],
    ['wm', 'wealth_manager'],
    ['risk', 'risk_officer'],
    ['ops', 'operations'],
    ['cs', 'service_agent'],
  ];

  async function teamedCase(members = FULL_TEAM): Promise<string> {
    const id = await registered();
    await putOnTeam(id, members);
    await h.db.transaction().execute((trx) => syncDutiesForCase(h.ctx, trx, id));
    return id;
  }

  const openTasks = (caseId: string) =>
    h.db.selectFrom('work_tasks').selectAll().where('case_id', '=', caseId).where('status', '=', 'open').orderBy('kind').execute();
  const today = () => dayOf(h.clock.now());
  const contact = (over: Record<string, unknown> = {}) => ({
    kind: 'call',
    occurredAt: h.clock.now().toISOString(),
    outcome: 'reached',
    notes: NOTE,
    ...over,
  });

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off' });
    const make = (who: Who, roles: Parameters<typeof makeStaff>[1]['roles'], branch: 'EAST' | 'WEST' = 'EAST') =>
      makeStaff(h, { roles, branch, username: `${who.toLowerCase()}.work` }).then((p) => {
        people[who] = p;
      });
    await make('sup', ['supervisor']);
    await make('cm', ['customer_manager']);
    await make('wm', ['wealth_manager']);
    await make('wm2', ['wealth_manager']);
    await make('risk', ['risk_officer']);
    await make('ops', ['operations']);
    await make('cs', ['service_agent']);
    await make('cmOther', ['customer_manager']);
    await make('cmWest', ['customer_manager'], 'WEST');
    await make('teller', ['staff']);
    for (const who of Object.keys(people) as Who[]) s[who] = await signIn(h, people[who]); // keys of the record filled above
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('duties become tasks', () => {
    it('P1.3.1 P3.2.1 P3.2.2 P3.2.3 P3.2.5 should give each team role its recurring task, dated by the configured interval', async () => {
      const id = await teamedCase();
      const tasks = await openTasks(id);
      const by = (kind: string) => tasks.find((t) => t.kind === kind);
      expect(tasks.map((t) => t.kind)).toEqual(['contact', 'follow_up_call', 'risk_review', 'wealth_review']);
      expect(by('contact')).toMatchObject({ assignee_id: people.cm.id, due_on: addDays(today(), 14), created_by: null });
      expect(by('wealth_review')).toMatchObject({ assignee_id: people.wm.id, due_on: addDays(today(), 90) });
      expect(by('risk_review')).toMatchObject({ assignee_id: people.risk.id, due_on: addDays(today(), 30) });
      expect(by('follow_up_call')).toMatchObject({ assignee_id: people.cs.id, due_on: addDays(today(), 30) });
      expect(tasks.some((t) => t.assignee_id === people.ops.id)).toBe(false);
    });

    it('should be idempotent: syncing again, or the daily run, makes no second open task', async () => {
      const id = await teamedCase();
      const again = await h.db.transaction().execute((trx) => syncDutiesForCase(h.ctx, trx, id));
      expect(again).toEqual({ created: 0, cancelled: 0 });
      const daily = await runDutySync(h.ctx);
      expect(daily.created).toBe(0);
      expect(await openTasks(id)).toHaveLength(4);
    });

    it('should follow team changes and a closing: the leaver’s duties cancelled, the newcomer’s made', async () => {
      const id = await teamedCase();
      await h.db
        .updateTable('case_team_members')
        .set({ removed_at: h.clock.now().toISOString(), removed_by: people.sup.id })
        .where('case_id', '=', id)
        .where('staff_id', '=', people.wm.id)
        .execute();
      await putOnTeam(id, [['wm2', 'wealth_manager']]);
      expect(await h.db.transaction().execute((trx) => syncDutiesForCase(h.ctx, trx, id))).toEqual({ created: 1, cancelled: 1 });
      expect((await openTasks(id)).find((t) => t.kind === 'wealth_review')?.assignee_id).toBe(people.wm2.id);

      const closed = await s.sup.request({ method: 'POST', url: `/api/v1/cases/${id}/close`, payload: { reason: 'recovered' } });
      expect(closed.statusCode, closed.body).toBe(200);
      await runDutySync(h.ctx);
      expect(await openTasks(id)).toHaveLength(0);
    });

    it('should bring the follow-up call forward after a completed service', async () => {
      const id = await teamedCase();
      expect(await h.db.transaction().execute((trx) => scheduleFollowUp(h.ctx, trx, id, h.clock.now()))).toBe(1);
      expect((await openTasks(id)).find((t) => t.kind === 'follow_up_call')?.due_on).toBe(addDays(today(), 3));
    });
  });

  describe('my work', () => {
    it('should list only the actor’s due and overdue tasks with case number and customer name', async () => {
      const id = await teamedCase();
      await h.db
        .updateTable('work_tasks')
        .set({ due_on: addDays(today(), -2) })
        .where('case_id', '=', id)
        .where('kind', '=', 'contact')
        .execute();
      const overdue = await s.cm.request({ method: 'GET', url: '/api/v1/work/tasks?due=overdue' });
      expect(overdue.statusCode, overdue.body).toBe(200);
      const items = overdue.json<{ items: Task[] }>().items;
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((t) => t.assignee.id === people.cm.id && t.dueState === 'overdue')).toBe(true);
      expect(items.find((t) => t.case.id === id)).toMatchObject({
        kind: 'contact',
        case: { caseNumber: expect.stringMatching(/^CI-/), customerName: expect.stringContaining('工作客户') },
      });
      expect(items[0]).not.toHaveProperty('note');

      const csAll = await s.cs.request({ method: 'GET', url: '/api/v1/work/tasks?limit=500' });
      expect(csAll.json<{ items: Task[] }>().items.every((t) => t.assignee.id === people.cs.id)).toBe(true);
      const csDue = await s.cs.request({ method: 'GET', url: '/api/v1/work/tasks?due=due' });
      expect(csDue.json<{ items: Task[] }>().items.filter((t) => t.case.id === id)).toEqual([]);

      const counts = await overdueTaskCounts(h.ctx, h.db, [people.cm.id, people.ops.id]);
      expect(counts.get(people.cm.id)).toBeGreaterThan(0);
      expect(counts.get(people.ops.id)).toBe(0);

      expect((await s.teller.request({ method: 'GET', url: '/api/v1/work/tasks' })).statusCode).toBe(403);
      expectProblem(await s.cm.request({ method: 'GET', url: '/api/v1/work/tasks?due=soon' }), 'VALIDATION_FAILED');
    });

    it('should page by due date with a cursor', async () => {
      await teamedCase();
      const first = await s.cm.request({ method: 'GET', url: '/api/v1/work/tasks?limit=1' });
      const body = first.json<{ items: Task[]; nextCursor: string | null }>();
      expect(body.items).toHaveLength(1);
      expect(body.nextCursor).not.toBeNull();
      const second = await s.cm.request({ method: 'GET', url: `/api/v1/work/tasks?limit=1&cursor=${body.nextCursor}` });
      expect(second.json<{ items: Task[] }>().items[0]?.id).not.toBe(body.items[0]?.id);
      expectProblem(await s.cm.request({ method: 'GET', url: '/api/v1/work/tasks?cursor=forged' }), 'VALIDATION_FAILED');
    });

    it('should record an interaction when a contact task is completed, and date the next contact', async () => {
      const id = await teamedCase();
      const task = (await openTasks(id)).find((t) => t.kind === 'contact');
      if (!task) throw new Error('no contact task');
      const url = `/api/v1/work/tasks/${task.id}/complete`;
      expectProblem(await s.cm.request({ method: 'POST', url, payload: { note: '已联系' } }), 'VALIDATION_FAILED');
      expectProblem(await s.cs.request({ method: 'POST', url, payload: { interaction: contact() } }), 'NOT_FOUND');
      const res = await s.cm.request({ method: 'POST', url, payload: { note: '已联系', interaction: contact() } });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<{ task: Task & { completionNote?: string }; interaction: Interaction; next: Task }>();
      expect(body.task.status).toBe('done');
      expect(body.task.completionNote).toBe('已联系');
      expect(body.interaction).toMatchObject({ kind: 'call', outcome: 'reached', taskId: task.id, notes: NOTE });
      expect(body.next).toMatchObject({ kind: 'contact', dueOn: addDays(today(), 14), status: 'open' });
      expectProblem(await s.cm.request({ method: 'POST', url, payload: { interaction: contact() } }), 'CONFLICT');

      const list = await s.cm.request({ method: 'GET', url: `/api/v1/cases/${id}/interactions` });
      expect(list.json<{ items: Interaction[] }>().items.map((i) => i.id)).toEqual([body.interaction.id]);
    });

    it('should complete a review without an interaction and refuse one on it', async () => {
      const id = await teamedCase();
      const task = (await openTasks(id)).find((t) => t.kind === 'risk_review');
      if (!task) throw new Error('no risk task');
      const url = `/api/v1/work/tasks/${task.id}/complete`;
      expectProblem(await s.risk.request({ method: 'POST', url, payload: { interaction: contact() } }), 'VALIDATION_FAILED');
      const res = await s.risk.request({ method: 'POST', url, payload: { note: '额度下调建议已提交' } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ next: Task }>().next).toMatchObject({ kind: 'risk_review', dueOn: addDays(today(), 30) });
    });
  });

  describe('contacts fulfil the contact duties', () => {
    const taskOf = async (caseId: string, kind: string) => {
      const task = (await openTasks(caseId)).find((t) => t.kind === kind);
      if (!task) throw new Error(`no open ${kind} task`);
      return task;
    };

    it('P3.2.1 should complete the customer manager’s regular contact when they record a reached contact on the case', async () => {
      const id = await teamedCase();
      const task = await taskOf(id, 'contact');
      const res = await s.cm.request({ method: 'POST', url: `/api/v1/cases/${id}/interactions`, payload: contact() });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json<Interaction & { completedTasks: Task[]; nextTasks: Task[] }>();
      expect(body.taskId).toBe(task.id);
      expect(body.completedTasks).toMatchObject([{ id: task.id, kind: 'contact', status: 'done' }]);
      expect(body.nextTasks).toMatchObject([{ kind: 'contact', status: 'open', dueOn: addDays(today(), 14) }]);
      const done = await h.db.selectFrom('work_tasks').selectAll().where('id', '=', task.id).executeTakeFirstOrThrow();
      expect(done).toMatchObject({ status: 'done', interaction_id: body.id, completed_by: people.cm.id });
      // Another member's contact is theirs, not the customer manager's duty.
      const next = await taskOf(id, 'contact');
      const byWealth = await s.wm.request({ method: 'POST', url: `/api/v1/cases/${id}/interactions`, payload: contact() });
      expect(byWealth.json<{ completedTasks: Task[] }>().completedTasks).toEqual([]);
      expect((await taskOf(id, 'contact')).id).toBe(next.id);
    });

    it('P3.2.1 should record an unreached contact on the case and leave the regular contact open', async () => {
      const id = await teamedCase();
      const task = await taskOf(id, 'contact');
      const res = await s.cm.request({
        method: 'POST',
        url: `/api/v1/cases/${id}/interactions`,
        payload: contact({ outcome: 'not_reached' }),
      });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json<Interaction & { completedTasks: Task[]; nextTasks: Task[] }>();
      expect(body).toMatchObject({ outcome: 'not_reached', taskId: null, completedTasks: [], nextTasks: [] });
      expect(await taskOf(id, 'contact')).toMatchObject({ id: task.id, due_on: task.due_on });
    });

    it('P3.2.1 should keep a contact task open when the contact that was to complete it did not reach the customer', async () => {
      const id = await teamedCase();
      const task = await taskOf(id, 'contact');
      const url = `/api/v1/work/tasks/${task.id}/complete`;
      const withNote = await s.cm.request({
        method: 'POST',
        url,
        payload: { note: '未接通', interaction: contact({ outcome: 'not_reached' }) },
      });
      expect(expectProblem(withNote, 'VALIDATION_FAILED').errors?.[0]?.path).toBe('body.note');
      const res = await s.cm.request({ method: 'POST', url, payload: { interaction: contact({ outcome: 'not_reached' }) } });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<{ task: Task; interaction: Interaction; next: Task | null }>();
      expect(body.task).toMatchObject({ id: task.id, status: 'open', dueOn: task.due_on });
      expect(body.interaction).toMatchObject({ outcome: 'not_reached', taskId: task.id, notes: NOTE });
      expect(body.next).toBeNull();
      // The next attempt that reaches the customer completes it.
      const reached = await s.cm.request({ method: 'POST', url, payload: { interaction: contact() } });
      expect(reached.json<{ task: Task }>().task.status).toBe('done');
      const list = await s.cm.request({ method: 'GET', url: `/api/v1/cases/${id}/interactions` });
      expect(
        list
          .json<{ items: Interaction[] }>()
          .items.map((i) => i.outcome)
          .sort(),
      ).toEqual(['not_reached', 'reached']);
    });

    it('P3.2.5 should complete the service agent’s follow-up call when they record a reached call on the case', async () => {
      const id = await teamedCase();
      const task = await taskOf(id, 'follow_up_call');
      const unreached = await s.cs.request({
        method: 'POST',
        url: `/api/v1/cases/${id}/interactions`,
        payload: contact({ outcome: 'not_reached' }),
      });
      expect(unreached.json<{ completedTasks: Task[] }>().completedTasks).toEqual([]);
      const res = await s.cs.request({
        method: 'POST',
        url: `/api/v1/cases/${id}/interactions`,
        payload: contact({ outcome: 'follow_up_needed' }),
      });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json<{ completedTasks: Task[]; nextTasks: Task[] }>();
      expect(body.completedTasks).toMatchObject([{ id: task.id, kind: 'follow_up_call', status: 'done' }]);
      expect(body.nextTasks).toMatchObject([{ kind: 'follow_up_call', dueOn: addDays(today(), 30) }]);
      // The customer manager's regular contact is not the service agent's to fulfil.
      expect((await taskOf(id, 'contact')).status).toBe('open');
    });
  });

  describe('interactions and ad-hoc tasks', () => {
    it('P1.3.3 P3.2.4 P9.1.2 should forward a need to the team member of the department, else the customer manager', async () => {
      const id = await teamedCase([
        ['cm', 'customer_manager'],
        ['ops', 'operations'],
      ]);
      const url = `/api/v1/cases/${id}/interactions`;
      const toOps = await s.cm.request({
        method: 'POST',
        url,
        payload: contact({ outcome: 'need_raised', need: { description: NEED, department: 'operations' } }),
      });
      expect(toOps.statusCode, toOps.body).toBe(201);
      const body = toOps.json<Interaction>();
      expect(body.forwardedTask).toMatchObject({
        kind: 'forwarded_need',
        department: 'operations',
        assignee: { id: people.ops.id },
        note: NEED,
        dueOn: addDays(today(), 2),
      });
      const opsWork = await s.ops.request({ method: 'GET', url: '/api/v1/work/tasks?due=due' });
      expect(opsWork.json<{ items: Task[] }>().items.map((t) => t.id)).toContain(body.forwardedTask?.id);

      const toWealth = await s.cm.request({
        method: 'POST',
        url,
        payload: contact({ kind: 'visit', need: { description: NEED, department: 'wealth' } }),
      });
      expect(toWealth.json<Interaction>().forwardedTask?.assignee.id).toBe(people.cm.id);
      const named = await s.cm.request({
        method: 'POST',
        url,
        payload: contact({ need: { description: NEED, department: 'risk', assigneeId: people.risk.id } }),
      });
      expect(named.json<Interaction>().forwardedTask?.assignee.id).toBe(people.risk.id);
      const west = await s.cm.request({
        method: 'POST',
        url,
        payload: contact({ need: { description: NEED, department: 'risk', assigneeId: people.cmWest.id } }),
      });
      expect(expectProblem(west, 'VALIDATION_FAILED').errors?.[0]?.path).toBe('body.need.assigneeId');
      const future = await s.cm.request({ method: 'POST', url, payload: contact({ occurredAt: '2099-01-01T00:00:00Z' }) });
      expectProblem(future, 'VALIDATION_FAILED');
    });

    it('should keep notes encrypted at rest', async () => {
      const id = await teamedCase();
      const res = await s.cm.request({
        method: 'POST',
        url: `/api/v1/cases/${id}/interactions`,
        payload: contact({ need: { description: NEED, department: 'operations' } }),
      });
      expect(res.statusCode, res.body).toBe(201);
      const row = await h.db
        .selectFrom('work_interactions')
        .selectAll()
        .where('id', '=', res.json<Interaction>().id)
        .executeTakeFirstOrThrow();
      expect(row.notes_enc).not.toContain(NOTE);
      expect(h.ctx.cipher.decrypt(row.notes_enc ?? '', { table: 'work_interactions', column: 'notes_enc', rowId: row.id })).toBe(NOTE);
      const task = await h.db
        .selectFrom('work_tasks')
        .selectAll()
        .where('id', '=', row.forwarded_task_id ?? '')
        .executeTakeFirstOrThrow();
      expect(task.note_enc).not.toContain(NEED);
      const audit = await h.db.selectFrom('audit_events').select('detail').where('action', 'like', 'work.%').execute();
      expect(audit.length).toBeGreaterThan(0);
      for (const a of audit) {
        expect(a.detail).not.toContain(NOTE);
        expect(a.detail).not.toContain(NEED);
      }
    });

    it('should make ad-hoc tasks for colleagues of the branch only', async () => {
      const id = await teamedCase();
      const url = `/api/v1/cases/${id}/tasks`;
      const ok = await s.cm.request({
        method: 'POST',
        url,
        payload: { assigneeId: people.ops.id, title: '核对账户冻结状态', dueOn: addDays(today(), 1), note: NOTE },
      });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json<Task>()).toMatchObject({ kind: 'ad_hoc', assignee: { id: people.ops.id }, note: NOTE, status: 'open' });
      const bad = async (payload: Record<string, unknown>, path: string) =>
        expect(expectProblem(await s.cm.request({ method: 'POST', url, payload }), 'VALIDATION_FAILED').errors?.[0]?.path).toBe(path);
      await bad({ assigneeId: people.ops.id, title: 'x', dueOn: addDays(today(), -1) }, 'body.dueOn');
      await bad({ assigneeId: people.cmWest.id, title: 'x', dueOn: today() }, 'body.assigneeId');
      await bad({ assigneeId: people.teller.id, title: 'x', dueOn: today() }, 'body.assigneeId');
      const tasks = await s.cm.request({ method: 'GET', url });
      expect(tasks.json<{ items: Task[] }>().items.map((t) => t.kind)).toContain('ad_hoc');
    });
  });

  describe('access', () => {
    it('should answer 404 to staff of another branch and 403 to writes of branch colleagues off the team', async () => {
      const id = await teamedCase();
      await s.cm.request({ method: 'POST', url: `/api/v1/cases/${id}/interactions`, payload: contact() });
      for (const path of ['interactions', 'timeline', 'tasks']) {
        expectProblem(await s.cmWest.request({ method: 'GET', url: `/api/v1/cases/${id}/${path}` }), 'NOT_FOUND');
      }
      expectProblem(await s.cmWest.request({ method: 'POST', url: `/api/v1/cases/${id}/interactions`, payload: contact() }), 'NOT_FOUND');
      expectProblem(await s.cmOther.request({ method: 'POST', url: `/api/v1/cases/${id}/interactions`, payload: contact() }), 'FORBIDDEN');
      expectProblem(
        await s.cmOther.request({
          method: 'POST',
          url: `/api/v1/cases/${id}/tasks`,
          payload: { assigneeId: people.cmOther.id, title: 'x', dueOn: today() },
        }),
        'FORBIDDEN',
      );
      expectProblem(await s.cm.request({ method: 'GET', url: '/api/v1/cases/0190aaaa-0000-7000-8000-000000000000/timeline' }), 'NOT_FOUND');
    });

    it('should leave notes out for readers not entitled to the case’s sensitive sections', async () => {
      const id = await teamedCase();
      await s.cm.request({ method: 'POST', url: `/api/v1/cases/${id}/interactions`, payload: contact() });
      const other = await s.cmOther.request({ method: 'GET', url: `/api/v1/cases/${id}/interactions` });
      expect(other.statusCode, other.body).toBe(200);
      const items = other.json<{ items: Interaction[] }>().items;
      expect(items).toHaveLength(1);
      expect(items[0]).not.toHaveProperty('notes');
      expect(other.body).not.toContain(NOTE);
      const timeline = await s.cmOther.request({ method: 'GET', url: `/api/v1/cases/${id}/timeline` });
      expect(timeline.statusCode, timeline.body).toBe(200);
      expect(timeline.body).not.toContain(NOTE);
      expect(timeline.json<{ sensitiveVisible: boolean }>().sensitiveVisible).toBe(false);
    });
  });

  describe('timeline', () => {
    it('should show case events, interactions and tasks in order, with notes for the team', async () => {
      const id = await teamedCase();
      h.clock.advance(60_000);
      const task = (await openTasks(id)).find((t) => t.kind === 'contact');
      if (!task) throw new Error('no contact task');
      const done = await s.cm.request({
        method: 'POST',
        url: `/api/v1/work/tasks/${task.id}/complete`,
        payload: { interaction: contact() },
      });
      expect(done.statusCode, done.body).toBe(200);
      const res = await s.cm.request({ method: 'GET', url: `/api/v1/cases/${id}/timeline` });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<{ items: TimelineItem[]; sensitiveVisible: boolean }>();
      expect(body.sensitiveVisible).toBe(true);
      const kinds = body.items.map((i) => i.kind);
      expect(kinds[0]).toBe('case.registered');
      expect(kinds).toEqual(expect.arrayContaining(['task.created', 'task.completed', 'interaction.call']));
      const times = body.items.map((i) => Date.parse(i.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(body.items.find((i) => i.kind === 'interaction.call')?.text).toBe(NOTE);
      const paged = await s.cm.request({ method: 'GET', url: `/api/v1/cases/${id}/timeline?limit=2` });
      expect(paged.json<{ items: TimelineItem[]; nextCursor: string | null }>().nextCursor).not.toBeNull();
    });
  });

  describe('bad input', () => {
    it('should answer arbitrary bodies with 4xx or a success, never 5xx', async () => {
      const id = await teamedCase();
      const task = (await openTasks(id)).find((t) => t.kind === 'contact');
      const valid = contact({ need: { description: NEED, department: 'operations' } });
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('interactions', 'tasks', 'complete'),
          fc.oneof(
            fc.anything(),
            fc
              .dictionary(fc.constantFrom(...Object.keys(valid), 'assigneeId', 'title', 'dueOn', 'interaction'), fc.anything())
              .map((d) => ({ ...valid, ...d })),
          ),
          async (what, body) => {
            const url = what === 'complete' ? `/api/v1/work/tasks/${task?.id}/complete` : `/api/v1/cases/${id}/${what}`;
            const res = await s.cm.request({
              method: 'POST',
              url,
              payload: JSON.stringify(body) ?? 'null',
              headers: { 'content-type': 'application/json' },
            });
            expectNoServerError(res, `POST ${what}`);
          },
        ),
        { numRuns: 60 },
      );
    });
  });
});
