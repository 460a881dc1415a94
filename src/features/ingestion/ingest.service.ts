import { AnalysisEngine } from '../../domain/analysis/engine.js';
import type { CompiledRuleSet } from '../../domain/analysis/rules.js';
import { AnalysisState } from '../../domain/analysis/state.js';
import { type RowError, type Transaction, transactionInput } from '../../domain/analysis/transaction.js';
import { type AuditActor, recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit.service.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { TransactionTable } from '../../platform/db/tables/transactions.js';
import type { TransactionBatchTable } from '../../platform/db/tables/ingestion.js';
import type { AppContext } from '../../platform/http/context.js';
import { actOnFindings } from '../alerts/findings.service.js';
import type { BatchFormat, RowParser } from '../analysis/formats.service.js';
import { monitoringFor } from '../analysis/monitoring.service.js';
import { loadEngineStates, saveEngineStates } from '../analysis/state.service.js';
import { activeRuleSet } from '../rules/rules.service.js';
import { addToBatch, finishBatch, insertBatch, insertBatchErrors, KEPT_ERRORS, markStaleBatches } from './batches.repository.js';
import { storeNewTransactions } from '../transactions/transactions.service.js';

/** What one chunk of transactions did. */
export interface ChunkOutcome {
  inserted: number;
  duplicates: number;
  leads: number;
  alerts: number;
}

function row(t: Transaction, at: string): TransactionTable {
  return {
    txn_id: t.txnId,
    account_id: t.accountId,
    customer_number: t.customerNumber,
    // Normalised to UTC ISO text, so that text order is time order on SQLite too.
    booked_at: new Date(t.atMs).toISOString(),
    amount_minor: t.amountMinor,
    currency: t.currency,
    direction: t.direction,
    channel: t.channel,
    counterparty_name: t.counterpartyName || null,
    counterparty_account: t.counterpartyAccount || null,
    mcc: t.mcc || null,
    description: t.description || null,
    ingested_at: at,
  };
}

/**
 * Stores transactions and analyses the new ones, in the caller's transaction: a transaction
 * already stored (same `txn_id`) is a duplicate and is not analysed again, so replays and
 * restarts never count a transaction twice. The touched customers' engine state is loaded,
 * advanced and written back; the findings become leads and alerts (alerts/findings.service.ts).
 */
export async function ingestTransactions(
  ctx: AppContext,
  db: Executor,
  txns: readonly Transaction[],
  opts: { rules: CompiledRuleSet; batchId: string | null },
): Promise<ChunkOutcome> {
  if (txns.length === 0) return { inserted: 0, duplicates: 0, leads: 0, alerts: 0 };
  const at = ctx.now().toISOString();
  // The same id twice within one input: the first one counts, as if they came in two batches.
  const unique = new Map<string, Transaction>();
  for (const t of txns) if (!unique.has(t.txnId)) unique.set(t.txnId, t);
  const fresh = await storeNewTransactions(
    db,
    [...unique.values()].map((t) => row(t, at)),
  );
  const added = [...unique.values()].filter((t) => fresh.has(t.txnId));
  if (added.length === 0) return { inserted: 0, duplicates: txns.length, leads: 0, alerts: 0 };

  // The engine judges each customer's transactions in booking order against the state before them.
  added.sort((a, b) => a.atMs - b.atMs || (a.txnId < b.txnId ? -1 : a.txnId > b.txnId ? 1 : 0));
  const customers = [...new Set(added.map((t) => t.customerNumber))];
  const state = new AnalysisState(customers.length + 16);
  for (const [customerNumber, record] of await loadEngineStates(db, customers)) state.importRecord(customerNumber, record);
  // Stronger monitoring set by risk officers (P7.2.2) applies from the next chunk after it was set.
  const engine = new AnalysisEngine(opts.rules, state, await monitoringFor(db, customers));
  for (const t of added) engine.observe(transactionInput(t));
  const { findings } = engine.finish();
  await saveEngineStates(db, state.exportAll(), at);

  const byId = new Map(added.map((t) => [t.txnId, t]));
  const acted = findings.length > 0 ? await actOnFindings(ctx, db, findings, byId, opts.rules, opts.batchId) : { leads: 0, alerts: 0 };
  return { inserted: added.length, duplicates: txns.length - added.length, ...acted };
}

/** Where a batch comes from, for its record. */
export interface BatchOrigin {
  source: TransactionBatchTable['source'];
  name: string;
  format: BatchFormat;
  createdBy?: string | null;
  clientId?: string | null;
  bytesTotal?: number | null;
  /** Who the batch's audit event names (the system for files and streams). */
  auditActor?: AuditActor;
}

/** Progress of a batch as it goes. */
export interface BatchProgress {
  batchId: string;
  bytesRead: number;
  bytesTotal: number | null;
  /** Every row read, good or bad: inserted + duplicates + badRows. */
  rows: number;
  inserted: number;
  duplicates: number;
  badRows: number;
  leads: number;
  alerts: number;
}

/** Options of ingestStream. */
export interface IngestStreamOptions {
  /** Rows per database transaction; chunks end at fixed row counts, so a restart redoes exactly the unfinished one. */
  chunkRows?: number;
  onProgress?: (p: BatchProgress) => void;
  /** Known id of the batch record (the HTTP route creates it first, to answer its id at once). */
  batchId?: string;
}

const DEFAULT_CHUNK_ROWS = 2000;

/** Counts the bytes that pass, for progress. */
async function* counted(source: AsyncIterable<Uint8Array>, seen: { bytes: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    seen.bytes += chunk.length;
    yield chunk;
  }
}

/** Stores a chunk's transactions in a transaction; a test may put a failing one in its place. */
export type ChunkIngester = (
  db: Executor,
  txns: readonly Transaction[],
  opts: { rules: CompiledRuleSet; batchId: string },
) => Promise<ChunkOutcome>;

/**
 * Stores one chunk of a batch in the caller's transaction: its transactions, its bad rows (the
 * first KEPT_ERRORS of a batch are kept, all are counted) and the batch's running figures, so that
 * figures and rows always agree.
 */
export async function storeChunk(
  ctx: AppContext,
  trx: Executor,
  p: BatchProgress,
  chunk: { txns: readonly Transaction[]; bad: readonly RowError[]; bytesRead: number },
  rules: CompiledRuleSet,
  ingest: ChunkIngester = (db, txns, o) => ingestTransactions(ctx, db, txns, o),
): Promise<ChunkOutcome> {
  const out = await ingest(trx, chunk.txns, { rules, batchId: p.batchId });
  const keep = Math.max(0, Math.min(chunk.bad.length, KEPT_ERRORS - p.badRows));
  await insertBatchErrors(
    trx,
    chunk.bad.slice(0, keep).map((e) => ({ batch_id: p.batchId, line: e.line, reason: e.reason.slice(0, 500) })),
  );
  await addToBatch(
    trx,
    p.batchId,
    { bytesRead: chunk.bytesRead, rows: chunk.txns.length + chunk.bad.length, badRows: chunk.bad.length, ...out },
    ctx.now().toISOString(),
  );
  return out;
}

/** Adds a committed chunk to its batch's progress: every row read counts, so rows = inserted + duplicates + badRows. */
export function countChunk(p: BatchProgress, goodRows: number, badRows: number, out: ChunkOutcome): void {
  p.rows += goodRows + badRows;
  p.badRows += badRows;
  p.inserted += out.inserted;
  p.duplicates += out.duplicates;
  p.leads += out.leads;
  p.alerts += out.alerts;
}

/** Creates the record of a batch about to run. */
export async function openBatch(ctx: AppContext, origin: BatchOrigin): Promise<string> {
  const now = ctx.now();
  const at = now.toISOString();
  const id = newId(now.getTime());
  // A batch whose record has not moved for LIFELINE_BATCH_STALE_SECONDS belongs to a process that died.
  await markStaleBatches(ctx.db, new Date(now.getTime() - ctx.config.batches.staleMs).toISOString(), at);
  await insertBatch(ctx.db, {
    id,
    source: origin.source,
    name: origin.name.slice(0, 200),
    format: origin.format,
    status: 'running',
    bytes_total: origin.bytesTotal ?? null,
    bytes_read: 0,
    rows: 0,
    inserted: 0,
    duplicates: 0,
    bad_rows: 0,
    leads: 0,
    alerts: 0,
    created_by: origin.createdBy ?? null,
    client_id: origin.clientId ?? null,
    error: null,
    created_at: at,
    updated_at: at,
    finished_at: null,
  });
  return id;
}

/** Ends a batch as done or failed, with its audit event, in one transaction. */
export async function endBatch(
  ctx: AppContext,
  origin: BatchOrigin,
  p: BatchProgress,
  status: 'done' | 'failed',
  error: string | null,
): Promise<void> {
  const at = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await finishBatch(
      trx,
      p.batchId,
      { status, error, bytesRead: p.bytesRead, ...(status === 'done' ? { bytesTotal: p.bytesRead } : {}) },
      at.toISOString(),
    );
    const { batchId: _id, bytesTotal: _total, ...figures } = p;
    await recordAudit(
      trx,
      origin.auditActor ?? SYSTEM_ACTOR,
      {
        action: 'transactions.batch_ingested',
        target: { type: 'transaction_batch', id: p.batchId },
        outcome: status === 'done' ? 'success' : 'failure',
        detail: { source: origin.source, format: origin.format, ...figures },
      },
      at,
    );
  });
}

