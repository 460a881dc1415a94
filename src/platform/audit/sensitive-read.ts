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

/** What one audited read is about: the record a person opened, and why. */
export interface SensitiveReadScope {
  /** The record the reader opened (a case, a lead…): the audit event's target. */
  target: { type: string; id: string };
  branchId?: string | null;
  purpose: string;
  reason?: string;
}

/** Decrypts the fields of one row inside a scope; `label` names the row in the event (e.g. a version number). */
export type ScopedRead = <K extends string>(
  table: string,
  rowId: string,
  fields: Record<K, string | null>,
  label?: string | number,
) => Record<K, string | null>;

interface TableReads {
  fields: Set<string>;
  rows: number;
  labels: (string | number)[];
}

/**
 * Runs `body`, which decrypts the sensitive fields of any number of rows through `read`, and then
 * records ONE audit event for all of them: the target, and per table the fields, the number of rows
 * and their labels (never a value). One person opening one record is one event, however many
 * versions, consents or notes the record has. Nothing decrypted, nothing recorded.
 */
export async function withSensitiveReads<T>(
  db: Executor,
  cipher: FieldCipher,
  actor: AuditActor,
  scope: SensitiveReadScope,
  body: (read: ScopedRead) => Promise<T> | T,
): Promise<T> {
  const tables = new Map<string, TableReads>();
  const read: ScopedRead = (table, rowId, fields, label) => {
    const out = {} as Record<keyof typeof fields, string | null>; // filled for every key just below
    let any = false;
    for (const [column, ciphertext] of Object.entries(fields) as [keyof typeof fields & string, string | null][]) {
      out[column] = ciphertext === null ? null : cipher.decrypt(ciphertext, { table, column, rowId });
      if (ciphertext === null) continue;
      any = true;
      const t = tables.get(table) ?? { fields: new Set<string>(), rows: 0, labels: [] };
      t.fields.add(column);
      tables.set(table, t);
    }
    if (any) {
      const t = tables.get(table);
      if (t) {
        t.rows += 1;
        if (label !== undefined) t.labels.push(label);
      }
    }
    return out;
  };
  const result = await body(read);
  if (tables.size > 0) {
    await recordAudit(db, actor, {
      action: 'sensitive.read',
      target: scope.target,
      branchId: scope.branchId ?? null,
      detail: {
        purpose: scope.purpose,
        ...(scope.reason ? { reason: scope.reason } : {}),
        reads: [...tables].map(([table, t]) => ({
          table,
          fields: [...t.fields].sort(),
          rows: t.rows,
          ...(t.labels.length > 0 ? { labels: t.labels } : {}),
        })),
      },
    });
  }
  return result;
}
