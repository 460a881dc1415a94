/** The tables of the staff feature: branches, people, roles, sessions and confidentiality agreements; conventions in schema.ts. */
export interface StaffTables {
  branches: BranchTable;
  roles: RoleTable;
  staff: StaffTable;
  staff_roles: StaffRoleTable;
  sessions: SessionTable;
  login_failures: LoginFailureTable;
  staff_agreements: StaffAgreementTable;
  staff_role_requests: StaffRoleRequestTable;
  staff_away: StaffAwayTable;
}

export interface BranchTable {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  created_at: string;
}

export interface RoleTable {
  name: string;
  description: string;
}

export interface StaffTable {
  id: string;
  username: string;
  display_name: string;
  branch_id: string;
  password_hash: string;
  status: 'active' | 'disabled';
  must_change_password: number;
  totp_secret_enc: string | null;
  totp_enabled: number;
  totp_last_step: number | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface StaffRoleTable {
  staff_id: string;
  role: string;
}

export interface SessionTable {
  id: string;
  token_hash: string;
  staff_id: string;
  stage: 'full' | 'mfa_enrolment';
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginFailureTable {
  username: string;
  failures: number;
  first_failed_at: string;
  locked_until: string | null;
}

/** A signed confidentiality agreement of a staff member (P5.4.2). */
export interface StaffAgreementTable {
  id: string;
  staff_id: string;
  version: string;
  signed_on: string;
  expires_on: string;
  recorded_at: string;
  /** Null when recorded by the system (the demo seed). */
  recorded_by: string | null;
}

/** Roles an administrator asked for a staff member that need a second administrator (four eyes). */
export interface StaffRoleRequestTable {
  id: string;
  staff_id: string;
  /** JSON array: the whole set of roles the staff member is to hold once approved. */
  roles: string;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  note: string | null;
}

/** A staff member's away period (P4.3.2): one at a time, both days included. */
export interface StaffAwayTable {
  staff_id: string;
  from_on: string;
  until_on: string;
  /** For colleagues: who covers, when back (the page asks for no personal reason). */
  note: string | null;
  set_by: string;
  set_at: string;
}
