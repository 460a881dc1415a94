import { z } from 'zod';
import { classifyRowError } from '../../domain/analysis/row-errors.js';
import type { Executor } from '../../platform/db/database.js';
import type { TransactionBatchTable } from '../../platform/db/tables/ingestion.js';
import { AppError } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import { KEPT_ERRORS, findBatch, listBatchErrors, listBatches } from './batches.repository.js';

/** A batch as the API shows it. */
export function batchView(b: TransactionBatchTable) {
  return {
    id: b.id,
    source: b.source,
    name: b.name,
    format: b.format,
    status: b.status,
    bytesTotal: b.bytes_total,
    bytesRead: b.bytes_read,
    percent: b.bytes_total ? Math.min(100, Math.round((b.bytes_read / b.bytes_total) * 1000) / 10) : b.status === 'done' ? 100 : null,
    rows: b.rows,
    inserted: b.inserted,
    duplicates: b.duplicates,
    badRows: b.bad_rows,
    leads: b.leads,
    alerts: b.alerts,
    createdBy: b.created_by,
    clientId: b.client_id,
    error: b.error,
    createdAt: b.created_at,
    updatedAt: b.updated_at,
    finishedAt: b.finished_at,
  };
}

/** One batch, or 404. */
export async function batchDetail(db: Executor, id: string) {
  const b = await findBatch(db, id);
  if (!b) throw new AppError('NOT_FOUND', 'no such batch');
  return batchView(b);
}

const BatchCursor = z.object({ c: z.string().max(40), id: z.string().max(64) });

/** Batches, newest first. */
export async function pageBatches(db: Executor, q: { limit: number; cursor?: string; status?: TransactionBatchTable['status'] }) {
  const before = decodeCursor(q.cursor, BatchCursor);
  const rows = await listBatches(db, {
    limit: q.limit + 1,
    ...(before ? { before: { createdAt: before.c, id: before.id } } : {}),
    ...(q.status ? { status: q.status } : {}),
  });
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return {
    items: items.map(batchView),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ c: last.created_at, id: last.id }) : null,
  };
}

const LineCursor = z.object({ l: z.number().int().min(0) });

/** A batch's kept bad rows, by line. */
export async function pageBatchErrors(db: Executor, id: string, q: { limit: number; cursor?: string }) {
  await batchDetail(db, id);
  const after = decodeCursor(q.cursor, LineCursor);
  const rows = await listBatchErrors(db, id, { limit: q.limit + 1, ...(after ? { afterLine: after.l } : {}) });
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return {
    items: items.map((r) => ({ line: r.line, reason: r.reason, ...classifyRowError(r.reason) })),
    kept: KEPT_ERRORS,
    nextCursor: rows.length > q.limit && last ? encodeCursor({ l: last.line }) : null,
  };
}
