import type { Insertable } from 'kysely';
import type { LinkedText } from '../../platform/crypto/text-purge.js';
import type { Executor } from '../../platform/db/database.js';
import type {
  CollectionContactTable,
  CollectionTreatmentTable,
  CreditAssessmentTable,
  LoanBookingTable,
  LoanWatchMarkTable,
} from '../../platform/db/tables/credit.js';

/** A case's collection treatment, if the risk officer has set one. */
export async function findTreatment(db: Executor, caseId: string) {
  return db.selectFrom('collection_treatments').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

/** Writes a case's treatment; false when `version` is no longer the stored one (someone else saved meanwhile). */
export async function saveTreatment(
  db: Executor,
  row: Insertable<CollectionTreatmentTable>,
  expectedVersion: number | null,
): Promise<boolean> {
  if (expectedVersion === null) {
    const inserted = await db
      .insertInto('collection_treatments')
      .values(row)
      .onConflict((oc) => oc.column('case_id').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const { case_id: caseId, ...changes } = row;
  const updated = await db
    .updateTable('collection_treatments')
    .set(changes)
    .where('case_id', '=', caseId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Records a collection contact. */
export async function insertContact(db: Executor, row: Insertable<CollectionContactTable>): Promise<void> {
  await db.insertInto('collection_contacts').values(row).execute();
}

/** The contacts of a case since an instant, newest first. */
export async function contactsSince(db: Executor, caseId: string, since: string) {
  return db
    .selectFrom('collection_contacts')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('contacted_at', '>', since)
    .orderBy('contacted_at', 'desc')
    .execute();
}

/** The loan watch's mark with this dedupe key, if it has raised one. */
export async function findMarkByKey(db: Executor, dedupeKey: string) {
  return db.selectFrom('loan_watch_marks').selectAll().where('dedupe_key', '=', dedupeKey).executeTakeFirst();
}

/** Records what the loan watch raised; the unique dedupe key refuses a second one for the same thing. */
export async function insertMark(db: Executor, row: Insertable<LoanWatchMarkTable>): Promise<void> {
  await db.insertInto('loan_watch_marks').values(row).execute();
}

/** Ends the open past-due marks of a loan that is no longer in arrears (so new arrears raise a task again); answers how many. */
export async function clearPastDueMarks(db: Executor, loanId: string, at: string): Promise<number> {
  const updated = await db
    .updateTable('loan_watch_marks')
    .set({ dedupe_key: null, cleared_at: at })
    .where('loan_id', '=', loanId)
    .where('kind', '=', 'past_due')
    .where('dedupe_key', 'is not', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows);
}

/** The marks of loans, newest first (the watch page shows what was raised). */
export async function marksOfLoans(db: Executor, loanIds: readonly string[]) {
  if (loanIds.length === 0) return [];
  return db.selectFrom('loan_watch_marks').selectAll().where('loan_id', 'in', loanIds).orderBy('raised_at', 'desc').execute();
}

/** The risk officer's assessment of a request, if there is one. */
export async function findAssessment(db: Executor, requestId: string): Promise<CreditAssessmentTable | undefined> {
  return db.selectFrom('credit_assessments').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

/** Stores a request's assessment, replacing an earlier one (the latest counts). */
export async function saveAssessment(db: Executor, row: CreditAssessmentTable): Promise<void> {
  const { id: _id, request_id: requestId, ...changes } = row;
  const updated = await db.updateTable('credit_assessments').set(changes).where('request_id', '=', requestId).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await db.insertInto('credit_assessments').values(row).execute();
}

/** Core banking's booking of a request, if recorded. */
export async function findBooking(db: Executor, requestId: string): Promise<LoanBookingTable | undefined> {
  return db.selectFrom('loan_bookings').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

/** Records a booking; false when one was recorded meanwhile (the caller reads it again). */
export async function insertBooking(db: Executor, row: LoanBookingTable): Promise<boolean> {
  const inserted = await db
    .insertInto('loan_bookings')
    .values(row)
    .onConflict((oc) => oc.column('request_id').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** The texts credit keeps about a case, cleared with it (retention, P5.3): the risk officers' assessment reasons. */
export const CREDIT_CASE_TEXTS = [
  { table: 'credit_assessments', column: 'reason_enc', nullable: true, by: 'case_id' },
] as const satisfies readonly LinkedText[];
