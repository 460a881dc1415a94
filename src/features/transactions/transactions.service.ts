import type { Executor } from '../../platform/db/database.js';
import type { TransactionTable } from '../../platform/db/tables/transactions.js';
import { type DailyCashflow, dailyCashflow, insertTransactions } from './transactions.repository.js';

export type { DailyCashflow };

/** Stores transactions idempotently by `txn_id`; answers how many were new. */
export async function storeTransactions(db: Executor, rows: readonly TransactionTable[]): Promise<number> {
  return (await insertTransactions(db, rows)).size;
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
