import { TRANSACTION_COLUMNS, type Transaction, toTransaction } from '../../domain/analysis/transaction.js';
import type { Executor } from '../../platform/db/database.js';
import type { TransactionTable } from '../../platform/db/tables/transactions.js';
import {
  type DailyCashflow,
  type TransactionPosition,
  creditsOfCustomer,
  dailyCashflow,
  findTransaction,
  insertTransactions,
  outflowsOfCustomer,
  pageTransactionsByCustomer,
} from './transactions.repository.js';

export type { DailyCashflow, TransactionPosition };

/** Stores transactions idempotently by `txn_id`; answers how many were new. */
export async function storeTransactions(db: Executor, rows: readonly TransactionTable[]): Promise<number> {
  return (await insertTransactions(db, rows)).size;
}

/** Stores transactions idempotently by `txn_id`; answers the ids that were new (ingestion analyses only those). */
export async function storeNewTransactions(db: Executor, rows: readonly TransactionTable[]): Promise<Set<string>> {
  return insertTransactions(db, rows);
}

/**
 * Stored transactions in (customer, booking) order, a page after a keyset position, optionally
 * only those booked in [from, to]: what rebuilding the engine state and a rule set's dry run replay.
 */
export async function pageStoredTransactions(
  db: Executor,
  limit: number,
  after?: TransactionPosition,
  window?: { from: string; to: string },
): Promise<TransactionTable[]> {
  return pageTransactionsByCustomer(db, limit, after, window);
}

/** One stored transaction, if it is stored. */
export async function storedTransactionById(db: Executor, txnId: string): Promise<TransactionTable | undefined> {
  return findTransaction(db, txnId);
}

/** A customer's debits booked in `[from, to]`, oldest first, at most `limit` (an alert's evidence chart). */
export async function customerOutflows(db: Executor, customerNumber: string, from: string, to: string, limit: number) {
  return outflowsOfCustomer(db, customerNumber, from, to, limit);
}

/**
 * A customer's money in (credits) over each of the given spans of instants (`from` inclusive, `to`
 * exclusive), in their order: the loan watch's measure of what the customer can repay from (P7.1).
 */
export async function customerInflows(
  db: Executor,
  customerNumber: string,
  spans: readonly { from: string; to: string }[],
): Promise<number[]> {
  const out: number[] = [];
  for (const span of spans) out.push(await creditsOfCustomer(db, customerNumber, span.from, span.to));
  return out;
}

/**
 * A stored transaction back as the engine's record, through the same validator as the files, so
 * a replay judges exactly what ingestion judged. Answers the reason when a stored row is no longer
 * valid (the validator has become stricter since it was stored).
 */
export function storedTransaction(r: TransactionTable): Transaction | string {
  const v: Record<(typeof TRANSACTION_COLUMNS)[number], string> = {
    txn_id: r.txn_id,
    account_id: r.account_id,
    customer_number: r.customer_number,
    booked_at: r.booked_at,
    amount_minor: String(r.amount_minor),
    currency: r.currency,
    direction: r.direction,
    channel: r.channel,
    counterparty_name: r.counterparty_name ?? '',
    counterparty_account: r.counterparty_account ?? '',
    mcc: r.mcc ?? '',
    description: r.description ?? '',
  };
  return toTransaction(TRANSACTION_COLUMNS.map((c) => v[c]));
}

const DAY_MS = 86_400_000;

/**
 * A customer's money in and out per UTC day over the `days` days up to and including `today`,
 * one entry per day (zero on days without transactions), oldest first.
 */
export async function cashflowByDay(db: Executor, customerNumber: string, today: Date, days: number): Promise<DailyCashflow[]> {
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) + DAY_MS;
  const start = end - days * DAY_MS;
  const rows = await dailyCashflow(db, customerNumber, new Date(start).toISOString(), new Date(end).toISOString());
  const byDate = new Map(rows.map((r) => [r.date, r]));
  return Array.from({ length: days }, (_, i) => {
    const date = new Date(start + i * DAY_MS).toISOString().slice(0, 10);
    return byDate.get(date) ?? { date, inflowMinor: 0, outflowMinor: 0 };
  });
}
