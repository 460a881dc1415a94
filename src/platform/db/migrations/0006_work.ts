import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';

/** Issue 4: the team's dated tasks (P3.2) and the interactions with the customer (P3.2.1, P3.2.5); docs/work.md. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('work_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('assignee_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('department', 'text')
    .addColumn('due_on', t.date, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // `case|assignee|kind` while a generated task is open, null otherwise: one open duty per key.
    .addColumn('duty_key', 'text', (c) => c.unique())
    .addColumn('interaction_id', 'text')
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('staff.id'))
    .addColumn('completed_at', t.instant)
    .addColumn('completed_by', 'text', (c) => c.references('staff.id'))
    .addColumn('cancelled_at', t.instant)
    .addColumn('note_enc', 'text')
    .addColumn('completion_note_enc', 'text')
    .execute();
  await db.schema.createIndex('work_tasks_assignee_idx').on('work_tasks').columns(['assignee_id', 'status', 'due_on']).execute();
  await db.schema.createIndex('work_tasks_case_idx').on('work_tasks').columns(['case_id', 'kind', 'status']).execute();

  await db.schema
    .createTable('work_interactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('occurred_at', t.instant, (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('notes_enc', 'text')
    .addColumn('task_id', 'text')
    .addColumn('forwarded_task_id', 'text')
    .addColumn('recorded_at', t.instant, (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('staff.id'))
    .execute();
  await db.schema.createIndex('work_interactions_case_idx').on('work_interactions').columns(['case_id', 'occurred_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('work_interactions').ifExists().execute();
  await db.schema.dropTable('work_tasks').ifExists().execute();
}
