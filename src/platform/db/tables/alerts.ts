/** The table of the alerts feature: fund-safety alerts of registered customers (P7.2); conventions in schema.ts. */
export interface AlertsTables {
  fund_alerts: FundAlertTable;
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
