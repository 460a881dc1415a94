import type { Executor } from '../../platform/db/database.js';
import type { StaffAwayTable } from '../../platform/db/tables/staff.js';

/** A staff member's away period, if one is recorded. */
export async function findAway(db: Executor, staffId: string): Promise<StaffAwayTable | undefined> {
  return db.selectFrom('staff_away').selectAll().where('staff_id', '=', staffId).executeTakeFirst();
}

/** Records or replaces a staff member's away period. */
export async function upsertAway(db: Executor, row: StaffAwayTable): Promise<void> {
  await db
    .insertInto('staff_away')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('staff_id')
        .doUpdateSet({ from_on: row.from_on, until_on: row.until_on, note: row.note, set_by: row.set_by, set_at: row.set_at }),
    )
    .execute();
}

/** Removes a staff member's away period (answers whether there was one). */
export async function deleteAway(db: Executor, staffId: string): Promise<boolean> {
  const r = await db.deleteFrom('staff_away').where('staff_id', '=', staffId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Of these staff, those away on the day. */
export async function findAwayOn(db: Executor, staffIds: readonly string[], day: string): Promise<string[]> {
  if (staffIds.length === 0) return [];
  const rows = await db
    .selectFrom('staff_away')
    .select('staff_id')
    .where('staff_id', 'in', staffIds)
    .where('from_on', '<=', day)
    .where('until_on', '>=', day)
    .execute();
  return rows.map((r) => r.staff_id);
}
