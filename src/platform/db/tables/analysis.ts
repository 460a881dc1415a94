/** The tables of transaction analysis (issue 5), as Kysely sees them; conventions in schema.ts. */
export interface AnalysisTables {
  transaction_batches: TransactionBatchTable;
  transaction_batch_errors: TransactionBatchErrorTable;
  analysis_states: AnalysisStateTable;
  rule_sets: RuleSetTable;
  fund_alerts: FundAlertTable;
  api_clients: ApiClientTable;
  api_keys: ApiKeyTable;
}

/** One ingestion: a file, an upload or a stream's pull, with its running figures. */
export interface TransactionBatchTable {
  id: string;
  source: 'file' | 'upload' | 'stream';
  /** The file's name, the upload's given name, or the stream's subject. */
  name: string;
  format: 'csv' | 'ndjson' | 'camt053';
  /** `interrupted`: the process stopped before the end (found so at the next start). */
  status: 'running' | 'done' | 'failed' | 'interrupted';
  bytes_total: number | null;
  bytes_read: number;
  rows: number;
  inserted: number;
  duplicates: number;
  bad_rows: number;
  leads: number;
  alerts: number;
  created_by: string | null;
  client_id: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** A row that could not be read, by its line in the input (the first 1,000 of a batch are kept). */
export interface TransactionBatchErrorTable {
  batch_id: string;
  line: number;
  reason: string;
}

/** The engine's bounded state of one customer (AnalysisState.exportRecord), so a day's file needs only the new day. */
export interface AnalysisStateTable {
  customer_number: string;
  record: Uint8Array;
  updated_at: string;
}

/** A version of the rule set (RuleSetJson as text); exactly one is `active` once any is. */
export interface RuleSetTable {
  version: string;
  definition: string;
  note: string | null;
  status: 'draft' | 'active' | 'retired';
  created_by: string | null;
  created_at: string;
  activated_by: string | null;
  activated_at: string | null;
}

/** A fund-safety alert for a registered customer (P7.2.1), one per flagged transaction. */
export interface FundAlertTable {
  id: string;
  dedup_key: string;
  customer_id: string;
  customer_number: string;
  case_id: string;
  branch_id: string;
  score: number;
  /** The finding's rules as JSON: [{id, evidence: [txn_id], detail}]. */
  rules: string;
  flagged_txn_id: string;
  flagged_at: string;
  flagged_amount_minor: number;
  currency: string;
  status: 'open' | 'contacted' | 'verified' | 'resolved';
  resolution: 'legitimate' | 'fraud' | 'escalated' | null;
  resolution_note_enc: string | null;
  contact_task_id: string | null;
  /** The last contact attempt: how, and whether the customer was reached (only `reached` moves the alert on). */
  contact_channel: 'phone' | 'visit' | 'sms' | 'message' | null;
  contact_outcome: 'reached' | 'not_reached' | null;
  contact_attempts: number;
  contact_note_enc: string | null;
  contacted_by: string | null;
  verify_note_enc: string | null;
  verified_by: string | null;
  batch_id: string | null;
  raised_at: string;
  contacted_at: string | null;
  verified_at: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  version: number;
}

/** Another bank system that calls Lifeline with a bearer key (core banking, payment systems). */
export interface ApiClientTable {
  id: string;
  name: string;
  /** JSON array of scopes, e.g. ["transactions:ingest", "transactions:decide"]. */
  scopes: string;
  created_by: string;
  created_at: string;
  disabled_at: string | null;
}

/** A client's key: only its SHA-256 is kept; the key itself is shown once. */
export interface ApiKeyTable {
  id: string;
  client_id: string;
  key_hash: string;
  prefix: string;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}
