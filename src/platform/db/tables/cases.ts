/** The tables of the cases feature (the case file): its versions and consents; conventions in schema.ts. */
export interface CasesTables {
  case_versions: CaseVersionTable;
  case_consents: CaseConsentTable;
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
