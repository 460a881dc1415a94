import { z } from 'zod';
import { TEAM_ROLES, type Role, seesAllBranches } from '../../domain/roles.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import { getStaff, pageStaff } from '../staff/staff.service.js';
import { addAttendance, attendanceSince, findCourse, insertCourse, listAttendeeIds, listCourses } from './training.repository.js';
import { type Attended, trainingStanding, windowStart } from './training.rules.js';
import type { CourseBody, CourseView, ReportResponse } from './training.schemas.js';

type CourseOut = z.input<typeof CourseView>;

function courseView(
  c: {
    id: string;
    title: string;
    kind: CourseOut['kind'];
    held_on: string;
    hours_tenths: number;
    provider: string | null;
    branch_id: string;
    created_at: string;
  },
  attendees: number,
): CourseOut {
  return {
    id: c.id,
    title: c.title,
    kind: c.kind,
    heldOn: c.held_on,
    hours: c.hours_tenths / 10,
    provider: c.provider,
    branchId: c.branch_id,
    attendeeCount: attendees,
    createdAt: c.created_at,
  };
}

/** Records a course or lecture (P3.3), held by the actor's branch. */
export async function createCourse(ctx: AppContext, db: Executor, actor: Actor, input: z.output<typeof CourseBody>): Promise<CourseOut> {
  const now = ctx.now();
  const id = newId(now.getTime());
  const row = {
    id,
    title: input.title,
    kind: input.kind,
    held_on: input.heldOn,
    hours_tenths: Math.round(input.hours * 10),
    provider: input.provider ?? null,
    branch_id: actor.branchId,
    created_by: actor.id,
    created_at: now.toISOString(),
  };
  await insertCourse(db, row);
  await recordAudit(
    db,
    actor,
    { action: 'training.course_created', target: { type: 'training_course', id }, branchId: actor.branchId, detail: { kind: input.kind } },
    now,
  );
  return courseView(row, 0);
}

const CourseCursor = z.object({ h: z.string().max(10), id: z.string().max(64) });

/** A page of courses, most recent first; courses are not confidential, every reader sees all. */
export async function pageCourses(db: Executor, q: { limit: number; cursor?: string }) {
  const before = decodeCursor(q.cursor, CourseCursor);
  const rows = await listCourses(db, { before: before ? { heldOn: before.h, id: before.id } : undefined, limit: q.limit + 1 });
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return {
    items: items.map((r) => courseView(r, r.attendees)),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ h: last.held_on, id: last.id }) : null,
  };
}

async function requireCourse(db: Executor, id: string) {
  const course = await findCourse(db, id);
  if (!course) throw new AppError('NOT_FOUND', 'no such course');
  return course;
}

/** One course with who attended it. */
export async function courseDetail(db: Executor, id: string) {
  const course = await requireCourse(db, id);
  const ids = await listAttendeeIds(db, course.id);
  const attendees = [];
  for (const staffId of ids) {
    const s = await getStaff(db, staffId);
    attendees.push({ id: s.id, username: s.username, displayName: s.display_name, branchId: s.branch_id });
  }
  return { ...courseView(course, ids.length), attendees };
}

/**
 * Records who attended a course. Supervisors record their own branch's staff only; admins anyone.
 * Recording someone twice changes nothing.
 */
export async function recordAttendance(ctx: AppContext, db: Executor, actor: Actor, courseId: string, staffIds: readonly string[]) {
  const course = await requireCourse(db, courseId);
  const unique = [...new Set(staffIds)];
  for (const [i, staffId] of unique.entries()) {
    const path = `body.staffIds.${staffIds.indexOf(staffId)}`;
    const staff = await getStaff(db, staffId).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'NOT_FOUND') {
        throw new AppError('VALIDATION_FAILED', 'unknown staff member', {
          errors: [{ path, message: 'no such staff member', reason: 'unknown' }],
        });
      }
      throw err;
    });
    if (!seesAllBranches(actor.roles) && staff.branch_id !== actor.branchId) {
      throw new AppError('FORBIDDEN', `a supervisor records the attendance of their own branch's staff only (item ${i})`);
    }
  }
  const now = ctx.now();
  const added = await addAttendance(db, course.id, unique, actor.id, now.toISOString());
  if (added.length > 0) {
    await recordAudit(
      db,
      actor,
      {
        action: 'training.attendance_recorded',
        target: { type: 'training_course', id: course.id },
        branchId: actor.branchId,
        detail: { staffIds: added },
      },
      now,
    );
  }
  return { courseId: course.id, added, attendeeCount: (await listAttendeeIds(db, course.id)).length };
}

/** The staff P3.3 applies to: the team roles and supervisors. */
const TRAINED_ROLES: readonly Role[] = [...TEAM_ROLES, 'supervisor'];

/**
 * The training report (P3.3): per staff member, the courses and hours of the last 12 months and
 * whether they are trained or overdue; admins and inspectors see every branch, supervisors their
 * own, everyone else themselves.
 */
export async function trainingReport(ctx: AppContext, db: Executor, actor: Actor): Promise<z.input<typeof ReportResponse>> {
  const today = ctx.now().toISOString().slice(0, 10);
  const from = windowStart(today);
  const all = seesAllBranches(actor.roles);
  const branchId = all ? undefined : actor.branchId;
  const staff = [];
  let cursor: string | undefined;
  do {
    const page = await pageStaff(db, { limit: 500, cursor, branchId });
    staff.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const selfOnly = !all && !actor.roles.includes('supervisor');
  const people = staff.filter(
    (s) => s.status === 'active' && s.roles.some((r) => TRAINED_ROLES.includes(r)) && (!selfOnly || s.id === actor.id),
  );
  const attended = new Map<string, Attended[]>();
  for (const a of await attendanceSince(db, from)) {
    const list = attended.get(a.staff_id) ?? [];
    list.push({ kind: a.kind, heldOn: a.held_on, hoursTenths: a.hours_tenths });
    attended.set(a.staff_id, list);
  }
  const hoursPerYear = ctx.config.training.hoursPerYear;
  const items = people.map((s) => ({
    staffId: s.id,
    username: s.username,
    displayName: s.displayName,
    branchId: s.branchId,
    branchCode: s.branchCode,
    roles: [...s.roles],
    ...trainingStanding(attended.get(s.id) ?? [], today, hoursPerYear),
  }));
  const tally = (keysOf: (row: (typeof items)[number]) => string[]) => {
    const m = new Map<string, { key: string; trained: number; overdue: number; riskComplianceOverdue: number }>();
    for (const row of items) {
      for (const key of keysOf(row)) {
        const t = m.get(key) ?? { key, trained: 0, overdue: 0, riskComplianceOverdue: 0 };
        t[row.status] += 1;
        if (row.riskComplianceOverdue) t.riskComplianceOverdue += 1;
        m.set(key, t);
      }
    }
    return [...m.values()].sort((a, b) => a.key.localeCompare(b.key));
  };
  return {
    asOf: today,
    windowFrom: from,
    hoursPerYear,
    items,
    byBranch: tally((r) => [r.branchCode]),
    byRole: tally((r) => r.roles.filter((role) => TRAINED_ROLES.includes(role as Role))),
  };
}
