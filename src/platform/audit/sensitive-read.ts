import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Executor } from '../db/database.js';
import { type AuditActor, recordAudit } from './audit.service.js';

/** The encrypted fields of one row to read, by column name. */
export interface SensitiveReadRequest<K extends string> {
  table: string;
  rowId: string;
  branchId?: string | null;
  /** Column name → ciphertext (null when the row has no value). */
  fields: Record<K, string | null>;
  /** Why the reader needs the values; required of inspectors and break-glass readers. */
  reason?: string;
  /** What the values are for, e.g. `masked` for the customer page, `reveal` for the full value. */
  purpose: string;
}

/**
 * Decrypts fields of one row and records the read in the audit trail (the field names, never
 * the values) in the caller's transaction: the only way code should read a sensitive value.
 */
export async function readSensitive<K extends string>(
  db: Executor,
  cipher: FieldCipher,
  actor: AuditActor,
  req: SensitiveReadRequest<K>,
): Promise<Record<K, string | null>> {
  const out = {} as Record<K, string | null>; // filled for every key just below
  const read: string[] = [];
  for (const [column, ciphertext] of Object.entries(req.fields) as [K, string | null][]) {
    out[column] = ciphertext === null ? null : cipher.decrypt(ciphertext, { table: req.table, column, rowId: req.rowId });
    if (ciphertext !== null) read.push(column);
  }
  if (read.length > 0) {
    await recordAudit(db, actor, {
      action: 'sensitive.read',
      target: { type: req.table, id: req.rowId },
      branchId: req.branchId ?? null,
      detail: { fields: read, purpose: req.purpose, ...(req.reason ? { reason: req.reason } : {}) },
    });
  }
  return out;
}
