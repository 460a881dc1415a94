import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { type Session, makeBranches, makeStaff, signIn } from '../../../test/helpers/factories.js';
import { type Harness, createHarness, describeEachDialect } from '../../../test/helpers/harness.js';
import { trainingStanding, windowStart } from './training.rules.js';

describe('training rules', () => {
  it('should open the 12-month window the day after the same date a year before', () => {
    expect(windowStart('2026-11-28')).toBe('2025-11-29');
    expect(windowStart('2028-02-29')).toBe('2027-03-01');
    expect(windowStart('2026-01-01')).toBe('2025-01-02');
  });

  it('should count only the window and call a person trained with the hours and an illness-knowledge course', () => {
    const today = '2026-11-28';
    const courses = [
      { kind: 'illness_knowledge' as const, heldOn: '2026-03-01', hoursTenths: 40 },
      { kind: 'communication' as const, heldOn: '2026-06-01', hoursTenths: 40 },
      { kind: 'policy' as const, heldOn: '2025-11-28', hoursTenths: 80 },
    ];
    expect(trainingStanding(courses, today, 8)).toMatchObject({
      courses: 2,
      hours: 8,
      hoursMet: true,
      illnessKnowledgeOverdue: false,
      status: 'trained',
    });
    expect(trainingStanding(courses.slice(1), today, 4)).toMatchObject({
      hoursMet: true,
      illnessKnowledgeOverdue: true,
      status: 'overdue',
    });
    expect(trainingStanding([], today, 8)).toMatchObject({ courses: 0, hours: 0, status: 'overdue', lastIllnessKnowledgeOn: null });
  });

  it('P7.3.2 should flag a missing or year-old risk and compliance course', () => {
    const today = '2026-11-28';
    const risk = (heldOn: string) => ({ kind: 'risk_compliance' as const, heldOn, hoursTenths: 20 });
    expect(trainingStanding([risk('2026-01-10')], today, 8)).toMatchObject({
      riskComplianceOverdue: false,
      lastRiskComplianceOn: '2026-01-10',
    });
    expect(trainingStanding([risk('2025-11-28')], today, 8)).toMatchObject({ riskComplianceOverdue: true, lastRiskComplianceOn: null });
    expect(trainingStanding([], today, 8)).toMatchObject({ riskComplianceOverdue: true });
  });
});

interface Report {
  windowFrom: string;
  items: {
    staffId: string;
    username: string;
    hours: number;
    status: string;
    illnessKnowledgeOverdue: boolean;
    riskComplianceOverdue: boolean;
    lastRiskComplianceOn: string | null;
    branchCode: string;
  }[];
  byBranch: { key: string; trained: number; overdue: number; riskComplianceOverdue: number }[];
  byRole: { key: string; trained: number; overdue: number }[];
}

