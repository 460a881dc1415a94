/** The tables of the credit feature: gentle collection per case, the contacts recorded, what the loan watch raised; conventions in schema.ts. */
export interface CreditTables {
  collection_treatments: CollectionTreatmentTable;
  collection_contacts: CollectionContactTable;
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
