import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Issue 11, P4.3: a staff member's away period (the wealth hotline's call-back goes to a present
 * colleague, P4.3.2), and the link of a task to the service request it executes (an approved
 * wealth re-plan gives operations one task per move, P4.3.1; the request completes once they are done).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('staff_away')
    .addColumn('staff_id', 'text', (c) => c.primaryKey().references('staff.id'))
    .addColumn('from_on', t.date, (c) => c.notNull())
    .addColumn('until_on', t.date, (c) => c.notNull())
    // Shown to colleagues (who covers, when back): the page asks for no personal reason, so it is plain.
    .addColumn('note', 'text')
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema.alterTable('work_tasks').addColumn('service_request_id', 'text').execute();
  await db.schema.createIndex('work_tasks_service_request_idx').on('work_tasks').columns(['service_request_id', 'status']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('work_tasks_service_request_idx').execute();
  await db.schema.alterTable('work_tasks').dropColumn('service_request_id').execute();
  await db.schema.dropTable('staff_away').execute();
}
