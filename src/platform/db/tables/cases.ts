/** The tables of the cases feature (issue 3), as Kysely sees them; conventions in schema.ts. */
export interface CasesTables {
  cases: CaseTable;
  case_versions: CaseVersionTable;
  case_consents: CaseConsentTable;
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

/** One change of a case file: who, when, which fields, and the old/new values encrypted. */
export interface CaseVersionTable {
  id: string;
  case_id: string;
  version: number;
  action: string;
  /** JSON array of dotted field names. */
  fields: string;
  changed_at: string;
  changed_by: string | null;
  /** JSON `{field: value}` before and after the change. */
  old_values_enc: string | null;
  new_values_enc: string | null;
}

/** A consent (PIPL Art. 28–29) or the legal basis a case was registered on. */
export interface CaseConsentTable {
  id: string;
  case_id: string;
  customer_id: string;
  kind: 'health_processing' | 'partner_sharing' | 'legal_basis';
  partner_id: string | null;
  /** Legal basis only: protect_life_health_emergency, other_statutory. */
  basis: string | null;
  channel: string | null;
  given_at: string | null;
  evidence_ref: string | null;
  scope_enc: string | null;
  note_enc: string | null;
  /** form: the registration form; referral: the hospital referral's consent; added: recorded later. */
  source: 'form' | 'referral' | 'added';
  status: 'active' | 'withdrawn';
  recorded_at: string;
  recorded_by: string;
  withdrawn_at: string | null;
  withdrawn_by: string | null;
  withdrawal_channel: string | null;
  withdrawal_note_enc: string | null;
}
