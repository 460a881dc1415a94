import type { Executor } from '../../platform/db/database.js';
import type { ProcedureStepCompletionTable, ProcedureTable, RequestProcedureTable } from '../../platform/db/tables/procedures.js';

/** Every version of a type's procedure, oldest first. */
export function procedureVersions(db: Executor, typeCode: string): Promise<ProcedureTable[]> {
  return db.selectFrom('procedures').selectAll().where('type_code', '=', typeCode).orderBy('version').execute();
}

/** One version of a type's procedure. */
export function findProcedure(db: Executor, typeCode: string, version: number): Promise<ProcedureTable | undefined> {
  return db.selectFrom('procedures').selectAll().where('type_code', '=', typeCode).where('version', '=', version).executeTakeFirst();
}

/** The types that have at least one procedure version. */
export async function typesWithProcedure(db: Executor): Promise<Set<string>> {
  const rows = await db.selectFrom('procedures').select('type_code').distinct().execute();
  return new Set(rows.map((r) => r.type_code));
}

/** Publishes a version; a version taken meanwhile is the primary key's conflict (409). */
export async function insertProcedure(db: Executor, row: ProcedureTable): Promise<void> {
  await db.insertInto('procedures').values(row).execute();
}

/** The version a request is pinned to, if it was pinned. */
export function findPin(db: Executor, requestId: string): Promise<RequestProcedureTable | undefined> {
  return db.selectFrom('request_procedures').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

/** Pins a request to a version; a pin made meanwhile (the same version: it is computed the same way) stays. */
export async function insertPin(db: Executor, row: RequestProcedureTable): Promise<void> {
  await db
    .insertInto('request_procedures')
    .values(row)
    .onConflict((oc) => oc.column('request_id').doNothing())
    .execute();
}

/** The steps taken on a request. */
export function completionsOf(db: Executor, requestId: string): Promise<ProcedureStepCompletionTable[]> {
  return db.selectFrom('procedure_step_completions').selectAll().where('request_id', '=', requestId).orderBy('completed_at').execute();
}

/** Records a step taken; the same step taken meanwhile is the primary key's conflict (409). */
export async function insertCompletion(db: Executor, row: ProcedureStepCompletionTable): Promise<void> {
  await db.insertInto('procedure_step_completions').values(row).execute();
}
