/** The tables of the services feature (P4, P6); conventions in schema.ts. */
export interface ServicesTables {
  service_types: ServiceTypeTable;
  service_requests: ServiceRequestTable;
  service_documents: ServiceDocumentTable;
  service_signatures: ServiceSignatureTable;
  fee_waivers: FeeWaiverTable;
  case_accommodations: CaseAccommodationTable;
}

/** A type of the service catalogue as the bank has set it (seeded from domain/service-catalogue.ts). */
export interface ServiceTypeTable {
  code: string;
  name_zh: string;
  name_en: string;
  owner_role: string;
  needs_approval: number;
  /** The bank's standard handling time and the critical-illness priority time, in business hours (P6.2.2). */
  standard_hours: number;
  priority_hours: number;
  /** JSON arrays of `{code, zh, en}`: the standard documents and the reduced list (P6.1.1). */
  documents_standard: string;
  documents_reduced: string;
  active: number;
  updated_at: string;
  updated_by: string | null;
  version: number;
}

/** One request of a service for a case's customer; its details are JSON (no medical information), notes ciphertext. */
export interface ServiceRequestTable {
  id: string;
  case_id: string;
  customer_id: string;
  branch_id: string;
  type_code: string;
  status: 'requested' | 'in_review' | 'approved' | 'rejected' | 'in_progress' | 'completed' | 'cancelled';
  details: string;
  note_enc: string | null;
  /** The team member who delivers it (the type's owning role on the case's team). */
  assignee_id: string | null;
  requested_by: string;
  requested_at: string;
  /** The priority time's end, and the standard time's (the gain, P6.2.2). */
  due_at: string;
  standard_due_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason_enc: string | null;
  started_by: string | null;
  started_at: string | null;
  completed_by: string | null;
  completed_at: string | null;
  outcome_enc: string | null;
  cancelled_by: string | null;
  cancelled_at: string | null;
  cancel_reason_enc: string | null;
  version: number;
}

/** One ticked item of a request's document checklist, with its scan if one was uploaded (ciphertext). */
export interface ServiceDocumentTable {
  id: string;
  request_id: string;
  item_code: string;
  evidence_ref: string | null;
  ticked_by: string;
  ticked_at: string;
  file_name_enc: string | null;
  content_type: string | null;
  size_bytes: number | null;
  sha256: string | null;
  /** The scan, base64 inside the ciphertext. */
  content_enc: string | null;
  /** Who uploaded the scan and when (0013); the tick may be older. */
  uploaded_by: string | null;
  uploaded_at: string | null;
}

/** The customer's signature of a request (P6.1.2): on a device, or witnessed by video. */
export interface ServiceSignatureTable {
  id: string;
  request_id: string;
  method: 'on_device' | 'remote_video';
  /** The request's version signed: a later change voids the signature. */
  request_version: number;
  /** SHA-256 (hex) of exactly the summary text signed, which is kept as ciphertext. */
  summary_sha256: string;
  summary_enc: string;
  /** The signature image (a PNG data URL) as ciphertext; none for a video witnessing. */
  image_enc: string | null;
  witness_id: string;
  signed_at: string;
  place: string | null;
  video_session_ref: string | null;
  spoken_consent_ref: string | null;
  voided_at: string | null;
  /** Why and by whom it was voided (0013): e.g. `request_changed`, `documents_changed`. */
  void_reason: string | null;
  voided_by: string | null;
  /** The language the summary was rendered in (`zh-CN` or `en`), to render it again for the check. */
  locale: string | null;
}

/** A fee waiver or reduction an approved fee relief became (P4.2.1); core banking reads it. */
export interface FeeWaiverTable {
  id: string;
  request_id: string;
  case_id: string;
  customer_id: string;
  account_id: string;
  fee_type: string;
  kind: 'full' | 'percent' | 'amount';
  percent: number | null;
  amount_minor: number | null;
  valid_from: string;
  valid_until: string;
  /** The day the waiver ends early (the case closed), confirmed by a supervisor. */
  ended_on: string | null;
  created_at: string;
}

/** What a branch does for the customer at the counter (P6.2.1): codes only, never a condition. */
export interface CaseAccommodationTable {
  case_id: string;
  /** JSON array of accommodation codes. */
  codes: string;
  updated_at: string;
  updated_by: string;
}
