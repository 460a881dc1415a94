import type { Executor } from '../../platform/db/database.js';
import type { ServiceDocumentTable } from '../../platform/db/tables/services.js';

// The document checklist's ticks and scans, and the voiding of signatures (P6.1.1, P6.1.2).

/** Unticks an item: its tick and its scan go (the audit trail keeps that it was there). */
export async function deleteDocument(db: Executor, requestId: string, itemCode: string): Promise<number> {
  const result = await db
    .deleteFrom('service_documents')
    .where('request_id', '=', requestId)
    .where('item_code', '=', itemCode)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Stores the scan of a ticked item (replacing one uploaded before). */
export async function saveScan(
  db: Executor,
  id: string,
  scan: Pick<
    ServiceDocumentTable,
    'file_name_enc' | 'content_type' | 'size_bytes' | 'sha256' | 'content_enc' | 'uploaded_by' | 'uploaded_at'
  >,
): Promise<void> {
  await db.updateTable('service_documents').set(scan).where('id', '=', id).execute();
}

/** Voids one signature that is still valid, with the reason; false when it was voided already. */
export async function voidSignature(db: Executor, id: string, at: string, by: string, reason: string): Promise<boolean> {
  const result = await db
    .updateTable('service_signatures')
    .set({ voided_at: at, voided_by: by, void_reason: reason })
    .where('id', '=', id)
    .where('voided_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
