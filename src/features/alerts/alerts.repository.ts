import type { LinkedText } from '../../platform/crypto/text-purge.js';
import { sql, type Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { FundAlertTable } from '../../platform/db/tables/alerts.js';

/** Inserts an alert unless one for the same flagged transaction exists; true when it was new. */
export async function insertAlert(db: Executor, row: FundAlertTable): Promise<boolean> {
  const inserted = await db
    .insertInto('fund_alerts')
    .values(row)
    .onConflict((oc) => oc.column('dedup_key').doNothing())
    .returning('id')
    .execute();
  return inserted.length > 0;
}

/** Sets the contact task of a just-raised alert. */
export async function setContactTask(db: Executor, id: string, taskId: string): Promise<void> {
  await db.updateTable('fund_alerts').set({ contact_task_id: taskId }).where('id', '=', id).execute();
}

/** One alert. */
export async function findAlert(db: Executor, id: string): Promise<FundAlertTable | undefined> {
  return db.selectFrom('fund_alerts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The inbox order: open first, then contacted, verified, resolved; oldest first within a status. */
const statusRank = sql<number>`case fund_alerts.status when 'open' then 0 when 'contacted' then 1 when 'verified' then 2 else 3 end`;

/** Where a page of the inbox ends. */
export interface AlertPosition {
  rank: number;
  raisedAt: string;
  id: string;
}

/** A page of alerts in inbox order after a position, optionally of one branch and one status. */
export async function pageAlerts(
  db: Executor,
  q: { branchId?: string; status?: FundAlertTable['status']; caseId?: string; after?: AlertPosition; limit: number },
): Promise<(FundAlertTable & { rank: number })[]> {
  let query = db.selectFrom('fund_alerts').selectAll('fund_alerts').select(statusRank.as('rank'));
  if (q.branchId !== undefined) query = query.where('fund_alerts.branch_id', '=', q.branchId);
  if (q.status !== undefined) query = query.where('fund_alerts.status', '=', q.status);
  if (q.caseId !== undefined) query = query.where('fund_alerts.case_id', '=', q.caseId);
  const after = q.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb(statusRank, '>', after.rank),
        eb.and([eb(statusRank, '=', after.rank), eb('fund_alerts.raised_at', '>', after.raisedAt)]),
        eb.and([eb(statusRank, '=', after.rank), eb('fund_alerts.raised_at', '=', after.raisedAt), eb('fund_alerts.id', '>', after.id)]),
      ]),
    );
  }
  const rows = await query.orderBy(statusRank).orderBy('fund_alerts.raised_at').orderBy('fund_alerts.id').limit(q.limit).execute();
  // PostgreSQL hands integers of a CASE back as numbers, SQLite too; Number() keeps both honest.
  return rows.map((r) => ({ ...r, rank: Number(r.rank) }));
}

/** Updates an alert if it still has `expectedVersion`, raising the version; false when it changed meanwhile. */
export async function updateAlert(
  db: Executor,
  id: string,
  expectedVersion: number,
  changes: Omit<Updateable<FundAlertTable>, 'id' | 'version'>,
): Promise<boolean> {
  const result = await db
    .updateTable('fund_alerts')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The timings of the alerts raised in `[from, to)`, of one branch or all, for the metrics. */
export async function alertTimings(db: Executor, q: { branchId?: string; from: string; to: string }) {
  let query = db
    .selectFrom('fund_alerts')
    .select(['status', 'resolution', 'raised_at', 'contacted_at', 'resolved_at'])
    .where('raised_at', '>=', q.from)
    .where('raised_at', '<', q.to);
  if (q.branchId !== undefined) query = query.where('branch_id', '=', q.branchId);
  return query.execute();
}

/** The encrypted notes of a case's fund-safety alerts (retention clears them with it). */
export const ALERT_CASE_TEXTS = [
  { table: 'fund_alerts', column: 'contact_note_enc', nullable: true, by: 'case_id' },
  { table: 'fund_alerts', column: 'verify_note_enc', nullable: true, by: 'case_id' },
  { table: 'fund_alerts', column: 'resolution_note_enc', nullable: true, by: 'case_id' },
] as const satisfies readonly LinkedText[];
