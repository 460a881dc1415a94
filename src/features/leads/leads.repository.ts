import type { LinkedText } from '../../platform/crypto/text-purge.js';
import { type ExpressionBuilder, sql, type Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import type { LeadCheckTable, LeadEventTable, LeadTable } from '../../platform/db/tables/leads.js';

function leadQuery(db: Executor) {
  return db.selectFrom('leads').selectAll('leads');
}

/** One lead. */
export async function findLead(db: Executor, id: string): Promise<LeadTable | undefined> {
  return leadQuery(db).where('leads.id', '=', id).executeTakeFirst();
}

/** The lead a partner's referral made, if any. */
export async function findLeadIdByReferral(db: Executor, partnerId: string, referralId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('leads')
    .select('id')
    .where('partner_id', '=', partnerId)
    .where('referral_id', '=', referralId)
    .executeTakeFirst();
  return row?.id;
}

/** The oldest lead of the customer in one of the statuses, other than `exceptId`. */
export async function findLeadOfCustomer(
  db: Executor,
  customerId: string,
  statuses: readonly LeadTable['status'][],
  exceptId?: string,
): Promise<{ id: string; branch_id: string } | undefined> {
  let query = db
    .selectFrom('leads')
    .select(['id', 'branch_id'])
    .where('customer_id', '=', customerId)
    .where('status', 'in', [...statuses]);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  return query.orderBy('created_at').orderBy('id').executeTakeFirst();
}

/** The customer's latest lead of one channel, with its status and decision time (analysis leads' suppression, docs/alerts.md). */
export async function latestLeadOfCustomer(
  db: Executor,
  customerId: string,
  channel: LeadTable['channel'],
): Promise<Pick<LeadTable, 'id' | 'status' | 'decided_at'> | undefined> {
  return db
    .selectFrom('leads')
    .select(['id', 'status', 'decided_at'])
    .where('customer_id', '=', customerId)
    .where('channel', '=', channel)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export async function insertLead(db: Executor, row: LeadTable): Promise<void> {
  await db.insertInto('leads').values(row).execute();
}

/** Updates a lead if it still has `expectedVersion`, raising the version; false when it changed meanwhile. */
export async function updateLead(
  db: Executor,
  id: string,
  expectedVersion: number,
  changes: Omit<Updateable<LeadTable>, 'id' | 'version'>,
): Promise<boolean> {
  const result = await db
    .updateTable('leads')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Points the leads marked as duplicates of one lead at another (after a merge). */
export async function repointDuplicates(db: Executor, fromId: string, toId: string, now: string): Promise<string[]> {
  const rows = await db.selectFrom('leads').select('id').where('duplicate_of', '=', fromId).execute();
  if (rows.length === 0) return [];
  await db
    .updateTable('leads')
    .set((eb) => ({ duplicate_of: toId, updated_at: now, version: eb('version', '+', 1) }))
    .where('duplicate_of', '=', fromId)
    .execute();
  return rows.map((r) => r.id);
}

export async function insertLeadEvent(db: Executor, row: LeadEventTable): Promise<void> {
  await db.insertInto('lead_events').values(row).execute();
}

/** A lead's history, oldest first. */
export async function listLeadEvents(db: Executor, leadId: string): Promise<LeadEventTable[]> {
  return db.selectFrom('lead_events').selectAll().where('lead_id', '=', leadId).orderBy('occurred_at').orderBy('id').execute();
}

export async function insertLeadCheck(db: Executor, row: LeadCheckTable): Promise<void> {
  await db.insertInto('lead_checks').values(row).execute();
}

/** A lead's checks, oldest first. */
export async function listLeadChecks(db: Executor, leadId: string): Promise<LeadCheckTable[]> {
  return db.selectFrom('lead_checks').selectAll().where('lead_id', '=', leadId).orderBy('checked_at').orderBy('id').execute();
}

/** Which leads a reader sees: all, or those of a branch plus those they reported or were asked to check. */
export type LeadReach = { all: true } | { all: false; staffId: string; branchId?: string };

function reachable(reach: LeadReach) {
  return (eb: ExpressionBuilder<Database, 'leads'>) => {
    if (reach.all) return eb.lit(true);
    const own = [
      eb('leads.reported_by', '=', reach.staffId),
      eb('leads.assigned_to', '=', reach.staffId),
      eb.exists(
        eb
          .selectFrom('lead_checks')
          .select(sql.lit(1).as('one'))
          .whereRef('lead_checks.lead_id', '=', 'leads.id')
          .where('lead_checks.checked_by', '=', reach.staffId),
      ),
    ];
    return eb.or(reach.branchId === undefined ? own : [eb('leads.branch_id', '=', reach.branchId), ...own]);
  };
}

/** True when the reader reaches the lead (see LeadReach). */
export async function leadReachable(db: Executor, id: string, reach: LeadReach): Promise<boolean> {
  const row = await db.selectFrom('leads').select('id').where('id', '=', id).where(reachable(reach)).executeTakeFirst();
  return row !== undefined;
}

/** A page of leads, earliest deadline first. */
export async function listLeads(
  db: Executor,
  q: {
    reach: LeadReach;
    status?: LeadTable['status'];
    /** Only undecided leads whose deadline is before this instant. */
    overdueAt?: string;
    after?: { dueAt: string; id: string };
    limit: number;
  },
): Promise<LeadTable[]> {
  let query = leadQuery(db).where(reachable(q.reach));
  if (q.status !== undefined) query = query.where('leads.status', '=', q.status);
  if (q.overdueAt !== undefined) {
    query = query.where('leads.status', 'in', ['new', 'in_verification']).where('leads.due_at', '<', q.overdueAt);
  }
  const after = q.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('leads.due_at', '>', after.dueAt), eb.and([eb('leads.due_at', '=', after.dueAt), eb('leads.id', '>', after.id)])]),
    );
  }
  return query.orderBy('leads.due_at').orderBy('leads.id').limit(q.limit).execute();
}

