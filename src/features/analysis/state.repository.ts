import type { Executor } from '../../platform/db/database.js';

const CHUNK = 500;

/** The stored engine records of these customers, by customer number (absent: never seen). */
export async function loadStateRecords(db: Executor, customerNumbers: readonly string[]): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (let i = 0; i < customerNumbers.length; i += CHUNK) {
    const rows = await db
      .selectFrom('analysis_states')
      .select(['customer_number', 'record'])
      .where('customer_number', 'in', customerNumbers.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.set(r.customer_number, r.record);
  }
  return out;
}

/** Writes customers' engine records, replacing what was stored. */
export async function saveStateRecords(
  db: Executor,
  records: readonly { customerNumber: string; record: Uint8Array }[],
  at: string,
): Promise<void> {
  for (let i = 0; i < records.length; i += CHUNK) {
    await db
      .insertInto('analysis_states')
      .values(records.slice(i, i + CHUNK).map((r) => ({ customer_number: r.customerNumber, record: r.record, updated_at: at })))
      .onConflict((oc) =>
        oc
          .column('customer_number')
          .doUpdateSet((eb) => ({ record: eb.ref('excluded.record'), updated_at: eb.ref('excluded.updated_at') })),
      )
      .execute();
  }
}

/** Forgets every stored record (before a rebuild from the stored transactions). */
export async function clearStateRecords(db: Executor): Promise<void> {
  await db.deleteFrom('analysis_states').execute();
}
