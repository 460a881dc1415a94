import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { CaseTable } from '../../platform/db/tables/case-access.js';
import type { BreakGlassGrantTable, CaseTeamMemberTable } from '../../platform/db/tables/case-access.js';

// ---------------------------------------------------------------------------------------------
// The case record (the `cases` row): read here for access, written here for the case file
// ---------------------------------------------------------------------------------------------

/** One case row. */
export async function findCaseRow(db: Executor, id: string): Promise<CaseTable | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Case rows by id; unknown ids are left out. */
export async function findCaseRows(db: Executor, ids: readonly string[]): Promise<CaseTable[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('cases').selectAll().where('id', 'in', ids).execute();
}

/** The active cases, of one branch or of all, by case number. */
export async function findActiveCaseRows(db: Executor, branchId?: string): Promise<CaseTable[]> {
  let q = db.selectFrom('cases').selectAll().where('status', '=', sql.lit('active'));
  if (branchId !== undefined) q = q.where('branch_id', '=', branchId);
  return q.orderBy('case_number').execute();
}

/** The active case of a customer, if any. */
export async function findActiveCaseOfCustomer(db: Executor, customerId: string): Promise<{ id: string; case_number: string } | undefined> {
  return (
    db
      .selectFrom('cases')
      .select(['id', 'case_number'])
      .where('customer_id', '=', customerId)
      // A literal, not a parameter: SQLite then uses the partial unique index of active cases
      // (one row) instead of scanning every active case.
      .where('status', '=', sql.lit('active'))
      .executeTakeFirst()
  );
}

/** The customer of every active case. */
export async function listActiveCaseCustomerIds(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('cases').select('customer_id').where('status', '=', sql.lit('active')).execute();
  return rows.map((r) => r.customer_id);
}

/** The highest case number of a year (`CI-2026-…`), for the next one. */
export async function lastCaseNumberOfYear(db: Executor, year: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('cases')
    .select('case_number')
    .where('case_number', 'like', `CI-${year}-%`)
    .orderBy(sql`length(${sql.ref('case_number')})`, 'desc')
    .orderBy('case_number', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.case_number;
}

export async function insertCase(db: Executor, row: CaseTable): Promise<void> {
  await db.insertInto('cases').values(row).execute();
}

/**
 * Changes a case and bumps its version, only when it still has the version the caller read;
 * answers whether it did.
 */
export async function updateCaseRow(
  db: Executor,
  id: string,
  expectedVersion: number,
  changes: Partial<Omit<CaseTable, 'id' | 'version'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('cases')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The filters of the case list; all given ones must match. */
export interface CaseRowFilter {
  branchId?: string;
  status?: CaseTable['status'];
  severity?: CaseTable['severity'];
  /** Active cases whose update falls in [from, to] (`due`), or before `before` (`overdue`). */
  dueBetween?: { from: string; to: string };
  dueBefore?: string;
  maintainerId?: string;
  /** The case number, or one of these customers. */
  search?: { caseNumber: string; customerIds: readonly string[] };
  /** Ids below this one (the list runs newest first). */
  beforeId?: string;
  limit: number;
}

/** A page of case rows, newest first. */
export async function pageCaseRows(db: Executor, f: CaseRowFilter): Promise<CaseTable[]> {
  let query = db.selectFrom('cases').selectAll();
  if (f.branchId !== undefined) query = query.where('branch_id', '=', f.branchId);
  if (f.status !== undefined) query = query.where('status', '=', f.status);
  if (f.severity !== undefined) query = query.where('severity', '=', f.severity);
  if (f.dueBetween !== undefined) {
    query = query
      .where('status', '=', 'active')
      .where('next_update_due', '>=', f.dueBetween.from)
      .where('next_update_due', '<=', f.dueBetween.to);
  }
  if (f.dueBefore !== undefined) query = query.where('status', '=', 'active').where('next_update_due', '<', f.dueBefore);
  if (f.maintainerId !== undefined) query = query.where('maintainer_id', '=', f.maintainerId);
  const search = f.search;
  if (search !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('case_number', '=', search.caseNumber),
        ...(search.customerIds.length > 0 ? [eb('customer_id', 'in', [...search.customerIds])] : []),
      ]),
    );
  }
  if (f.beforeId !== undefined) query = query.where('id', '<', f.beforeId);
  return query.orderBy('id', 'desc').limit(f.limit).execute();
}

