import { type Kysely, sql } from 'kysely';

/**
 * Issue 10: what staff read is rendered from data in their language, not from stored English or
 * bilingual text. Analysis leads keep their finding as data (`leads.analysis_enc`, encrypted like
 * the summary); the rows stored before are brought in line by correctStoredRows().
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('leads').addColumn('analysis_enc', 'text').execute();
  await correctStoredRows(db);
}

/**
 * Brings rows written before issue 10 in line with the new rules (idempotent):
 * - a batch's `rows` counts every row read, bad ones too: rows = inserted + duplicates + bad_rows
 *   (inserted + duplicates was always the count of the good rows);
 * - the contact task of an alert is of kind `alert_contact` without a title (the old title was
 *   bilingual text with the alert's id in it; the kind names the task in the reader's language).
 */
export async function correctStoredRows<T>(db: Kysely<T>): Promise<void> {
  const rows = sql.ref('rows');
  await sql`UPDATE transaction_batches SET ${rows} = inserted + duplicates + bad_rows
            WHERE ${rows} <> inserted + duplicates + bad_rows`.execute(db);
  await sql`UPDATE work_tasks SET kind = 'alert_contact', title = NULL
            WHERE kind = 'ad_hoc' AND created_by IS NULL
              AND id IN (SELECT contact_task_id FROM fund_alerts WHERE contact_task_id IS NOT NULL)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('leads').dropColumn('analysis_enc').execute();
}
