import type { Executor } from '../../platform/db/database.js';
import type { StaffRoleRequestTable } from '../../platform/db/tables/staff.js';

export async function insertRoleRequest(db: Executor, row: StaffRoleRequestTable): Promise<void> {
  await db.insertInto('staff_role_requests').values(row).execute();
}

export async function findRoleRequest(db: Executor, id: string): Promise<StaffRoleRequestTable | undefined> {
  return db.selectFrom('staff_role_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Role requests of one status, oldest first (pending: the queue a second administrator works through). */
export async function listRoleRequests(
  db: Executor,
  status: StaffRoleRequestTable['status'],
  limit: number,
): Promise<StaffRoleRequestTable[]> {
  return db
    .selectFrom('staff_role_requests')
    .selectAll()
    .where('status', '=', status)
    .orderBy('requested_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Withdraws the pending requests of a staff member (a newer one replaces them). */
export async function withdrawPendingRequests(db: Executor, staffId: string, at: string, by: string): Promise<void> {
  await db
    .updateTable('staff_role_requests')
    .set({ status: 'withdrawn', decided_at: at, decided_by: by })
    .where('staff_id', '=', staffId)
    .where('status', '=', 'pending')
    .execute();
}

/** Decides a pending request; false when it was decided meanwhile. */
export async function decideRoleRequest(
  db: Executor,
  id: string,
  decision: { status: 'approved' | 'rejected'; decided_by: string; decided_at: string; note: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('staff_role_requests')
    .set(decision)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
