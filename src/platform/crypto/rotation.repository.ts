import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { EncryptedColumn } from '../db/encrypted-columns.js';

/** One stored ciphertext and the id of its row. */
export interface StoredCiphertext {
  id: string;
  value: string;
}

// The column names come from ENCRYPTED_COLUMNS, never from input; sql.ref/sql.table quote them.
const table = (c: EncryptedColumn) => sql.table(c.table);
const id = (c: EncryptedColumn) => sql.ref(c.idColumn);
const col = (c: EncryptedColumn) => sql.ref(c.column);

/** How many rows of the column hold a value; with `prefix`, only values starting with it. */
export async function countCiphertexts(db: Executor, c: EncryptedColumn, prefix?: string): Promise<number> {
  const match = prefix === undefined ? sql`` : sql` AND ${col(c)} LIKE ${`${prefix}%`}`;
  const { rows } = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${table(c)} WHERE ${col(c)} IS NOT NULL${match}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** How many values of the column are not under the key whose ciphertexts start with `prefix`. */
export async function countStaleCiphertexts(db: Executor, c: EncryptedColumn, prefix: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${table(c)}
    WHERE ${col(c)} IS NOT NULL AND ${col(c)} NOT LIKE ${`${prefix}%`}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** The next values, in row-id order after `afterId`, that do not start with `prefix`. */
export async function listStaleCiphertexts(
  db: Executor,
  c: EncryptedColumn,
  prefix: string,
  afterId: string | null,
  limit: number,
): Promise<StoredCiphertext[]> {
  const after = afterId === null ? sql`` : sql` AND ${id(c)} > ${afterId}`;
  const { rows } = await sql<StoredCiphertext>`SELECT ${id(c)} AS id, ${col(c)} AS value FROM ${table(c)}
    WHERE ${col(c)} IS NOT NULL AND ${col(c)} NOT LIKE ${`${prefix}%`}${after}
    ORDER BY ${id(c)} LIMIT ${limit}`.execute(db);
  return rows;
}

/**
 * Replaces one ciphertext only if the row still holds `expected` (optimistic): a value the server
 * wrote meanwhile is kept, not overwritten. True when the row was updated.
 */
export async function replaceCiphertext(db: Executor, c: EncryptedColumn, rowId: string, expected: string, next: string): Promise<boolean> {
  const result = await sql`UPDATE ${table(c)} SET ${col(c)} = ${next} WHERE ${id(c)} = ${rowId} AND ${col(c)} = ${expected}`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}
