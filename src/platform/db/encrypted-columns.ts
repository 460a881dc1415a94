import type { Database } from './schema.js';

type ColumnsOf<T extends keyof Database> = keyof Database[T] & string;
type EncColumnsOf<T extends keyof Database> = Extract<ColumnsOf<T>, `${string}_enc`>;

/** One column that holds ciphertext, and the column naming its row (the `rowId` of the AAD). */
export type EncryptedColumn = {
  [T in keyof Database]: { readonly table: T; readonly idColumn: ColumnsOf<T>; readonly column: EncColumnsOf<T> };
}[keyof Database];

/**
 * Every encrypted column of the schema. Key rotation and `keys status` walk this list, so a
 * feature that adds a `*_enc` column must add it here, or rotation would leave it behind.
 * The associated data of a value is `table|column|row id` with the column name exactly as
 * stored, `_enc` suffix included (e.g. `customers|national_id_enc|<id>`): a writer using any
 * other name makes values that rotation cannot decrypt.
 */
export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  { table: 'customers', idColumn: 'id', column: 'national_id_enc' },
  { table: 'fund_alerts', idColumn: 'id', column: 'resolution_note_enc' },
  { table: 'fund_alerts', idColumn: 'id', column: 'contact_note_enc' },
  { table: 'fund_alerts', idColumn: 'id', column: 'verify_note_enc' },
  { table: 'customers', idColumn: 'id', column: 'phone_enc' },
  { table: 'customers', idColumn: 'id', column: 'address_enc' },
  { table: 'staff', idColumn: 'id', column: 'totp_secret_enc' },
  { table: 'cases', idColumn: 'id', column: 'condition_enc' },
  { table: 'cases', idColumn: 'id', column: 'finances_enc' },
  { table: 'cases', idColumn: 'id', column: 'corrections_enc' },
  { table: 'cases', idColumn: 'id', column: 'close_note_enc' },
  { table: 'case_versions', idColumn: 'id', column: 'old_values_enc' },
  { table: 'case_versions', idColumn: 'id', column: 'new_values_enc' },
  { table: 'case_consents', idColumn: 'id', column: 'scope_enc' },
  { table: 'case_consents', idColumn: 'id', column: 'note_enc' },
  { table: 'case_consents', idColumn: 'id', column: 'withdrawal_note_enc' },
  { table: 'leads', idColumn: 'id', column: 'subject_enc' },
  { table: 'leads', idColumn: 'id', column: 'summary_enc' },
  { table: 'leads', idColumn: 'id', column: 'analysis_enc' },
  { table: 'leads', idColumn: 'id', column: 'condition_enc' },
  { table: 'leads', idColumn: 'id', column: 'assignment_note_enc' },
  { table: 'leads', idColumn: 'id', column: 'decision_reason_enc' },
  { table: 'leads', idColumn: 'id', column: 'definition_enc' },
  { table: 'lead_checks', idColumn: 'id', column: 'finding_enc' },
  { table: 'lead_events', idColumn: 'id', column: 'note_enc' },
  { table: 'partner_keys', idColumn: 'id', column: 'secret_enc' },
  { table: 'work_tasks', idColumn: 'id', column: 'note_enc' },
  { table: 'work_tasks', idColumn: 'id', column: 'completion_note_enc' },
  { table: 'work_tasks', idColumn: 'id', column: 'title_enc' },
  { table: 'work_interactions', idColumn: 'id', column: 'notes_enc' },
  { table: 'case_messages', idColumn: 'id', column: 'body_enc' },
  { table: 'case_meetings', idColumn: 'id', column: 'minutes_enc' },
  { table: 'meeting_action_items', idColumn: 'id', column: 'title_enc' },
  { table: 'service_requests', idColumn: 'id', column: 'note_enc' },
  { table: 'service_requests', idColumn: 'id', column: 'decision_reason_enc' },
  { table: 'service_requests', idColumn: 'id', column: 'outcome_enc' },
  { table: 'service_requests', idColumn: 'id', column: 'cancel_reason_enc' },
  { table: 'service_documents', idColumn: 'id', column: 'file_name_enc' },
  { table: 'service_documents', idColumn: 'id', column: 'content_enc' },
  { table: 'service_signatures', idColumn: 'id', column: 'summary_enc' },
  { table: 'service_signatures', idColumn: 'id', column: 'image_enc' },
  { table: 'credit_assessments', idColumn: 'id', column: 'reason_enc' },
  { table: 'incidents', idColumn: 'id', column: 'what_enc' },
  { table: 'incidents', idColumn: 'id', column: 'root_cause_enc' },
  { table: 'incidents', idColumn: 'id', column: 'corrective_action_enc' },
  { table: 'risk_assessments', idColumn: 'id', column: 'notes_enc' },
];
