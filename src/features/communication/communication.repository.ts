import type { LinkedText } from '../../platform/crypto/text-purge.js';
import type { Executor } from '../../platform/db/database.js';
import type {
  CaseMeetingTable,
  CaseMessageTable,
  MeetingActionItemTable,
  NotificationTable,
  StaffContactTable,
} from '../../platform/db/tables/communication.js';

export async function insertMessage(db: Executor, row: CaseMessageTable): Promise<void> {
  await db.insertInto('case_messages').values(row).execute();
}

/** A page of a case's messages, oldest first, after the id `afterId`. */
export async function listMessages(
  db: Executor,
  caseId: string,
  q: { afterId?: string; limit: number },
): Promise<(CaseMessageTable & { author_username: string; author_name: string })[]> {
  let query = db
    .selectFrom('case_messages')
    .innerJoin('staff', 'staff.id', 'case_messages.author_id')
    .selectAll('case_messages')
    .select(['staff.username as author_username', 'staff.display_name as author_name'])
    .where('case_messages.case_id', '=', caseId);
  if (q.afterId) query = query.where('case_messages.id', '>', q.afterId);
  return query.orderBy('case_messages.id').limit(q.limit).execute();
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

export async function insertNotification(db: Executor, row: NotificationTable): Promise<void> {
  await db.insertInto('notifications').values(row).execute();
}

/** A page of one recipient's notifications, newest first. */
export async function listNotifications(
  db: Executor,
  recipientId: string,
  q: { unreadOnly: boolean; beforeId?: string; limit: number },
): Promise<(NotificationTable & { actor_name: string })[]> {
  let query = db
    .selectFrom('notifications')
    .innerJoin('staff', 'staff.id', 'notifications.actor_id')
    .selectAll('notifications')
    .select('staff.display_name as actor_name')
    .where('notifications.recipient_id', '=', recipientId);
  if (q.unreadOnly) query = query.where('notifications.read_at', 'is', null);
  if (q.beforeId) query = query.where('notifications.id', '<', q.beforeId);
  return query.orderBy('notifications.id', 'desc').limit(q.limit).execute();
}

export async function countUnread(db: Executor, recipientId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('recipient_id', '=', recipientId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Marks one of the recipient's notifications read; false when there is no such notification of theirs. */
export async function markRead(db: Executor, recipientId: string, id: string, at: string): Promise<boolean> {
  const exists = await db
    .selectFrom('notifications')
    .select('id')
    .where('id', '=', id)
    .where('recipient_id', '=', recipientId)
    .executeTakeFirst();
  if (!exists) return false;
  await db.updateTable('notifications').set({ read_at: at }).where('id', '=', id).where('read_at', 'is', null).execute();
  return true;
}

/** Marks all of the recipient's notifications read; answers how many changed. */
export async function markAllRead(db: Executor, recipientId: string, at: string): Promise<number> {
  const res = await db
    .updateTable('notifications')
    .set({ read_at: at })
    .where('recipient_id', '=', recipientId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function findContact(db: Executor, staffId: string): Promise<StaffContactTable | undefined> {
  return db.selectFrom('staff_contacts').selectAll().where('staff_id', '=', staffId).executeTakeFirst();
}

/** Sets or clears a staff member's e-mail address. */
export async function upsertContact(db: Executor, row: StaffContactTable | { staff_id: string; email: null }): Promise<void> {
  await db.deleteFrom('staff_contacts').where('staff_id', '=', row.staff_id).execute();
  if (row.email !== null) await db.insertInto('staff_contacts').values(row).execute();
}

/** The encrypted texts of a case's thread, minutes and action items (retention clears them with it). */
export const COMMUNICATION_CASE_TEXTS = [
  { table: 'case_messages', column: 'body_enc', nullable: false, by: 'case_id' },
  { table: 'case_meetings', column: 'minutes_enc', nullable: false, by: 'case_id' },
  { table: 'meeting_action_items', column: 'title_enc', nullable: false, by: 'case_id' },
] as const satisfies readonly LinkedText[];
