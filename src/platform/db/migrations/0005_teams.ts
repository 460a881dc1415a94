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

  // P5.4.2: confidentiality agreements, one row per signature (renewals add rows).
  await db.schema
    .createTable('staff_agreements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('signed_on', t.date, (c) => c.notNull())
    .addColumn('expires_on', t.date, (c) => c.notNull())
    .addColumn('recorded_at', t.instant, (c) => c.notNull())
    .addColumn('recorded_by', 'text')
    .execute();
  await db.schema.createIndex('staff_agreements_staff_idx').on('staff_agreements').columns(['staff_id', 'expires_on']).execute();

  // P5.4.1: break-glass grants, kept for review.
  await db.schema
    .createTable('break_glass_grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('branch_id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('granted_at', t.instant, (c) => c.notNull())
    .addColumn('expires_at', t.instant, (c) => c.notNull())
    .addColumn('reviewed_at', t.instant)
    .addColumn('reviewed_by', 'text')
    .addColumn('review_note', 'text')
    .execute();
  await db.schema.createIndex('break_glass_case_staff_idx').on('break_glass_grants').columns(['case_id', 'staff_id']).execute();
  await db.schema.createIndex('break_glass_branch_idx').on('break_glass_grants').columns(['branch_id', 'reviewed_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('break_glass_grants').ifExists().execute();
  await db.schema.dropTable('staff_agreements').ifExists().execute();
  await db.schema.dropTable('case_team_members').ifExists().execute();
}
