import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';

/** Issue 4, P3.3: training courses and who attended them. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('training_courses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('held_on', t.date, (c) => c.notNull())
    .addColumn('hours_tenths', 'integer', (c) => c.notNull())
    .addColumn('provider', 'text')
    .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('training_courses_held_idx').on('training_courses').columns(['held_on', 'id']).execute();
  await db.schema
    .createTable('training_attendance')
    .addColumn('course_id', 'text', (c) => c.notNull().references('training_courses.id'))
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', t.instant, (c) => c.notNull())
    .addPrimaryKeyConstraint('training_attendance_pk', ['course_id', 'staff_id'])
    .execute();
  await db.schema.createIndex('training_attendance_staff_idx').on('training_attendance').columns(['staff_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('training_attendance').ifExists().execute();
  await db.schema.dropTable('training_courses').ifExists().execute();
}
