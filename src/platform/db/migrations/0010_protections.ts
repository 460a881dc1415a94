import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Issue 10: role grants under four eyes, task titles as ciphertext, notifications about leads and
 * from the system (no case, no actor) with a key against repeats, and the supervisor's finding
 * against each part of the definition of a critical-illness customer (P2.1).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  // A role that sees medical data is granted by a second administrator (P5.4.1).
  await db.schema
    .createTable('staff_role_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('requested_at', t.instant, (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('staff.id'))
    .addColumn('decided_at', t.instant)
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('staff_role_requests_status_idx').on('staff_role_requests').columns(['status', 'requested_at']).execute();

  // Free-text task titles (ad-hoc tasks, meeting action items) are as confidential as their source.
  await db.schema.alterTable('work_tasks').addColumn('title_enc', 'text').execute();

  await db.schema.alterTable('leads').addColumn('definition_enc', 'text').execute();

  if (t.dialect === 'postgres') {
    await sql`ALTER TABLE notifications ALTER COLUMN case_id DROP NOT NULL`.execute(db);
    await sql`ALTER TABLE notifications ALTER COLUMN case_number DROP NOT NULL`.execute(db);
    await sql`ALTER TABLE notifications ALTER COLUMN actor_id DROP NOT NULL`.execute(db);
    await db.schema.alterTable('notifications').addColumn('lead_id', 'text').execute();
    await db.schema.alterTable('notifications').addColumn('dedup_key', 'text').execute();
  } else {
    // SQLite cannot drop a NOT NULL: the table is rebuilt with its rows.
    await db.schema
      .createTable('notifications_next')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('recipient_id', 'text', (c) => c.notNull().references('staff.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('case_id', 'text', (c) => c.references('cases.id'))
      .addColumn('case_number', 'text')
      .addColumn('lead_id', 'text')
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('dedup_key', 'text')
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('read_at', t.instant)
      .execute();
    await sql`INSERT INTO notifications_next (id, recipient_id, kind, case_id, case_number, source_id, actor_id, created_at, read_at)
      SELECT id, recipient_id, kind, case_id, case_number, source_id, actor_id, created_at, read_at FROM notifications`.execute(db);
    await db.schema.dropTable('notifications').execute();
    await sql`ALTER TABLE notifications_next RENAME TO notifications`.execute(db);
    await db.schema.createIndex('notifications_recipient_idx').on('notifications').columns(['recipient_id', 'read_at', 'id']).execute();
  }
  // One notification per recipient and occasion (a daily job may find the same overdue item again).
  await db.schema.createIndex('notifications_dedup_idx').on('notifications').columns(['dedup_key']).unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('notifications_dedup_idx').ifExists().execute();
  await db.schema.dropTable('staff_role_requests').ifExists().execute();
}
