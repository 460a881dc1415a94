import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Issue 12, P7.1.2: what the daily loan watch has raised, so that re-running it or re-importing
 * the same loans never raises a second task for the same thing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('loan_watch_marks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('loan_id', 'text', (c) => c.notNull().references('loans.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('instalment_due_on', t.date)
    // `loan|prepare|<instalment date>` for good; `loan|past_due` while the arrears last (null after): unique.
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('raised_at', t.instant, (c) => c.notNull())
    .addColumn('cleared_at', t.instant)
    .execute();
  await db.schema.createIndex('loan_watch_marks_loan_idx').on('loan_watch_marks').columns(['loan_id', 'kind']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('loan_watch_marks').execute();
}
