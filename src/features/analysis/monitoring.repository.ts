import type { Executor } from '../../platform/db/database.js';
import type { CustomerMonitoringTable } from '../../platform/db/tables/analysis.js';

const CHUNK = 500;

/** The stronger monitoring rows of these customers. */
export async function monitoringRows(db: Executor, customerNumbers: readonly string[]): Promise<CustomerMonitoringTable[]> {
  const out: CustomerMonitoringTable[] = [];
  for (let i = 0; i < customerNumbers.length; i += CHUNK) {
    out.push(
      ...(await db
        .selectFrom('customer_monitoring')
        .selectAll()
        .where('customer_number', 'in', customerNumbers.slice(i, i + CHUNK))
        .execute()),
    );
  }
  return out;
}

/** Sets (insert or replace) one customer's stronger monitoring. */
export async function upsertMonitoring(db: Executor, row: CustomerMonitoringTable): Promise<void> {
  await db
    .insertInto('customer_monitoring')
    .values(row)
    .onConflict((oc) =>
      oc.column('customer_number').doUpdateSet({ level: row.level, case_id: row.case_id, set_by: row.set_by, set_at: row.set_at }),
    )
    .execute();
}

/** Ends one customer's stronger monitoring. */
export async function deleteMonitoring(db: Executor, customerNumber: string): Promise<void> {
  await db.deleteFrom('customer_monitoring').where('customer_number', '=', customerNumber).execute();
}
