import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { EncryptedColumn } from '../db/encrypted-columns.js';

/**
 * An encrypted text a feature keeps about a case, and the column that finds its rows: `case_id`,
 * or `id`/`lead_id` for the texts of the leads that became the case. Each feature lists its own
 * (retention clears them with the case: features/cases/retention.service.ts).
 */
export type LinkedText = Pick<EncryptedColumn, 'table' | 'column'> & { nullable: boolean; by: 'case_id' | 'id' | 'lead_id' | 'request_id' };

/** The ids of the rows of one text that still hold a value, among the rows whose `by` column is one of `keys`. */
export async function rowsWithText(db: Executor, text: LinkedText, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  // The table and column names come from the features' constant lists, never from input.
  const rows = await sql<{
    id: string;
  }>`SELECT id FROM ${sql.table(text.table)} WHERE ${sql.ref(text.column)} IS NOT NULL AND ${sql.ref(text.by)} IN (${sql.join(keys)})`.execute(
    db,
  );
  return rows.rows.map((r) => r.id);
}

/** Sets one row's text: null where the column allows it, else the ciphertext of an empty text. */
export async function clearText(db: Executor, text: LinkedText, rowId: string, value: string | null): Promise<void> {
  await sql`UPDATE ${sql.table(text.table)} SET ${sql.ref(text.column)} = ${value} WHERE id = ${rowId}`.execute(db);
}
