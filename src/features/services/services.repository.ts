import type { Updateable } from 'kysely';
import type { LinkedText } from '../../platform/crypto/text-purge.js';
import type { Executor } from '../../platform/db/database.js';
import type {
  CaseAccommodationTable,
  FeeWaiverTable,
  ServiceDocumentTable,
  ServiceRequestTable,
  ServiceSignatureTable,
  ServiceTypeTable,
} from '../../platform/db/tables/services.js';

// ---------------------------------------------------------------------------------------------
// The catalogue
// ---------------------------------------------------------------------------------------------

export async function listServiceTypes(db: Executor): Promise<ServiceTypeTable[]> {
  return db.selectFrom('service_types').selectAll().orderBy('code').execute();
}

export async function findServiceType(db: Executor, code: string): Promise<ServiceTypeTable | undefined> {
  return db.selectFrom('service_types').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Inserts the types the catalogue does not have yet; answers how many it added (a type an admin changed is left as it is). */
export async function insertMissingServiceTypes(db: Executor, rows: readonly ServiceTypeTable[]): Promise<number> {
  let added = 0;
  for (const row of rows) {
    const result = await db
      .insertInto('service_types')
      .values(row)
      .onConflict((oc) => oc.column('code').doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return added;
}

/** Changes a type if it still has the version the caller read; false when it changed meanwhile. */
export async function updateServiceType(
  db: Executor,
  code: string,
  expectedVersion: number,
  changes: Omit<Updateable<ServiceTypeTable>, 'code' | 'version'>,
): Promise<boolean> {
  const result = await db
    .updateTable('service_types')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('code', '=', code)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

export async function insertRequest(db: Executor, row: ServiceRequestTable): Promise<void> {
  await db.insertInto('service_requests').values(row).execute();
}

export async function findRequest(db: Executor, id: string): Promise<ServiceRequestTable | undefined> {
  return db.selectFrom('service_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Changes a request if it still has the version the caller read; false when it changed meanwhile. */
export async function updateRequest(
  db: Executor,
  id: string,
  expectedVersion: number,
  changes: Omit<Updateable<ServiceRequestTable>, 'id' | 'version'>,
): Promise<boolean> {
  const result = await db
    .updateTable('service_requests')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The filters of the request list; all given ones must match. */
export interface RequestFilter {
  branchId?: string;
  caseId?: string;
  caseIds?: readonly string[];
  types?: readonly string[];
  status?: ServiceRequestTable['status'];
  statuses?: readonly ServiceRequestTable['status'][];
  type?: string;
  /** Open requests whose time ended before this instant. */
  overdueAt?: string;
  assigneeId?: string;
  after?: { dueAt: string; id: string };
  limit: number;
}

/** A page of requests, the earliest due first. */
export async function pageRequests(db: Executor, f: RequestFilter): Promise<ServiceRequestTable[]> {
  let q = db.selectFrom('service_requests').selectAll();
  if (f.branchId !== undefined) q = q.where('branch_id', '=', f.branchId);
  if (f.caseId !== undefined) q = q.where('case_id', '=', f.caseId);
  if (f.caseIds !== undefined) {
    if (f.caseIds.length === 0) return [];
    q = q.where('case_id', 'in', [...f.caseIds]);
  }
  if (f.types !== undefined) {
    if (f.types.length === 0) return [];
    q = q.where('type_code', 'in', [...f.types]);
  }
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.statuses !== undefined && f.statuses.length > 0) q = q.where('status', 'in', [...f.statuses]);
  if (f.type !== undefined) q = q.where('type_code', '=', f.type);
  if (f.assigneeId !== undefined) q = q.where('assignee_id', '=', f.assigneeId);
  if (f.overdueAt !== undefined) {
    q = q.where('status', 'not in', ['rejected', 'completed', 'cancelled']).where('due_at', '<', f.overdueAt);
  }
  const after = f.after;
  if (after) q = q.where((eb) => eb(eb.refTuple('due_at', 'id'), '>', eb.tuple(after.dueAt, after.id)));
  return q.orderBy('due_at').orderBy('id').limit(f.limit).execute();
}

/** Every request of a case, oldest first (the timeline, the case page). */
export async function requestsOfCase(db: Executor, caseId: string): Promise<ServiceRequestTable[]> {
  return db.selectFrom('service_requests').selectAll().where('case_id', '=', caseId).orderBy('requested_at').orderBy('id').execute();
}

/** True when some request uses the type (a type in use is switched off, never deleted). */
export async function typeInUse(db: Executor, code: string): Promise<boolean> {
  const row = await db.selectFrom('service_requests').select('id').where('type_code', '=', code).limit(1).executeTakeFirst();
  return row !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Documents and signatures
// ---------------------------------------------------------------------------------------------

export async function documentsOf(db: Executor, requestId: string): Promise<ServiceDocumentTable[]> {
  return db.selectFrom('service_documents').selectAll().where('request_id', '=', requestId).orderBy('ticked_at').execute();
}

export async function findDocument(db: Executor, requestId: string, itemCode: string): Promise<ServiceDocumentTable | undefined> {
  return db
    .selectFrom('service_documents')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('item_code', '=', itemCode)
    .executeTakeFirst();
}

/** Ticks an item (or replaces its tick and scan). */
export async function saveDocument(db: Executor, row: ServiceDocumentTable): Promise<void> {
  await db.deleteFrom('service_documents').where('request_id', '=', row.request_id).where('item_code', '=', row.item_code).execute();
  await db.insertInto('service_documents').values(row).execute();
}

export async function insertSignature(db: Executor, row: ServiceSignatureTable): Promise<void> {
  await db.insertInto('service_signatures').values(row).execute();
}

/** A request's signatures, newest first. */
export async function signaturesOf(db: Executor, requestId: string): Promise<ServiceSignatureTable[]> {
  return db
    .selectFrom('service_signatures')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('signed_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Fee waivers and accommodations
// ---------------------------------------------------------------------------------------------

export async function insertWaiver(db: Executor, row: FeeWaiverTable): Promise<void> {
  await db
    .insertInto('fee_waivers')
    .values(row)
    .onConflict((oc) => oc.column('request_id').doNothing())
    .execute();
}

/** The waivers of a customer that may be in force on the day (the rule decides: domain/service-catalogue.ts). */
export async function waiversOfCustomer(db: Executor, customerId: string, day: string): Promise<FeeWaiverTable[]> {
  return db
    .selectFrom('fee_waivers')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('valid_from', '<=', day)
    .where('valid_until', '>=', day)
    .orderBy('account_id')
    .orderBy('fee_type')
    .execute();
}

/** The waivers of a case (the case page, closing). */
export async function waiversOfCase(db: Executor, caseId: string): Promise<FeeWaiverTable[]> {
  return db.selectFrom('fee_waivers').selectAll().where('case_id', '=', caseId).orderBy('valid_from').execute();
}

/** Ends the waivers of a case on a day (those running past it). */
export async function endWaiversOfCase(db: Executor, caseId: string, day: string): Promise<number> {
  const result = await db
    .updateTable('fee_waivers')
    .set({ ended_on: day })
    .where('case_id', '=', caseId)
    .where('valid_until', '>', day)
    .where((eb) => eb.or([eb('ended_on', 'is', null), eb('ended_on', '>', day)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function findAccommodations(db: Executor, caseId: string): Promise<CaseAccommodationTable | undefined> {
  return db.selectFrom('case_accommodations').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

export async function saveAccommodations(db: Executor, row: CaseAccommodationTable): Promise<void> {
  await db
    .insertInto('case_accommodations')
    .values(row)
    .onConflict((oc) => oc.column('case_id').doUpdateSet({ codes: row.codes, updated_at: row.updated_at, updated_by: row.updated_by }))
    .execute();
}

/** The encrypted texts of a case's service requests (retention clears them with it). */
export const SERVICE_CASE_TEXTS = [
  { table: 'service_requests', column: 'note_enc', nullable: true, by: 'case_id' },
  { table: 'service_requests', column: 'decision_reason_enc', nullable: true, by: 'case_id' },
  { table: 'service_requests', column: 'outcome_enc', nullable: true, by: 'case_id' },
  { table: 'service_requests', column: 'cancel_reason_enc', nullable: true, by: 'case_id' },
] as const satisfies readonly LinkedText[];

/** The encrypted texts kept per request of a case: scans and signatures (retention clears them by the case's requests). */
export const SERVICE_REQUEST_TEXTS = [
  { table: 'service_documents', column: 'file_name_enc', nullable: true, by: 'request_id' },
  { table: 'service_documents', column: 'content_enc', nullable: true, by: 'request_id' },
  { table: 'service_signatures', column: 'summary_enc', nullable: false, by: 'request_id' },
  { table: 'service_signatures', column: 'image_enc', nullable: true, by: 'request_id' },
] as const satisfies readonly LinkedText[];

/** The requests that were open at some time of a period: requested before its end, not finished before its start. */
export async function requestTimings(db: Executor, q: { fromInstant: string; untilInstant: string; branchId: string | null }) {
  let query = db
    .selectFrom('service_requests')
    .select(['type_code', 'status', 'requested_at', 'due_at', 'decided_at', 'completed_at', 'cancelled_at'])
    .where('requested_at', '<', q.untilInstant)
    .where((eb) =>
      eb.or([
        eb('due_at', '>=', q.fromInstant),
        eb('completed_at', '>=', q.fromInstant),
        eb('decided_at', '>=', q.fromInstant),
        eb.and([eb('completed_at', 'is', null), eb('cancelled_at', 'is', null)]),
      ]),
    );
  if (q.branchId !== null) query = query.where('branch_id', '=', q.branchId);
  return query.execute();
}
