import type { Executor } from '../../platform/db/database.js';
import type { BreakGlassGrantTable, CaseTeamMemberTable } from '../../platform/db/tables/case-access.js';

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

/** The ids of the active cases a staff member is on the team of. */
export async function listCaseIdsOfMember(db: Executor, staffId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('case_team_members')
    .select('case_id')
    .where('staff_id', '=', staffId)
    .where('removed_at', 'is', null)
    .execute();
  return rows.map((r) => r.case_id);
}

/** Every membership of a case's team, removed ones too, oldest first: the team's history. */
export async function listAllMembers(db: Executor, caseId: string): Promise<CaseTeamMemberTable[]> {
  return db.selectFrom('case_team_members').selectAll().where('case_id', '=', caseId).orderBy('assigned_at').orderBy('id').execute();
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
