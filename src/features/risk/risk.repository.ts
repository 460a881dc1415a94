import type { Executor } from '../../platform/db/database.js';
import type { RiskAssessmentTable, RiskMeasureTable } from '../../platform/db/tables/risk.js';
import type { LinkedText } from '../../platform/crypto/text-purge.js';

/** A case's assessment, if one was saved. */
export async function findAssessment(db: Executor, caseId: string): Promise<RiskAssessmentTable | undefined> {
  return db.selectFrom('risk_assessments').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

/** Inserts a case's first assessment, or replaces it if it still has `expectedVersion`; false when it changed meanwhile. */
export async function saveAssessment(db: Executor, row: RiskAssessmentTable, expectedVersion: number | null): Promise<boolean> {
  if (expectedVersion === null) {
    const r = await db
      .insertInto('risk_assessments')
      .values(row)
      .onConflict((oc) => oc.column('case_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }
  const { id: _id, case_id: _case, ...changes } = row;
  const r = await db
    .updateTable('risk_assessments')
    .set(changes)
    .where('case_id', '=', row.case_id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The measures of a case, oldest first. */
export async function measuresOfCase(db: Executor, caseId: string): Promise<RiskMeasureTable[]> {
  return db.selectFrom('risk_measures').selectAll().where('case_id', '=', caseId).orderBy('proposed_at').orderBy('id').execute();
}

/** One measure. */
export async function findMeasure(db: Executor, id: string): Promise<RiskMeasureTable | undefined> {
  return db.selectFrom('risk_measures').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertMeasure(db: Executor, row: RiskMeasureTable): Promise<void> {
  await db.insertInto('risk_measures').values(row).execute();
}

/** Moves a measure on from `from`; false when it was no longer there (a concurrent decision). */
export async function setMeasureStatus(
  db: Executor,
  id: string,
  from: RiskMeasureTable['status'],
  change: Pick<RiskMeasureTable, 'status'> & Partial<Pick<RiskMeasureTable, 'decided_by' | 'decided_at' | 'instruction_id'>>,
): Promise<boolean> {
  const r = await db.updateTable('risk_measures').set(change).where('id', '=', id).where('status', '=', from).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The encrypted texts of the risk feature, cleared with the case (retention, P5.3). */
export const RISK_CASE_TEXTS = [
  { table: 'risk_assessments', column: 'notes_enc', nullable: true, by: 'case_id' },
] as const satisfies readonly LinkedText[];
