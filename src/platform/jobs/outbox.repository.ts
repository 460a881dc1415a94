import type { Db, Dialect, Executor } from '../db/database.js';
import type { OutboxTable } from '../db/tables/platform.js';

/** Adds a row to the outbox, in the caller's transaction. */
export async function insertOutboxRow(db: Executor, row: OutboxTable): Promise<void> {
  await db.insertInto('outbox').values(row).execute();
}

/**
 * Claims up to `limit` due rows for one worker: pending rows whose time has come, and rows left
 * `sending` by a worker whose lease ran out (it crashed). The claim and the lease are one
 * transaction; PostgreSQL skips rows another worker has locked, SQLite serialises writers.
 */
export async function claimDueRows(db: Db, dialect: Dialect, now: string, leaseUntil: string, limit: number): Promise<OutboxTable[]> {
  return db.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom('outbox')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
          eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)]),
        ]),
      )
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit);
    if (dialect === 'postgres') query = query.forUpdate().skipLocked();
    const rows = await query.execute();
    const claimed: OutboxTable[] = [];
    for (const row of rows) {
      // The status guard keeps a row from being claimed twice even without row locks.
      const res = await trx
        .updateTable('outbox')
        .set({ status: 'sending', lease_until: leaseUntil, attempts: row.attempts + 1 })
        .where('id', '=', row.id)
        .where('status', '=', row.status)
        .where('attempts', '=', row.attempts)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1)
        claimed.push({ ...row, status: 'sending', lease_until: leaseUntil, attempts: row.attempts + 1 });
    }
    return claimed;
  });
}

/** Marks a claimed row sent; false when the lease was lost to another worker meanwhile. */
export async function markSent(db: Executor, id: string, attempts: number, now: string): Promise<boolean> {
  const res = await db
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: now, lease_until: null, last_error: null })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('attempts', '=', attempts)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Puts a claimed row back for a later attempt, or marks it failed for good. */
export async function markAttemptFailed(
  db: Executor,
  id: string,
  attempts: number,
  change: { status: 'pending' | 'failed'; nextAttemptAt: string; error: string },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: change.status, next_attempt_at: change.nextAttemptAt, lease_until: null, last_error: change.error })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('attempts', '=', attempts)
    .execute();
}

/** Counts of outbox rows by status, for operators and tests. */
export async function countByStatus(db: Executor): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('outbox')
    .select((eb) => ['status', eb.fn.countAll().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
