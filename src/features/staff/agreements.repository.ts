import type { Executor } from '../../platform/db/database.js';
import type { StaffAgreementTable } from '../../platform/db/tables/staff.js';

export async function insertAgreement(db: Executor, row: StaffAgreementTable): Promise<void> {
  await db.insertInto('staff_agreements').values(row).execute();
}

/** True when the staff member has an agreement in force on the day (YYYY-MM-DD). */
export async function hasAgreementOn(db: Executor, staffId: string, day: string): Promise<boolean> {
  const row = await db
    .selectFrom('staff_agreements')
    .select('id')
    .where('staff_id', '=', staffId)
    .where('signed_on', '<=', day)
    .where('expires_on', '>=', day)
    .executeTakeFirst();
  return row !== undefined;
}

/** The latest agreement (by expiry) of each of these staff members. */
export async function latestAgreements(db: Executor, staffIds: readonly string[]): Promise<Map<string, StaffAgreementTable>> {
  const out = new Map<string, StaffAgreementTable>();
  if (staffIds.length === 0) return out;
  const rows = await db.selectFrom('staff_agreements').selectAll().where('staff_id', 'in', staffIds).orderBy('expires_on').execute();
  for (const r of rows) out.set(r.staff_id, r);
  return out;
}
