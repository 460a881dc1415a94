/**
 * The tables of the case-access feature: the case record itself, its team and break-glass grants,
 * that is, everything the need-to-know verdict reads (docs/access.md); conventions in schema.ts.
 */
export interface CaseAccessTables {
  cases: CaseTable;
  case_team_members: CaseTeamMemberTable;
  break_glass_grants: BreakGlassGrantTable;
}

/** One critical-illness case file (P2.3.3, P5.2); illness, finances and corrections only as ciphertext. */
export interface CaseTable {
  id: string;
  case_number: string;
  lead_id: string;
  customer_id: string;
  branch_id: string;
  /** The discovery channel, from the lead: self_report, hospital, analysis, external. */
  channel: string;
  partner_id: string | null;
  status: 'active' | 'closed' | 'purged';
  severity: 'low' | 'medium' | 'high';
  mobility_impaired: number;
  /** JSON `{category, description, diagnosedOn, hospital}`. */
  condition_enc: string | null;
  /** JSON `{lostIncome, expectedMedicalCosts, debts, notes}`. */
  finances_enc: string | null;
  /** JSON `{name?, phone?, address?}`: corrections of the master data. */
  corrections_enc: string | null;
  review_on: string;
  update_interval_days: number;
  last_update_on: string;
  next_update_due: string;
  maintainer_id: string | null;
  consent_withdrawn: number;
  registered_by: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  closed_by: string | null;
  close_reason: string | null;
  close_note_enc: string | null;
  purged_at: string | null;
  /** JSON counts of what the retention purge cleared. */
  purge_counts: string | null;
  version: number;
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
