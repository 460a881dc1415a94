import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Session, makeBranches, makeStaff, signIn } from '../../../test/helpers/factories.js';
import { registerCaseViaApi } from '../../../test/helpers/cases.js';
import { type Harness, createHarness, describeEachDialect } from '../../../test/helpers/harness.js';
import { loadCustomers } from '../customers/customers.service.js';
import { notifyOverdueLeads } from '../leads/upkeep.service.js';
import { notifyOverdueTasks } from '../work/upkeep.service.js';

const DAY_MS = 86_400_000;

interface NotificationList {
  items: {
    id: string;
    kind: string;
    caseId: string | null;
    caseNumber: string | null;
    leadId: string | null;
    actor: { id: string } | null;
  }[];
  unreadCount: number;
}

// Issue 10: what a page promises ("the supervisor has been notified") happens, and people hear of
// what is theirs: a new lead, a team they joined, a task made for them, something overdue.
describeEachDialect('notifications of work', (dialect) => {
  let h: Harness;
  let people: Record<'supEast' | 'supEast2' | 'supWest' | 'cmEast' | 'wmEast' | 'teller', Awaited<ReturnType<typeof makeStaff>>>;
  let s: Record<keyof typeof people, Session>;

  const notificationsOf = async (who: keyof typeof people) =>
    (await s[who].request({ method: 'GET', url: '/api/v1/notifications?limit=100' })).json<NotificationList>().items;

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off' });
    await makeBranches(h);
    people = {
      supEast: await makeStaff(h, { roles: ['supervisor'], branch: 'EAST', username: 'sup.east' }),
      supEast2: await makeStaff(h, { roles: ['supervisor'], branch: 'EAST', username: 'sup2.east' }),
      supWest: await makeStaff(h, { roles: ['supervisor'], branch: 'WEST', username: 'sup.west' }),
      cmEast: await makeStaff(h, { roles: ['customer_manager'], branch: 'EAST', username: 'cm.east' }),
      wmEast: await makeStaff(h, { roles: ['wealth_manager'], branch: 'EAST', username: 'wm.east' }),
      teller: await makeStaff(h, { roles: ['staff'], branch: 'EAST', username: 'teller.east' }),
    };
    s = Object.fromEntries(await Promise.all(Object.entries(people).map(async ([k, p]) => [k, await signIn(h, p)]))) as Record<
      keyof typeof people,
      Session
    >; // every key of people, signed in just here
    await loadCustomers(
      h.ctx,
      h.db,
      ['C0000001', 'C0000002'].map((customerNumber) => ({
        customerNumber,
        name: '测试客户',
        gender: 'F' as const,
        dateOfBirth: '1970-01-01',
        nationalId: null,
        phone: null,
        address: null,
        branchCode: 'EAST',
        segment: 'mass',
        openedOn: null,
      })),
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it("P2.3.1 should notify every supervisor of the lead's branch when a teller records a lead, and no one else", async () => {
    const lead = await s.teller.request({
      method: 'POST',
      url: '/api/v1/leads',
      payload: { channel: 'self_report', customerNumber: 'C0000002', summary: '客户来电告知确诊' },
    });
    expect(lead.statusCode, lead.body).toBe(201);
    const leadId = lead.json<{ id: string }>().id;
    for (const who of ['supEast', 'supEast2'] as const) {
      const mine = (await notificationsOf(who)).filter((n) => n.leadId === leadId);
      expect(mine, who).toHaveLength(1);
      expect(mine[0]).toMatchObject({ kind: 'lead_new', caseId: null, actor: { id: people.teller.id } });
    }
    expect((await notificationsOf('supWest')).filter((n) => n.leadId === leadId)).toEqual([]);
    expect((await notificationsOf('teller')).filter((n) => n.leadId === leadId)).toEqual([]);
  });

  it('P3.1 should notify a colleague added to a case team, and of a task made for them, but not of their own', async () => {
    const c = await registerCaseViaApi({ teller: s.teller, supervisor: s.supEast }, 'C0000001', h.clock.now());
    const team = await s.supEast.request({
      method: 'PUT',
      url: `/api/v1/cases/${c.id}/team`,
      payload: {
        members: [
          { staffId: people.cmEast.id, role: 'customer_manager', primary: true },
          { staffId: people.wmEast.id, role: 'wealth_manager' },
        ],
      },
    });
    expect(team.statusCode, team.body).toBe(200);
    for (const who of ['cmEast', 'wmEast'] as const) {
      const joined = (await notificationsOf(who)).filter((n) => n.kind === 'team_assigned' && n.caseId === c.id);
      expect(joined, who).toHaveLength(1);
      expect(joined[0]?.caseNumber).toBe(c.caseNumber);
    }
    const task = await s.cmEast.request({
      method: 'POST',
      url: `/api/v1/cases/${c.id}/tasks`,
      payload: { assigneeId: people.wmEast.id, title: '复核理财持仓风险等级', dueOn: '2026-12-10' },
    });
    expect(task.statusCode, task.body).toBe(201);
    const taskId = task.json<{ id: string }>().id;
    const told = (await notificationsOf('wmEast')).filter((n) => n.kind === 'task_assigned');
    expect(told.map((n) => n.caseId)).toEqual([c.id]);
    const own = await s.cmEast.request({
      method: 'POST',
      url: `/api/v1/cases/${c.id}/tasks`,
      payload: { assigneeId: people.cmEast.id, title: '给自己的提醒', dueOn: '2026-12-10' },
    });
    expect(own.statusCode).toBe(201);
    expect((await notificationsOf('cmEast')).filter((n) => n.kind === 'task_assigned')).toEqual([]);
    // No case detail in what the bell shows: the kind and the case number only.
    expect(JSON.stringify(await notificationsOf('wmEast'))).not.toContain('复核理财持仓风险等级');
    expect(taskId).toBeTruthy();
  });

  it('P3.2 should tell the owner and the branch supervisors of an overdue task once, however often the daily check runs', async () => {
    h.clock.advance(30 * DAY_MS);
    // A month later the sessions have long ended: everyone signs in again.
    for (const who of Object.keys(people) as (keyof typeof people)[]) s[who] = await signIn(h, people[who]);
    await notifyOverdueTasks(h.ctx);
    await notifyOverdueTasks(h.ctx);
    const wm = (await notificationsOf('wmEast')).filter((n) => n.kind === 'task_overdue');
    expect(wm.length).toBeGreaterThanOrEqual(1);
    expect(new Set(wm.map((n) => n.id)).size).toBe(wm.length);
    const sup = (await notificationsOf('supEast')).filter((n) => n.kind === 'task_overdue');
    // Each overdue task of the branch once for the supervisor: as many as the overdue tasks.
    const overdue = await h.db
      .selectFrom('work_tasks')
      .select('id')
      .where('status', '=', 'open')
      .where('due_on', '<', '2027-01-01')
      .execute();
    expect(sup.length).toBe(overdue.length);
    expect((await notificationsOf('supWest')).filter((n) => n.kind === 'task_overdue')).toEqual([]);
  });

  it('P2.3.2 should tell the supervisors of a lead past its verification deadline once', async () => {
    await notifyOverdueLeads(h.ctx);
    await notifyOverdueLeads(h.ctx);
    const late = (await notificationsOf('supEast2')).filter((n) => n.kind === 'lead_overdue');
    expect(late).toHaveLength(1);
    expect(late[0]?.caseId).toBeNull();
  });
});
