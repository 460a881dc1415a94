import type { Executor } from '../../platform/db/database.js';
import type { EncryptedColumn } from '../../platform/db/encrypted-columns.js';

/**
 * The encrypted texts that other features keep about a case: its tasks, interactions, thread,
 * minutes, action items, fund-safety alerts, and the leads that became it or were linked to it
 * (with their checks and history). Retention clears them with the case. Like key rotation, this
 * walks tables of several features by design; `retention.test.ts` checks that every encrypted
 * column is either listed here, cleared with the case itself, or not about a case.
 */
export const CASE_LINKED_TEXTS = [
  { table: 'work_tasks', column: 'note_enc', nullable: true, via: 'case' },
  { table: 'work_tasks', column: 'completion_note_enc', nullable: true, via: 'case' },
  { table: 'work_interactions', column: 'notes_enc', nullable: true, via: 'case' },
  { table: 'case_messages', column: 'body_enc', nullable: false, via: 'case' },
  { table: 'case_meetings', column: 'minutes_enc', nullable: false, via: 'case' },
  { table: 'meeting_action_items', column: 'title_enc', nullable: false, via: 'case' },
  { table: 'fund_alerts', column: 'contact_note_enc', nullable: true, via: 'case' },
  { table: 'fund_alerts', column: 'verify_note_enc', nullable: true, via: 'case' },
  { table: 'fund_alerts', column: 'resolution_note_enc', nullable: true, via: 'case' },
  { table: 'leads', column: 'subject_enc', nullable: true, via: 'lead' },
  { table: 'leads', column: 'summary_enc', nullable: false, via: 'lead' },
  { table: 'leads', column: 'condition_enc', nullable: true, via: 'lead' },
  { table: 'leads', column: 'assignment_note_enc', nullable: true, via: 'lead' },
  { table: 'leads', column: 'decision_reason_enc', nullable: true, via: 'lead' },
  { table: 'lead_checks', column: 'finding_enc', nullable: true, via: 'leadChild' },
  { table: 'lead_events', column: 'note_enc', nullable: true, via: 'leadChild' },
] as const satisfies readonly (Pick<EncryptedColumn, 'table' | 'column'> & { nullable: boolean; via: 'case' | 'lead' | 'leadChild' })[];

type LinkedText = (typeof CASE_LINKED_TEXTS)[number];

/** The leads that registered the case or were linked to it as duplicates. */
export async function leadIdsOfCase(db: Executor, caseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('leads')
    .select('id')
    .where((eb) => eb.or([eb('case_id', '=', caseId), eb('linked_case_id', '=', caseId)]))
    .execute();
  return rows.map((r) => r.id);
}

/** The ids of the rows of one linked text that still hold a value. */
export async function rowsWithText(db: Executor, text: LinkedText, caseId: string, leadIds: readonly string[]): Promise<string[]> {
  if (text.via !== 'case' && leadIds.length === 0) return [];
  // The table and column names come from the constant list above, never from input.
  const q = db.selectFrom(text.table).select('id').where(text.column, 'is not', null);
  const rows =
    text.via === 'case'
      ? await q.where('case_id', '=', caseId).execute()
      : text.via === 'lead'
        ? await q.where('id', 'in', [...leadIds]).execute()
        : await q.where('lead_id', 'in', [...leadIds]).execute();
  return rows.map((r) => r.id);
}

/** Sets one row's text: null where the column allows it, else the ciphertext of an empty text. */
export async function clearText(db: Executor, text: LinkedText, rowId: string, emptyCiphertext: string | null): Promise<void> {
  await db
    .updateTable(text.table)
    .set({ [text.column]: emptyCiphertext })
    .where('id', '=', rowId)
    .execute();
}
