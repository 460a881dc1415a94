import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { isPostgres } from '../../platform/db/dialect.js';
import type { TransactionTable } from '../../platform/db/tables/transactions.js';

// 13 columns × 500 rows stays far below the bind-parameter limits of both databases.
const INSERT_CHUNK = 500;

/**
 * Inserts transactions, skipping any whose `txn_id` is already stored (ingestion is idempotent by
 * transaction id, DESIGN.md); answers the ids that were new.
 */
export async function insertTransactions(db: Executor, rows: readonly TransactionTable[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const result = await db
      .insertInto('transactions')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .onConflict((oc) => oc.column('txn_id').doNothing())
      .returning('txn_id')
      .execute();
    for (const r of result) inserted.add(r.txn_id);
  }
  return inserted;
}

/** A position in (customer, booking, id) order. */
export interface TransactionPosition {
  customerNumber: string;
  bookedAt: string;
  txnId: string;
}

/**
 * Stored transactions in (customer, booking) order, a page after a keyset position, optionally
 * only those booked in [from, to]: what rebuilding the state and a dry run replay.
 */
export async function pageTransactionsByCustomer(
  db: Executor,
  limit: number,
  after?: TransactionPosition,
  window?: { from: string; to: string },
): Promise<TransactionTable[]> {
  let q = db.selectFrom('transactions').selectAll();
  if (window) q = q.where('booked_at', '>=', window.from).where('booked_at', '<=', window.to);
  // A row-value comparison: both databases then seek in the (customer, booking) index instead of
  // scanning it from the start for every page.
  if (after)
    q = q.where((eb) =>
      eb(eb.refTuple('customer_number', 'booked_at', 'txn_id'), '>', eb.tuple(after.customerNumber, after.bookedAt, after.txnId)),
    );
  return q.orderBy('customer_number').orderBy('booked_at').orderBy('txn_id').limit(limit).execute();
}

/** Money in and out of one customer on one UTC day. */
export interface DailyCashflow {
  date: string;
  inflowMinor: number;
  outflowMinor: number;
}

/** Sums a customer's credits and debits per UTC day for `from <= booked_at < to`; days without any are absent. */
export async function dailyCashflow(db: Executor, customerNumber: string, from: string, to: string): Promise<DailyCashflow[]> {
  // booked_at is an ISO text on SQLite and a timestamptz on PostgreSQL: each has its own "date of".
  const day = isPostgres(db) ? sql<string>`to_char(booked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')` : sql<string>`substr(booked_at, 1, 10)`;
  const rows = await db
    .selectFrom('transactions')
    .select([
      day.as('day'),
      sql<number | string>`sum(case when direction = 'credit' then amount_minor else 0 end)`.as('inflow'),
      sql<number | string>`sum(case when direction = 'debit' then amount_minor else 0 end)`.as('outflow'),
    ])
    .where('customer_number', '=', customerNumber)
    .where('booked_at', '>=', from)
    .where('booked_at', '<', to)
    .groupBy(day)
    .orderBy(day)
    .execute();
  // PostgreSQL answers sum(bigint) as numeric, which pg hands over as text.
  return rows.map((r) => ({ date: r.day, inflowMinor: Number(r.inflow), outflowMinor: Number(r.outflow) }));
}

/** The sum of a customer's credits booked in `[from, to)` (instants), 0 without any. */
export async function creditsOfCustomer(db: Executor, customerNumber: string, from: string, to: string): Promise<number> {
  const row = await db
    .selectFrom('transactions')
    .select(sql<number | string | null>`sum(amount_minor)`.as('total'))
    .where('customer_number', '=', customerNumber)
    .where('direction', '=', 'credit')
    .where('booked_at', '>=', from)
    .where('booked_at', '<', to)
    .executeTakeFirst();
  // PostgreSQL answers sum(bigint) as numeric, which pg hands over as text; no rows sum to null.
  return Number(row?.total ?? 0);
}

/** One stored transaction (the flagged one of an alert). */
export async function findTransaction(db: Executor, txnId: string) {
  return db.selectFrom('transactions').selectAll().where('txn_id', '=', txnId).executeTakeFirst();
}

/** A customer's debits in `[from, to]`, oldest first (the evidence chart of an alert); at most `limit`. */
export async function outflowsOfCustomer(db: Executor, customerNumber: string, from: string, to: string, limit: number) {
  return db
    .selectFrom('transactions')
    .select(['txn_id', 'account_id', 'booked_at', 'amount_minor', 'currency', 'channel', 'counterparty_name', 'mcc'])
    .where('customer_number', '=', customerNumber)
    .where('direction', '=', 'debit')
    .where('booked_at', '>=', from)
    .where('booked_at', '<=', to)
    .orderBy('booked_at')
    .orderBy('txn_id')
    .limit(limit)
    .execute();
}