/** Ids of closed cases closed at or before the cut-off, oldest first. */
export async function closedCasesBefore(db: Executor, cutoff: string, limit: number): Promise<{ id: string; branch_id: string }[]> {
  return db
    .selectFrom('cases')
    .select(['id', 'branch_id'])
    .where('status', '=', 'closed')
    .where('closed_at', '<=', cutoff)
    .orderBy('closed_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Records what a purge cleared on the tombstone (JSON counts). */
export async function setPurgeCounts(db: Executor, id: string, counts: string): Promise<void> {
  await db.updateTable('cases').set({ purge_counts: counts }).where('id', '=', id).execute();
}

function countSet(values: readonly (string | null)[]): number {
  return values.filter((v) => v !== null).length;
}

/**
 * Clears every ciphertext of a closed case's row and turns it into a tombstone; answers how many
 * values it cleared and the case's new version, or undefined when the case was no longer closed.
 */
export async function purgeCaseRow(db: Executor, id: string, purgedAt: string): Promise<{ cleared: number; version: number } | undefined> {
  const row = await db
    .selectFrom('cases')
    .select(['condition_enc', 'finances_enc', 'corrections_enc', 'close_note_enc', 'version'])
    .where('id', '=', id)
    .where('status', '=', 'closed')
    .executeTakeFirst();
  if (!row) return undefined;
  const updated = await db
    .updateTable('cases')
    .set({
      condition_enc: null,
      finances_enc: null,
      corrections_enc: null,
      close_note_enc: null,
      status: 'purged',
      purged_at: purgedAt,
      updated_at: purgedAt,
      version: row.version + 1,
    })
    .where('id', '=', id)
    .where('status', '=', 'closed')
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return undefined;
  return { cleared: countSet([row.condition_enc, row.finances_enc, row.corrections_enc, row.close_note_enc]), version: row.version + 1 };
}

// ---------------------------------------------------------------------------------------------
// Team membership (P3.1): who is on a case's team
// ---------------------------------------------------------------------------------------------

/** The current (not removed) members of a case's team. */
export async function listActiveMembers(db: Executor, caseId: string): Promise<CaseTeamMemberTable[]> {
  return db
    .selectFrom('case_team_members')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('removed_at', 'is', null)
    .orderBy('assigned_at')
    .execute();
}

/** The current members of the teams of several cases. */
export async function listActiveMembersOfCases(db: Executor, caseIds: readonly string[]): Promise<CaseTeamMemberTable[]> {
  if (caseIds.length === 0) return [];
  return db
    .selectFrom('case_team_members')
    .selectAll()
    .where('case_id', 'in', caseIds)
    .where('removed_at', 'is', null)
    .orderBy('assigned_at')
    .execute();
}

/** The active cases that have a team now. */
export async function listActiveCasesWithTeam(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('case_team_members')
    .innerJoin('cases', 'cases.id', 'case_team_members.case_id')
    .select('case_team_members.case_id as id')
    .where('case_team_members.removed_at', 'is', null)
    .where('cases.status', '=', 'active')
    .distinct()
    .execute();
  return rows.map((r) => r.id);
}

/** The ids of the cases a staff member is on the team of now. */
export async function listCaseIdsOfMember(db: Executor, staffId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('case_team_members')
    .select('case_id')
    .where('staff_id', '=', staffId)
    .where('removed_at', 'is', null)
    .execute();
  return rows.map((r) => r.case_id);
}

/** True when the staff member is on the case's team now. */
export async function isActiveMember(db: Executor, caseId: string, staffId: string): Promise<boolean> {
  const row = await db
    .selectFrom('case_team_members')
    .select('id')
    .where('case_id', '=', caseId)
    .where('staff_id', '=', staffId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertMember(db: Executor, row: CaseTeamMemberTable): Promise<void> {
  await db.insertInto('case_team_members').values(row).execute();
}

/** Marks memberships removed; the rows stay. */
export async function markMembersRemoved(db: Executor, ids: readonly string[], at: string, by: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('case_team_members')
    .set({ removed_at: at, removed_by: by })
    .where('id', 'in', ids)
    .where('removed_at', 'is', null)
    .execute();
}

/** The active memberships of staff members, for the workload view. */
export async function listActiveMembershipsOf(db: Executor, staffIds: readonly string[]): Promise<CaseTeamMemberTable[]> {
  if (staffIds.length === 0) return [];
  return db.selectFrom('case_team_members').selectAll().where('staff_id', 'in', staffIds).where('removed_at', 'is', null).execute();
}

// ---------------------------------------------------------------------------------------------
// Break-glass grants (P5.4.1)
// ---------------------------------------------------------------------------------------------

export async function insertGrant(db: Executor, row: BreakGlassGrantTable): Promise<void> {
  await db.insertInto('break_glass_grants').values(row).execute();
}

/** The grant of the staff member for the case that is in force at `now`, if any. */
export async function findGrantInForce(
  db: Executor,
  caseId: string,
  staffId: string,
  now: string,
): Promise<BreakGlassGrantTable | undefined> {
  return db
    .selectFrom('break_glass_grants')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('staff_id', '=', staffId)
    .where('expires_at', '>', now)
    .orderBy('expires_at', 'desc')
    .executeTakeFirst();
}

export async function findGrant(db: Executor, id: string): Promise<BreakGlassGrantTable | undefined> {
  return db.selectFrom('break_glass_grants').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Grants open or reviewed, of a branch or of all branches, newest first. */
export async function listGrants(
  db: Executor,
  q: { branchId?: string; status: 'open' | 'reviewed'; limit: number },
): Promise<BreakGlassGrantTable[]> {
  let query = db.selectFrom('break_glass_grants').selectAll();
  if (q.branchId !== undefined) query = query.where('branch_id', '=', q.branchId);
  query = q.status === 'open' ? query.where('reviewed_at', 'is', null) : query.where('reviewed_at', 'is not', null);
  return query.orderBy('granted_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
}

/** Marks a grant reviewed; false when it already was. */
export async function markGrantReviewed(db: Executor, id: string, at: string, by: string, note: string): Promise<boolean> {
  const result = await db
    .updateTable('break_glass_grants')
    .set({ reviewed_at: at, reviewed_by: by, review_note: note })
    .where('id', '=', id)
    .where('reviewed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
