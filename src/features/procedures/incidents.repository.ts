import type { LinkedText } from '../../platform/crypto/text-purge.js';
import type { Executor } from '../../platform/db/database.js';
import type { IncidentTable } from '../../platform/db/tables/procedures.js';

/** One incident. */
export function findIncident(db: Executor, id: string): Promise<IncidentTable | undefined> {
  return db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records an incident. */
export async function insertIncident(db: Executor, row: IncidentTable): Promise<void> {
  await db.insertInto('incidents').values(row).execute();
}

/** Changes an incident if it is still at `version`; false when someone changed it meanwhile. */
export async function updateIncident(db: Executor, id: string, version: number, changes: Partial<IncidentTable>): Promise<boolean> {
  const res = await db
    .updateTable('incidents')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** A page of incidents, most recently found first, of one branch or of all. */
export function pageIncidents(
  db: Executor,
  q: { branchId?: string; status?: IncidentTable['status']; before?: { foundAt: string; id: string }; limit: number },
): Promise<IncidentTable[]> {
  let query = db.selectFrom('incidents').selectAll();
  if (q.branchId !== undefined) query = query.where('branch_id', '=', q.branchId);
  if (q.status !== undefined) query = query.where('status', '=', q.status);
  const before = q.before;
  if (before)
    query = query.where((eb) =>
      eb.or([eb('found_at', '<', before.foundAt), eb.and([eb('found_at', '=', before.foundAt), eb('id', '<', before.id)])]),
    );
  return query.orderBy('found_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
}

/** The texts of the incidents about a case, cleared with it (retention, P5.3): the record of what happened stays. */
export const INCIDENT_CASE_TEXTS = [
  { table: 'incidents', column: 'what_enc', nullable: false, by: 'case_id' },
  { table: 'incidents', column: 'root_cause_enc', nullable: true, by: 'case_id' },
  { table: 'incidents', column: 'corrective_action_enc', nullable: true, by: 'case_id' },
] as const satisfies readonly LinkedText[];
