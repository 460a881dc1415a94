/** The tables of the platform (no feature owns them): the audit chain, key metadata, idempotency keys and the outbox. */
export interface PlatformTables {
  audit_events: AuditEventTable;
  encryption_keys: EncryptionKeyTable;
  idempotency_keys: IdempotencyKeyTable;
  outbox: OutboxTable;
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

/** A transactional outbox row: an e-mail or SMS to send, written with the change that causes it. */
export interface OutboxTable {
  id: string;
  kind: 'email' | 'sms' | 'core_banking';
  /** JSON: e-mail `{to, subject, text}`, SMS `{customerId, text}` (the phone is read at send time); never sensitive content. */
  payload: string;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
  attempts: number;
  next_attempt_at: string;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}