describeEachDialect('training API', (dialect) => {
  let h: Harness;
  let supEast: Session;
  let supWest: Session;
  let cmEast: Session;
  let admin: Session;
  let insp: Session;
  let ids: Record<'supEast' | 'cmEast' | 'wmEast' | 'cmWest', string>;
  let courseId: string;

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off', LIFELINE_TRAINING_HOURS_PER_YEAR: '6' });
    await makeBranches(h);
    const people = {
      supEast: await makeStaff(h, { roles: ['supervisor'], branch: 'EAST', username: 'sup.east' }),
      supWest: await makeStaff(h, { roles: ['supervisor'], branch: 'WEST', username: 'sup.west' }),
      cmEast: await makeStaff(h, { roles: ['customer_manager'], branch: 'EAST', username: 'cm.east' }),
      wmEast: await makeStaff(h, { roles: ['wealth_manager'], branch: 'EAST', username: 'wm.east' }),
      cmWest: await makeStaff(h, { roles: ['customer_manager'], branch: 'WEST', username: 'cm.west' }),
      admin: await makeStaff(h, { roles: ['admin'], branch: 'HQ', username: 'admin' }),
      insp: await makeStaff(h, { roles: ['inspector'], branch: 'HQ', username: 'insp' }),
    };
    ids = { supEast: people.supEast.id, cmEast: people.cmEast.id, wmEast: people.wmEast.id, cmWest: people.cmWest.id };
    supEast = await signIn(h, people.supEast);
    supWest = await signIn(h, people.supWest);
    cmEast = await signIn(h, people.cmEast);
    admin = await signIn(h, people.admin);
    insp = await signIn(h, people.insp);
  });
  afterAll(async () => {
    await h?.close();
  });

  const create = (s: Session, body: unknown) =>
    s.request({ method: 'POST', url: '/api/v1/training/courses', payload: body as Record<string, unknown> });
  const attend = (s: Session, id: string, staffIds: string[]) =>
    s.request({ method: 'POST', url: `/api/v1/training/courses/${id}/attendance`, payload: { staffIds } });
  const report = async (s: Session) => {
    const res = await s.request({ method: 'GET', url: '/api/v1/training/report' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Report>();
  };

  it('P3.3.1 P3.3.2 P3.3.3 P7.3.2 should let supervisors and admins record courses, and no one else', async () => {
    const res = await create(supEast, {
      title: '肿瘤基础知识',
      kind: 'illness_knowledge',
      heldOn: '2026-10-10',
      hours: 4,
      provider: '市第一医院',
    });
    expect(res.statusCode, res.body).toBe(201);
    courseId = res.json<{ id: string }>().id;
    expect(res.json<{ hours: number }>().hours).toBe(4);
    const lecture = await create(admin, { title: '心理支持讲座', kind: 'psychologist_lecture', heldOn: '2026-09-01', hours: 2.5 });
    expect(lecture.statusCode, lecture.body).toBe(201);
    expectProblem(await create(cmEast, { title: 'x', kind: 'policy', heldOn: '2026-10-10', hours: 1 }), 'FORBIDDEN');
    expectProblem(await create(insp, { title: 'x', kind: 'policy', heldOn: '2026-10-10', hours: 1 }), 'FORBIDDEN');
    const list = await cmEast.request({ method: 'GET', url: '/api/v1/training/courses' });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<{ items: { id: string }[] }>().items.map((c) => c.id)).toContain(courseId);
  });

  it('should refuse bad courses with 400 and never answer 5xx', async () => {
    expectProblem(await create(supEast, { title: 'x', kind: 'cooking', heldOn: '2026-10-10', hours: 1 }), 'VALIDATION_FAILED');
    expectProblem(await create(supEast, { title: 'x', kind: 'policy', heldOn: '2026-02-30', hours: 1 }), 'VALIDATION_FAILED');
    expectProblem(await create(supEast, { title: 'x', kind: 'policy', heldOn: '2026-10-10', hours: 1.25 }), 'VALIDATION_FAILED');
    expectProblem(await create(supEast, { title: 'x', kind: 'policy', heldOn: '2026-10-10', hours: -1 }), 'VALIDATION_FAILED');
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          { title: fc.anything(), kind: fc.string(), heldOn: fc.string(), hours: fc.oneof(fc.double(), fc.integer()) },
          { requiredKeys: [] },
        ),
        async (body) => {
          expectNoServerError(await create(supEast, body), `POST course ${JSON.stringify(body)?.slice(0, 80)}`);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('should record attendance once, within the supervisor’s branch only', async () => {
    const res = await attend(supEast, courseId, [ids.cmEast, ids.supEast, ids.cmEast]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ attendeeCount: number }>().attendeeCount).toBe(2);
    const again = await attend(supEast, courseId, [ids.cmEast]);
    expect(again.json<{ added: string[] }>().added).toEqual([]);
    expectProblem(await attend(supEast, courseId, [ids.cmWest]), 'FORBIDDEN');
    expectProblem(await attend(supWest, courseId, [ids.cmEast]), 'FORBIDDEN');
    expect((await attend(supWest, courseId, [ids.cmWest])).statusCode).toBe(200);
    expectProblem(await attend(supEast, courseId, ['nobody']), 'VALIDATION_FAILED');
    expectProblem(await attend(supEast, '0190aaaa-0000-7000-8000-000000000000', [ids.cmEast]), 'NOT_FOUND');
    const detail = await cmEast.request({ method: 'GET', url: `/api/v1/training/courses/${courseId}` });
    expect(
      detail
        .json<{ attendees: { id: string }[] }>()
        .attendees.map((a) => a.id)
        .sort(),
    ).toEqual([ids.cmEast, ids.supEast, ids.cmWest].sort());
  });

  it('should report trained and overdue staff, scoped by branch', async () => {
    // 4 h of illness knowledge + 2.5 h lecture = 6.5 h ≥ 6 for cm.east; sup.east has only 4 h.
    const lectures = (await admin.request({ method: 'GET', url: '/api/v1/training/courses' })).json<{
      items: { id: string; kind: string }[];
    }>().items;
    const lecture = lectures.find((c) => c.kind === 'psychologist_lecture');
    if (!lecture) throw new Error('no lecture');
    expect((await attend(admin, lecture.id, [ids.cmEast])).statusCode).toBe(200);

    const all = await report(admin);
    const byUser = new Map(all.items.map((r) => [r.username, r]));
    expect(byUser.get('cm.east')).toMatchObject({ hours: 6.5, status: 'trained', illnessKnowledgeOverdue: false });
    expect(byUser.get('sup.east')).toMatchObject({ hours: 4, status: 'overdue' });
    expect(byUser.get('wm.east')).toMatchObject({ hours: 0, status: 'overdue', illnessKnowledgeOverdue: true });
    expect(byUser.has('admin')).toBe(false); // P3.3 is the team's training
    expect(all.byBranch.find((b) => b.key === 'EAST')).toEqual({ key: 'EAST', trained: 1, overdue: 2, riskComplianceOverdue: 3 });
    expect(all.byRole.find((b) => b.key === 'customer_manager')).toMatchObject({ trained: 1 });
    expect((await report(insp)).items).toHaveLength(all.items.length);

    const east = await report(supEast);
    expect(new Set(east.items.map((r) => r.branchCode))).toEqual(new Set(['EAST']));
    const own = await report(cmEast);
    expect(own.items.map((r) => r.staffId)).toEqual([ids.cmEast]);
  });

  it('P7.3.2 should flag everyone the report covers who has no risk and compliance course in the last 12 months', async () => {
    const course = await create(supEast, { title: '操作风险与合规', kind: 'risk_compliance', heldOn: '2026-06-01', hours: 2 });
    expect(course.statusCode, course.body).toBe(201);
    expect((await attend(supEast, course.json<{ id: string }>().id, [ids.cmEast])).statusCode).toBe(200);
    const all = await report(admin);
    const byUser = new Map(all.items.map((r) => [r.username, r]));
    expect(byUser.get('cm.east')).toMatchObject({ riskComplianceOverdue: false, lastRiskComplianceOn: '2026-06-01' });
    expect(byUser.get('wm.east')).toMatchObject({ riskComplianceOverdue: true, lastRiskComplianceOn: null });
    expect(byUser.get('sup.east')).toMatchObject({ riskComplianceOverdue: true });
    expect(all.byBranch.find((b) => b.key === 'EAST')?.riskComplianceOverdue).toBe(2);
  });

  it('should move the window with the clock', async () => {
    h.clock.set('2027-10-20T09:00:00.000Z');
    admin = await signIn(h, { username: 'admin', password: 'correct horse battery staple' });
    const later = await report(admin);
    expect(later.windowFrom).toBe('2026-10-21');
    expect(later.items.find((r) => r.username === 'cm.east')).toMatchObject({ hours: 0, status: 'overdue' });
    // P7.3.2: a completion older than a year no longer counts.
    expect(later.items.find((r) => r.username === 'cm.east')).toMatchObject({ riskComplianceOverdue: true });
  });
});
