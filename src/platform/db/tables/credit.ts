/**
 * The tables of the credit feature: gentle collection per case and the contacts recorded, what the loan watch raised, the risk
 * officer's assessment of a loan request and the booking reference core banking gave back;
 * conventions in schema.ts.
 */
export interface CreditTables {
  collection_treatments: CollectionTreatmentTable;
  collection_contacts: CollectionContactTable;
  credit_assessments: CreditAssessmentTable;
  loan_bookings: LoanBookingTable;
  loan_watch_marks: LoanWatchMarkTable;
}

export interface CollectionTreatmentTable {
  case_id: string;
  gentle: number;
  max_contacts_per_week: number;
  quiet_from: string;
  quiet_to: string;
  /** JSON array of channel codes. */
  channels: string;
  paused_until: string | null;
  updated_by: string;
  updated_at: string;
  version: number;
}

export interface CollectionContactTable {
  id: string;
  case_id: string;
  channel: string;
  contacted_at: string;
  recorded_by: string;
  created_at: string;
}

/** One thing the daily loan watch raised a task for (P7.1.2): a coming instalment to prepare for, or arrears. */
export interface LoanWatchMarkTable {
  id: string;
  loan_id: string;
  case_id: string;
  kind: 'prepare' | 'past_due';
  /** The instalment the mark is about (prepare: the one coming; past due: the next one the core showed). */
  instalment_due_on: string | null;
  /** `loan|prepare|<instalment date>` for good; `loan|past_due` while the arrears last, null once they end (unique). */
  dedupe_key: string | null;
  task_id: string;
  raised_at: string;
  cleared_at: string | null;
}

/** The risk officer's assessment of an emergency loan request (P4.1): one per request, the latest counts. */
export interface CreditAssessmentTable {
  id: string;
  request_id: string;
  case_id: string;
  recommendation: 'approve' | 'decline';
  /** Encrypted like every case text (AAD `credit_assessments|reason_enc|<id>`). */
  reason_enc: string | null;
  assessed_by: string;
  assessed_at: string;
  version: number;
}

/** Core banking's booking of an approved loan request (a disbursement or a new schedule). */
export interface LoanBookingTable {
  request_id: string;
  reference: string;
  booked_on: string;
  /** The staff member who recorded it, or null when an API client did. */
  recorded_by: string | null;
  /** The API client that recorded it, or null when a staff member did. */
  recorded_by_client: string | null;
  recorded_at: string;
}
