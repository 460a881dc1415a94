import type { Executor } from '../../platform/db/database.js';
import { listActiveMembers, listCaseIdsOfMember } from './teams.repository.js';

/** A member of a case's service team. */
export interface TeamMember {
  staffId: string;
  role: 'customer_manager' | 'wealth_manager' | 'risk_officer' | 'operations' | 'service_agent';
  primary: boolean;
}

/** The current service team of a case (P3.1). */
export async function activeTeam(db: Executor, caseId: string): Promise<TeamMember[]> {
  return (await listActiveMembers(db, caseId)).map((m) => ({ staffId: m.staff_id, role: m.role, primary: m.is_primary === 1 }));
}

/** The cases whose team the staff member is on now. */
export async function casesOfMember(db: Executor, staffId: string): Promise<string[]> {
  return listCaseIdsOfMember(db, staffId);
}
