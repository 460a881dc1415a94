/** The tables of the teams feature (issue 4), as Kysely sees them; conventions in schema.ts. */
export interface TeamsTables {
  case_team_members: CaseTeamMemberTable;
  break_glass_grants: BreakGlassGrantTable;
}

/** An emergency ("break glass") access to one case with its written reason (P5.4.1). */
export interface BreakGlassGrantTable {
  id: string;
  case_id: string;
  branch_id: string;
  staff_id: string;
  reason: string;
  granted_at: string;
  expires_at: string;
  reviewed_at: string | null;
  reviewed_by: string | null;
  review_note: string | null;
}

/** One membership of a staff member in a case's service team (P3.1); removal keeps the row. */
export interface CaseTeamMemberTable {
  id: string;
  case_id: string;
  staff_id: string;
  role: 'customer_manager' | 'wealth_manager' | 'risk_officer' | 'operations' | 'service_agent';
  is_primary: number;
  assigned_at: string;
  assigned_by: string;
  removed_at: string | null;
  removed_by: string | null;
}
