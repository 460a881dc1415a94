import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Session, makeBranches, makeStaff, signIn } from '../../../test/helpers/factories.js';
import { registerCaseViaApi } from '../../../test/helpers/cases.js';
import { type Harness, createHarness, describeEachDialect } from '../../../test/helpers/harness.js';
import { loadCustomers } from '../customers/customers.service.js';
import { sealWrittenTaskTitles } from './upkeep.service.js';

const SECRET_TITLE = '跟进化疗第三周期后的住院费用报销';

interface TaskList {
  items: { id: string; title: string | null }[];
}

// Issue 10: a task title a colleague wrote (an ad-hoc task, a meeting's action item) says things
// about the case, so it is sealed and shown only to readers of the case's confidential sections (P5.2.2).
describeEachDialect('titles of tasks people wrote', (dialect) => {
  let h: Harness;
  let sup: Session;
  let cm: Session;
  let riskOffTeam: Session;
  let insp: Session;
  let caseId: string;
  let taskId: string;
  let cmId: string;

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off' });
    await makeBranches(h);
    const people = {
      sup: await makeStaff(h, { roles: ['supervisor'], branch: 'EAST', username: 'sup.east' }),
      cm: await makeStaff(h, { roles: ['customer_manager'], branch: 'EAST', username: 'cm.east' }),
      risk: await makeStaff(h, { roles: ['risk_officer'], branch: 'EAST', username: 'risk.east' }),
      insp: await makeStaff(h, { roles: ['inspector'], branch: 'HQ', username: 'insp' }),
      teller: await makeStaff(h, { roles: ['staff'], branch: 'EAST', username: 'teller.east' }),
    };
    cmId = people.cm.id;
    sup = await signIn(h, people.sup);
    cm = await signIn(h, people.cm);
    riskOffTeam = await signIn(h, people.risk);
    insp = await signIn(h, people.insp);
    const teller = await signIn(h, people.teller);
    await loadCustomers(h.ctx, h.db, [
      {
        customerNumber: 'C0000001',
        name: '测试客户',
        gender: 'F',
        dateOfBirth: '1970-01-01',
        nationalId: null,
        phone: null,
        address: null,
        branchCode: 'EAST',
        segment: 'mass',
        openedOn: null,
      },
    ]);
    caseId = (await registerCaseViaApi({ teller, supervisor: sup }, 'C0000001', h.clock.now())).id;
    const team = await sup.request({
      method: 'PUT',
      url: `/api/v1/cases/${caseId}/team`,
      payload: { members: [{ staffId: cmId, role: 'customer_manager', primary: true }] },
    });
    expect(team.statusCode, team.body).toBe(200);
    const meeting = await cm.request({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/meetings`,
      payload: {
        heldAt: h.clock.now().toISOString(),
        attendees: [cmId],
        minutes: '团队例会',
        actionItems: [{ assigneeId: cmId, title: SECRET_TITLE, dueOn: '2026-12-20' }],
      },
    });
    expect(meeting.statusCode, meeting.body).toBe(201);
    const row = await h.db
      .selectFrom('work_tasks')
      .selectAll()
      .where('case_id', '=', caseId)
      .where('kind', '=', 'ad_hoc')
      .executeTakeFirstOrThrow();
    taskId = row.id;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('P5.2.2 should store a written task title only as ciphertext', async () => {
    const row = await h.db.selectFrom('work_tasks').selectAll().where('id', '=', taskId).executeTakeFirstOrThrow();
    expect(row.title).toBeNull();
    expect(row.title_enc?.startsWith('enc:')).toBe(true);
    expect(JSON.stringify(row)).not.toContain(SECRET_TITLE);
  });

  it('P5.4.1 should show the title to the team and the supervisor, and not to branch staff off the team or an inspector without a reason', async () => {
    const titleFor = async (who: Session) =>
      (await who.request({ method: 'GET', url: `/api/v1/cases/${caseId}/tasks` })).json<TaskList>().items.find((t) => t.id === taskId)
        ?.title;
    expect(await titleFor(cm)).toBe(SECRET_TITLE);
    expect(await titleFor(sup)).toBe(SECRET_TITLE);
    expect(await titleFor(riskOffTeam)).toBeNull();
    expect(await titleFor(insp)).toBeNull();
    for (const who of [riskOffTeam, insp]) {
      const timeline = await who.request({ method: 'GET', url: `/api/v1/cases/${caseId}/timeline` });
      expect(timeline.statusCode, timeline.body).toBe(200);
      expect(timeline.body).not.toContain(SECRET_TITLE);
    }
    const mine = await cm.request({ method: 'GET', url: '/api/v1/work/tasks?status=open' });
    expect(mine.json<TaskList>().items.find((t) => t.id === taskId)?.title).toBe(SECRET_TITLE);
  });

  it('P5.2.2 should seal the titles an earlier version stored in clear, once', async () => {
    const legacy = await h.db.selectFrom('work_tasks').selectAll().where('id', '=', taskId).executeTakeFirstOrThrow();
    const id = `${taskId.slice(0, -4)}ffff`;
    await h.db
      .insertInto('work_tasks')
      .values({ ...legacy, id, title: SECRET_TITLE, title_enc: null, duty_key: null })
      .execute();
    expect(await sealWrittenTaskTitles(h.ctx)).toBe(1);
    expect(await sealWrittenTaskTitles(h.ctx)).toBe(0);
    const sealed = await h.db.selectFrom('work_tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(sealed.title).toBeNull();
    expect(h.ctx.cipher.decrypt(sealed.title_enc ?? '', { table: 'work_tasks', column: 'title_enc', rowId: id })).toBe(SECRET_TITLE);
  });
});
