import type { Executor } from '../db/database.js';
import type { FieldCipher } from './field-cipher.js';
import { type LinkedText, clearText, rowsWithText } from './text-purge.repository.js';

export type { LinkedText };

/**
 * Clears texts kept about a case in the rows whose `by` column is one of `keys`: null where the
 * column allows it, else the ciphertext of an empty text, so every reader still decrypts; answers
 * how many values it cleared.
 */
export async function clearLinkedTexts(
  cipher: FieldCipher,
  db: Executor,
  texts: readonly LinkedText[],
  keys: readonly string[],
): Promise<number> {
  let cleared = 0;
  for (const text of texts) {
    for (const rowId of await rowsWithText(db, text, keys)) {
      const empty = text.nullable ? null : cipher.encrypt('', { table: text.table, column: text.column, rowId });
      await clearText(db, text, rowId, empty);
      cleared += 1;
    }
  }
  return cleared;
}
