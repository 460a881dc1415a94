import type { Executor } from '../../platform/db/database.js';
import type { CaseTeamMemberTable } from '../../platform/db/tables/teams.js';

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
