import type { LinkedText } from '../../platform/crypto/text-purge.js';
import type { Executor } from '../../platform/db/database.js';
import type { CaseMeetingTable, CaseMessageTable, MeetingActionItemTable } from '../../platform/db/tables/communication.js';

export async function insertMessage(db: Executor, row: CaseMessageTable): Promise<void> {
  await db.insertInto('case_messages').values(row).execute();
}

/** A page of a case's messages, oldest first, after the id `afterId`. */
export async function listMessages(db: Executor, caseId: string, q: { afterId?: string; limit: number }): Promise<CaseMessageTable[]> {
  let query = db.selectFrom('case_messages').selectAll().where('case_id', '=', caseId);
  if (q.afterId) query = query.where('id', '>', q.afterId);
  return query.orderBy('id').limit(q.limit).execute();
}

export async function insertMeeting(db: Executor, row: CaseMeetingTable): Promise<void> {
  await db.insertInto('case_meetings').values(row).execute();
}

export async function insertActionItem(db: Executor, row: MeetingActionItemTable): Promise<void> {
  await db.insertInto('meeting_action_items').values(row).execute();
}

/** A case's meetings, newest first. */
export async function listMeetings(db: Executor, caseId: string, limit: number): Promise<CaseMeetingTable[]> {
  return db
    .selectFrom('case_meetings')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('held_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function listActionItems(db: Executor, meetingIds: readonly string[]): Promise<MeetingActionItemTable[]> {
  if (meetingIds.length === 0) return [];
  return db.selectFrom('meeting_action_items').selectAll().where('meeting_id', 'in', meetingIds).orderBy('id').execute();
}

/** The encrypted texts of a case's thread, minutes and action items (retention clears them with it). */
export const COMMUNICATION_CASE_TEXTS = [
  { table: 'case_messages', column: 'body_enc', nullable: false, by: 'case_id' },
  { table: 'case_meetings', column: 'minutes_enc', nullable: false, by: 'case_id' },
  { table: 'meeting_action_items', column: 'title_enc', nullable: false, by: 'case_id' },
] as const satisfies readonly LinkedText[];
