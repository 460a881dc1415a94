import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';

/** Issue 4: the service team of each case (P3.1); later parts of the teams feature add their tables here. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('case_team_members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('assigned_at', t.instant, (c) => c.notNull())
    .addColumn('assigned_by', 'text', (c) => c.notNull())
    .addColumn('removed_at', t.instant)
    .addColumn('removed_by', 'text')
    .execute();
  await db.schema.createIndex('case_team_members_case_idx').on('case_team_members').columns(['case_id', 'removed_at']).execute();
  await db.schema.createIndex('case_team_members_staff_idx').on('case_team_members').columns(['staff_id', 'removed_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('case_team_members').ifExists().execute();
}
