/** The tables of the leads feature (issue 3), as Kysely sees them; conventions in schema.ts. */
export interface LeadsTables {
  leads: LeadTable;
  lead_checks: LeadCheckTable;
  lead_events: LeadEventTable;
}

/** One lead (P2.2–P2.3): a report that a customer may be critically ill, until it is decided. */
export interface LeadTable {
  id: string;
  channel: 'self_report' | 'hospital' | 'analysis' | 'external';
  status: 'new' | 'in_verification' | 'confirmed' | 'rejected' | 'duplicate' | 'registered';
  /** The matched customer's branch, else the reporter's (or the partner's default) branch. */
  branch_id: string;
  customer_id: string | null;
  match_method: 'customer_number' | 'national_id' | 'phone' | 'name_dob' | 'manual' | null;
  match_strength: 'exact' | 'strong' | 'probable' | null;
  /** The customer number as reported (not sensitive: it is printed on every bank statement). */
  reported_customer_number: string | null;
  /** The subject's name as reported; shown only to entitled readers. */
  subject_name: string | null;
  /** JSON `{nationalId?, dateOfBirth?, phone?}` as reported, encrypted. */
  subject_enc: string | null;
  summary_enc: string;
  /** Analysis leads (issue 10): JSON of LeadAnalysisSchema, encrypted like the summary it explains. */
  analysis_enc: string | null;
  source_ref: string | null;
  partner_id: string | null;
  /** The partner's name when it referred the lead: the lead keeps who referred it. */
  partner_name: string | null;
  referral_id: string | null;
  /** JSON `{category, icd10?, diagnosedOn?, summary}` of a referral, encrypted. */
  condition_enc: string | null;
  /** JSON `{obtainedAt, scope, evidenceRef}` of a referral: the patient's consent to share. */
  referral_consent: string | null;
  reported_by: string | null;
  assigned_to: string | null;
  assignment_note_enc: string | null;
  due_at: string;
  decision: 'confirm' | 'reject' | 'duplicate' | null;
  decision_reason_enc: string | null;
  /** JSON: the supervisor's finding against each part of the definition (P2.1), as ciphertext. */
  definition_enc: string | null;
  decided_by: string | null;
  decided_at: string | null;
  duplicate_of: string | null;
  linked_case_id: string | null;
  case_id: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

/** A colleague's finding on a lead they were asked to check. */
export interface LeadCheckTable {
  id: string;
  lead_id: string;
  checked_by: string;
  checked_at: string;
  finding_enc: string | null;
  recommendation: 'confirm' | 'reject' | 'unsure';
}

/** The history of a lead: who did what, when; `detail` JSON never holds a sensitive value. */
export interface LeadEventTable {
  id: string;
  lead_id: string;
  occurred_at: string;
  actor_id: string | null;
  action: string;
  detail: string;
  /** A reason or note given with the step (a decision, a reopen), encrypted: it may be medical. */
  note_enc: string | null;
}