/**
 * Ingests a whole input as one batch, in constant memory: rows are parsed as the bytes arrive
 * and committed a chunk at a time, each chunk with its batch figures and bad rows in the same
 * transaction. A failure of the input (a broken upload) ends the batch as failed, keeping what
 * was committed; ingesting the same input again completes it without duplicates.
 */
export async function ingestStream(
  ctx: AppContext,
  source: AsyncIterable<Uint8Array>,
  parse: RowParser,
  origin: BatchOrigin,
  opts: IngestStreamOptions = {},
): Promise<BatchProgress> {
  const batchId = opts.batchId ?? (await openBatch(ctx, origin));
  const chunkRows = opts.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const rules = await activeRuleSet(ctx.db);
  const seen = { bytes: 0 };
  const p: BatchProgress = {
    batchId,
    bytesRead: 0,
    bytesTotal: origin.bytesTotal ?? null,
    rows: 0,
    inserted: 0,
    duplicates: 0,
    badRows: 0,
    leads: 0,
    alerts: 0,
  };
  let txns: Transaction[] = [];
  let errors: RowError[] = [];
  const flush = async () => {
    const chunk = { txns, bad: errors, bytesRead: seen.bytes };
    txns = [];
    errors = [];
    const out = await ctx.db.transaction().execute((trx) => storeChunk(ctx, trx, p, chunk, rules));
    countChunk(p, chunk.txns.length, chunk.bad.length, out);
    p.bytesRead = seen.bytes;
    opts.onProgress?.({ ...p });
  };
  const end = (status: 'done' | 'failed', error: string | null) => endBatch(ctx, origin, { ...p, bytesRead: seen.bytes }, status, error);
  try {
    for await (const r of parse(counted(source, seen))) {
      if (r.ok) txns.push(r.txn);
      else errors.push(r.error);
      if (txns.length + errors.length >= chunkRows) await flush();
    }
    await flush();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await end('failed', message.slice(0, 500));
    throw err;
  }
  await end('done', null);
  return { ...p, bytesRead: seen.bytes, bytesTotal: seen.bytes };
}
