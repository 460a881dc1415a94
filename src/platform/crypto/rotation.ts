import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../db/database.js';
import { ENCRYPTED_COLUMNS, type EncryptedColumn } from '../db/encrypted-columns.js';
import { DecryptionError, FieldCipher, ciphertextPrefix } from './field-cipher.js';
import { reconcileKeyMetadata } from './key-metadata.js';
import { type KeySource, addDataKeyVersion, loadKeys } from './keyring.js';
import { countCiphertexts, countStaleCiphertexts, listStaleCiphertexts, replaceCiphertext } from './rotation.repository.js';

/** How many values of one column are encrypted under each key version. */
export interface ColumnKeyStatus {
  table: string;
  column: string;
  total: number;
  byVersion: Record<string, number>;
  /** Values under a version the keys do not hold, or not ciphertext at all: they cannot be read. */
  unknown: number;
}

/** What `lifeline keys status` prints. */
export interface KeyStatus {
  activeVersion: number;
  indexKeyVersion: number;
  /** Values not yet under the active version: a rotation is under way while this is above 0. */
  pending: number;
  columns: ColumnKeyStatus[];
}

/** Counts, per encrypted column, the values under each key version the cipher knows. */
export async function keyStatus(db: Db, cipher: FieldCipher, columns: readonly EncryptedColumn[] = ENCRYPTED_COLUMNS): Promise<KeyStatus> {
  const active = cipher.activeVersion;
  const out: ColumnKeyStatus[] = [];
  let pending = 0;
  for (const c of columns) {
    const total = await countCiphertexts(db, c);
    const byVersion: Record<string, number> = {};
    for (const v of cipher.versions) byVersion[String(v)] = await countCiphertexts(db, c, ciphertextPrefix(v));
    const known = Object.values(byVersion).reduce((a, b) => a + b, 0);
    out.push({ table: c.table, column: c.column, total, byVersion, unknown: total - known });
    pending += total - (byVersion[String(active)] ?? 0);
  }
  return { activeVersion: active, indexKeyVersion: cipher.indexKeyVersion, pending, columns: out };
}

async function pendingValues(db: Db, activeVersion: number, columns: readonly EncryptedColumn[]): Promise<number> {
  let n = 0;
  for (const c of columns) n += await countStaleCiphertexts(db, c, ciphertextPrefix(activeVersion));
  return n;
}

/** Progress of one column in one pass: rows re-encrypted out of the rows found stale. */
export interface RotationProgress {
  table: string;
  column: string;
  done: number;
  total: number;
}

/** Options of a rotation run. */
export interface RotationOptions {
  /** Rows per transaction (default 500). */
  batchSize?: number;
  /** Stops after the current batch; everything committed so far stays done. */
  signal?: AbortSignal;
  /** Called after each committed batch; the run waits for a returned promise. */
  onProgress?: (p: RotationProgress) => void | Promise<void>;
  /**
   * How long after the key file changed running servers may still write under the old key
   * (FieldCipher looks at the file every 5 s); the run sweeps once more after it. Default 6 s.
   */
  settleMs?: number;
  columns?: readonly EncryptedColumn[];
}

/** The outcome of `lifeline keys rotate`. */
export interface RotationReport {
  version: number;
  /** False when an interrupted rotation was resumed rather than a new version added. */
  added: boolean;
  /** False when the run was stopped before every value was under the new version. */
  completed: boolean;
  columns: { table: string; column: string; reencrypted: number; failed: string[] }[];
}

type ColumnReport = RotationReport['columns'][number];

