import type { Executor } from '../../platform/db/database.js';
import type { NotificationTable, StaffContactTable } from '../../platform/db/tables/notifications.js';

/** Inserts a notification; one with a dedup key already written is skipped (answers false). */
export async function insertNotification(db: Executor, row: NotificationTable): Promise<boolean> {
  if (row.dedup_key === null) {
    await db.insertInto('notifications').values(row).execute();
    return true;
  }
  const result = await db
    .insertInto('notifications')
    .values(row)
    .onConflict((oc) => oc.column('dedup_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** A page of one recipient's notifications, newest first. */
export async function listNotifications(
  db: Executor,
  recipientId: string,
  q: { unreadOnly: boolean; beforeId?: string; limit: number },
): Promise<NotificationTable[]> {
  let query = db.selectFrom('notifications').selectAll().where('recipient_id', '=', recipientId);
  if (q.unreadOnly) query = query.where('read_at', 'is', null);
  if (q.beforeId) query = query.where('id', '<', q.beforeId);
  return query.orderBy('id', 'desc').limit(q.limit).execute();
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
