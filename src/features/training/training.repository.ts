import type { Executor } from '../../platform/db/database.js';
import type { TrainingCourseTable } from '../../platform/db/tables/training.js';

export async function insertCourse(db: Executor, row: TrainingCourseTable): Promise<void> {
  await db.insertInto('training_courses').values(row).execute();
}

export async function findCourse(db: Executor, id: string): Promise<TrainingCourseTable | undefined> {
  return db.selectFrom('training_courses').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A page of courses, most recent first, with their attendance counts. */
export async function listCourses(
  db: Executor,
  q: { before?: { heldOn: string; id: string }; limit: number },
): Promise<(TrainingCourseTable & { attendees: number })[]> {
  let query = db
    .selectFrom('training_courses')
    .selectAll('training_courses')
    .select((eb) =>
      eb
        .selectFrom('training_attendance')
        .select((e) => e.fn.countAll().as('n'))
        .whereRef('training_attendance.course_id', '=', 'training_courses.id')
        .as('attendees'),
    );
  const before = q.before;
  if (before) {
    query = query.where((eb) =>
      eb.or([
        eb('training_courses.held_on', '<', before.heldOn),
        eb.and([eb('training_courses.held_on', '=', before.heldOn), eb('training_courses.id', '<', before.id)]),
      ]),
    );
  }
  const rows = await query.orderBy('training_courses.held_on', 'desc').orderBy('training_courses.id', 'desc').limit(q.limit).execute();
  return rows.map((r) => ({ ...r, attendees: Number(r.attendees ?? 0) }));
}

export async function listAttendeeIds(db: Executor, courseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('training_attendance')
    .select('staff_id')
    .where('course_id', '=', courseId)
    .orderBy('staff_id')
    .execute();
  return rows.map((r) => r.staff_id);
}

/** Records attendances; those already recorded are left as they are. Answers the ids newly added. */
export async function addAttendance(
  db: Executor,
  courseId: string,
  staffIds: readonly string[],
  by: string,
  at: string,
): Promise<string[]> {
  const existing = new Set(await listAttendeeIds(db, courseId));
  const added = staffIds.filter((s) => !existing.has(s));
  if (added.length > 0) {
    await db
      .insertInto('training_attendance')
      .values(added.map((staff_id) => ({ course_id: courseId, staff_id, recorded_by: by, recorded_at: at })))
      .execute();
  }
  return added;
}

/** Every attendance of courses held on or after `from`, with the course's kind and hours. */
export async function attendanceSince(db: Executor, from: string) {
  return db
    .selectFrom('training_attendance')
    .innerJoin('training_courses', 'training_courses.id', 'training_attendance.course_id')
    .select(['training_attendance.staff_id', 'training_courses.kind', 'training_courses.held_on', 'training_courses.hours_tenths'])
    .where('training_courses.held_on', '>=', from)
    .execute();
}