/** One pass over a column: re-encrypts the values not under the active key, a batch per transaction. */
async function reencryptColumn(
  db: Db,
  cipher: FieldCipher,
  c: EncryptedColumn,
  report: ColumnReport,
  opts: RotationOptions,
): Promise<{ changed: number; aborted: boolean }> {
  const batchSize = opts.batchSize ?? 500;
  const prefix = ciphertextPrefix(cipher.activeVersion);
  const total = await countStaleCiphertexts(db, c, prefix);
  let afterId: string | null = null;
  let done = 0;
  let changed = 0;
  while (total > 0) {
    if (opts.signal?.aborted) return { changed, aborted: true };
    const from = afterId;
    const batch = await db.transaction().execute(async (trx) => {
      const rows = await listStaleCiphertexts(trx, c, prefix, from, batchSize);
      let updated = 0;
      let conflicts = 0;
      for (const row of rows) {
        const ctx = { table: c.table, column: c.column, rowId: row.id };
        let plaintext: string;
        try {
          plaintext = cipher.decrypt(row.value, ctx);
        } catch (err) {
          if (!(err instanceof DecryptionError)) throw err;
          // Tampered or under a lost key: report the row id, never stop the others.
          if (!report.failed.includes(row.id)) report.failed.push(row.id);
          continue;
        }
        if (await replaceCiphertext(trx, c, row.id, row.value, cipher.encrypt(plaintext, ctx))) updated += 1;
        else conflicts += 1;
      }
      return { lastId: rows.at(-1)?.id ?? null, count: rows.length, updated, conflicts };
    });
    done += batch.updated;
    changed += batch.updated + batch.conflicts;
    report.reencrypted += batch.updated;
    if (batch.count > 0) await opts.onProgress?.({ table: c.table, column: c.column, done, total });
    if (batch.count < batchSize || batch.lastId === null) break;
    afterId = batch.lastId;
  }
  return { changed, aborted: false };
}

// A writer still on the old key after the settle time (a server given LIFELINE_KEYS and not
// restarted) would keep the sweep going for ever; stop instead, and let the report say so.
const MAX_PASSES = 10;

/**
 * Re-encrypts every encrypted column under the cipher's active key, resumably: each batch
 * commits on its own and rows already under the active key are skipped, so a run killed
 * half-way is finished by running it again. Passes repeat until one changes nothing and the
 * servers have had time to pick up the new key.
 */
async function reencryptAll(
  db: Db,
  cipher: FieldCipher,
  settleUntil: number,
  opts: RotationOptions & { columns: readonly EncryptedColumn[] },
): Promise<Pick<RotationReport, 'completed' | 'columns'>> {
  const work = opts.columns.map((c) => {
    const report: ColumnReport = { table: c.table, column: c.column, reencrypted: 0, failed: [] };
    return { c, report };
  });
  const reports = work.map((w) => w.report);
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    let changed = 0;
    for (const { c, report } of work) {
      const swept = await reencryptColumn(db, cipher, c, report, opts);
      if (swept.aborted) return { completed: false, columns: reports };
      changed += swept.changed;
    }
    if (changed > 0) continue;
    const wait = settleUntil - Date.now();
    if (wait <= 0) return { completed: true, columns: reports };
    try {
      await sleep(wait, undefined, { signal: opts.signal });
    } catch {
      return { completed: false, columns: reports };
    }
  }
  return { completed: false, columns: reports };
}

/**
 * `lifeline keys rotate`: adds a data key version to the key file, unless values are still
 * under an older version (an interrupted rotation, or a version added to LIFELINE_KEYS by hand),
 * records its fingerprint, then re-encrypts every encrypted column under it.
 */
export async function rotateKeys(db: Db, source: KeySource, opts: RotationOptions = {}): Promise<RotationReport> {
  const columns = opts.columns ?? ENCRYPTED_COLUMNS;
  const current = loadKeys(source, false).keys;
  const added = (await pendingValues(db, current.activeVersion, columns)) === 0;
  if (added) addDataKeyVersion(source);
  const keys = added ? loadKeys(source, false).keys : current;
  // Before any value is written under the new key, so that a wrong key file is caught at start.
  await reconcileKeyMetadata(db, keys);
  // Servers given LIFELINE_KEYS do not reload keys: they must be restarted with the new ones first.
  const changedAt = source.inline ? 0 : statSync(source.file).mtimeMs;
  const settleUntil = changedAt + (opts.settleMs ?? 6_000);
  const run = await reencryptAll(db, new FieldCipher(keys), settleUntil, { ...opts, columns });
  return { version: keys.activeVersion, added, ...run };
}
