import type { AnalysisTables } from './tables/analysis.js';
import type { CasesTables } from './tables/cases.js';
import type { LeadsTables } from './tables/leads.js';
import type { CommunicationTables } from './tables/communication.js';
import type { PartnersTables } from './tables/partners.js';
import type { TeamsTables } from './tables/teams.js';
import type { TrainingTables } from './tables/training.js';
import type { WorkTables } from './tables/work.js';

/**
 * The tables of Lifeline as Kysely sees them. Conventions (docs/architecture.md):
 * instants are ISO-8601 UTC strings, dates `YYYY-MM-DD`, money integer minor units,
 * flags 0/1 integers, JSON documents text, sensitive values `*_enc` ciphertext.
 */
export interface Database
  extends PartnersTables,
    LeadsTables,
    CasesTables,
    TeamsTables,
    WorkTables,
    CommunicationTables,
    TrainingTables,
    AnalysisTables {
  branches: BranchTable;
  roles: RoleTable;
  staff: StaffTable;
  staff_roles: StaffRoleTable;
  sessions: SessionTable;
  login_failures: LoginFailureTable;
  customers: CustomerTable;
  accounts: AccountTable;
  loans: LoanTable;
  holdings: HoldingTable;
  transactions: TransactionTable;
  audit_events: AuditEventTable;
  encryption_keys: EncryptionKeyTable;
  idempotency_keys: IdempotencyKeyTable;
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

export interface CustomerTable {
  id: string;
  customer_number: string;
  name: string;
  gender: 'F' | 'M' | 'U';
  date_of_birth: string | null;
  national_id_enc: string | null;
  national_id_bidx: string | null;
  phone_enc: string | null;
  phone_bidx: string | null;
  address_enc: string | null;
  branch_id: string;
  segment: string;
  opened_on: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface AccountTable {
  id: string;
  account_number: string;
  customer_id: string;
  type: 'current' | 'savings' | 'time_deposit' | 'card';
  currency: string;
  balance_minor: number;
  status: 'active' | 'dormant' | 'frozen' | 'closed';
  opened_on: string;
  updated_at: string;
}

export interface LoanTable {
  id: string;
  loan_number: string;
  customer_id: string;
  product: 'mortgage' | 'consumer' | 'business' | 'credit_card';
  currency: string;
  principal_minor: number;
  outstanding_minor: number;
  interest_rate_bp: number;
  instalment_minor: number;
  start_date: string;
  maturity_date: string;
  next_payment_date: string | null;
  days_past_due: number;
  status: 'performing' | 'overdue' | 'restructured' | 'closed';
  updated_at: string;
}

export interface HoldingTable {
  id: string;
  holding_ref: string;
  customer_id: string;
  product_code: string;
  product_name: string;
  risk_level: 'R1' | 'R2' | 'R3' | 'R4' | 'R5';
  currency: string;
  market_value_minor: number;
  acquired_on: string;
  maturity_date: string | null;
  updated_at: string;
}

export interface TransactionTable {
  txn_id: string;
  account_id: string;
  customer_number: string;
  booked_at: string;
  amount_minor: number;
  currency: string;
  direction: 'debit' | 'credit';
  channel: 'card' | 'transfer' | 'atm' | 'counter' | 'online' | 'direct_debit';
  counterparty_name: string | null;
  counterparty_account: string | null;
  mcc: string | null;
  description: string | null;
  ingested_at: string;
}

export interface AuditEventTable {
  seq: number;
  id: string;
  occurred_at: string;
  actor_id: string | null;
  actor_username: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  branch_id: string | null;
  ip: string | null;
  outcome: 'success' | 'failure';
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface EncryptionKeyTable {
  purpose: 'data' | 'index';
  version: number;
  fingerprint: string;
  status: 'active' | 'retired';
  created_at: string;
}

export interface IdempotencyKeyTable {
  key: string;
  actor_id: string;
  route: string;
  body_hash: string;
  status_code: number;
  response: string;
  created_at: string;
}