/** The encrypted texts of a lead (retention clears them with the case it became or was linked to). */
export const LEAD_TEXTS = [
  { table: 'leads', column: 'subject_enc', nullable: true, by: 'id' },
  { table: 'leads', column: 'summary_enc', nullable: false, by: 'id' },
  { table: 'leads', column: 'analysis_enc', nullable: true, by: 'id' },
  { table: 'leads', column: 'condition_enc', nullable: true, by: 'id' },
  { table: 'leads', column: 'assignment_note_enc', nullable: true, by: 'id' },
  { table: 'leads', column: 'decision_reason_enc', nullable: true, by: 'id' },
  { table: 'leads', column: 'definition_enc', nullable: true, by: 'id' },
  { table: 'lead_checks', column: 'finding_enc', nullable: true, by: 'lead_id' },
  { table: 'lead_events', column: 'note_enc', nullable: true, by: 'lead_id' },
] as const satisfies readonly LinkedText[];

/** The leads that registered the case or were linked to it as duplicates. */
export async function leadIdsOfCase(db: Executor, caseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('leads')
    .select('id')
    .where((eb) => eb.or([eb('case_id', '=', caseId), eb('linked_case_id', '=', caseId)]))
    .execute();
  return rows.map((r) => r.id);
}

/** Undecided leads past their verification deadline, a page after a lead id (ids in order). */
export async function overdueLeads(db: Executor, now: string, afterId: string | undefined, limit: number): Promise<LeadTable[]> {
  let q = db.selectFrom('leads').selectAll().where('status', 'in', ['new', 'in_verification']).where('due_at', '<', now);
  if (afterId !== undefined) q = q.where('id', '>', afterId);
  return q.orderBy('id').limit(limit).execute();
}

/** When each lead of a period was raised, due and decided (the indicators, P8.2.2). */
export async function leadTimings(db: Executor, q: { fromInstant: string; untilInstant: string; branchId: string | null }) {
  let query = db
    .selectFrom('leads')
    .select(['created_at', 'due_at', 'decided_at'])
    .where('created_at', '>=', q.fromInstant)
    .where('created_at', '<', q.untilInstant);
  if (q.branchId !== null) query = query.where('branch_id', '=', q.branchId);
  return query.execute();
}
