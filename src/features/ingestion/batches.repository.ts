import type { Executor } from '../../platform/db/database.js';
import type { TransactionBatchErrorTable, TransactionBatchTable } from '../../platform/db/tables/ingestion.js';

/** Bad rows kept per batch; the count goes on beyond it. */
export const KEPT_ERRORS = 1000;

/** Records a new batch. */
export async function insertBatch(db: Executor, row: TransactionBatchTable): Promise<void> {
  await db.insertInto('transaction_batches').values(row).execute();
}

/** The running figures a chunk adds to its batch. */
export interface BatchIncrement {
  bytesRead: number;
  /** Every row read, good or bad. */
  rows: number;
  inserted: number;
  duplicates: number;
  badRows: number;
  leads: number;
  alerts: number;
}

/** Adds a chunk's figures to its batch (in the chunk's transaction, so figures and rows agree). */
export async function addToBatch(db: Executor, id: string, inc: BatchIncrement, at: string): Promise<void> {
  await db
    .updateTable('transaction_batches')
    .set((eb) => ({
      bytes_read: inc.bytesRead,
      rows: eb('rows', '+', inc.rows),
      inserted: eb('inserted', '+', inc.inserted),
      duplicates: eb('duplicates', '+', inc.duplicates),
      bad_rows: eb('bad_rows', '+', inc.badRows),
      leads: eb('leads', '+', inc.leads),
      alerts: eb('alerts', '+', inc.alerts),
      updated_at: at,
    }))
    .where('id', '=', id)
    .execute();
}

/** Keeps bad rows of a batch, up to KEPT_ERRORS of them. */
export async function insertBatchErrors(db: Executor, rows: readonly TransactionBatchErrorTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('transaction_batch_errors')
    .values([...rows])
    .onConflict((oc) => oc.columns(['batch_id', 'line']).doNothing())
    .execute();
}

/** Ends a batch as done or failed. */
export async function finishBatch(
  db: Executor,
  id: string,
  end: { status: 'done' | 'failed'; error: string | null; bytesRead: number; bytesTotal?: number },
  at: string,
): Promise<void> {
  await db
    .updateTable('transaction_batches')
    .set({
      status: end.status,
      error: end.error,
      bytes_read: end.bytesRead,
      ...(end.bytesTotal !== undefined ? { bytes_total: end.bytesTotal } : {}),
      updated_at: at,
      finished_at: at,
    })
    .where('id', '=', id)
    .execute();
}

/** Marks batches that stopped moving (their process died) as interrupted; answers how many. */
export async function markStaleBatches(db: Executor, updatedBefore: string, at: string): Promise<number> {
  const result = await db
    .updateTable('transaction_batches')
    .set({ status: 'interrupted', updated_at: at })
    .where('status', '=', 'running')
    .where('updated_at', '<', updatedBefore)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** One batch. */
export async function findBatch(db: Executor, id: string): Promise<TransactionBatchTable | undefined> {
  return db.selectFrom('transaction_batches').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Batches, newest first, after a keyset cursor. */
export async function listBatches(
  db: Executor,
  q: { limit: number; before?: { createdAt: string; id: string }; status?: TransactionBatchTable['status'] },
): Promise<TransactionBatchTable[]> {
  let query = db.selectFrom('transaction_batches').selectAll();
  if (q.status) query = query.where('status', '=', q.status);
  if (q.before) {
    const b = q.before;
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', b.createdAt), eb.and([eb('created_at', '=', b.createdAt), eb('id', '<', b.id)])]),
    );
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
}

/** A batch's kept bad rows, by line. */
export async function listBatchErrors(
  db: Executor,
  batchId: string,
  q: { limit: number; afterLine?: number },
): Promise<TransactionBatchErrorTable[]> {
  let query = db.selectFrom('transaction_batch_errors').selectAll().where('batch_id', '=', batchId);
  if (q.afterLine !== undefined) query = query.where('line', '>', q.afterLine);
  return query.orderBy('line').limit(q.limit).execute();
}
