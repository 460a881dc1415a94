import type { Executor } from '../../platform/db/database.js';

/** For each of these staff, how many unfinished service requests are assigned to them (absent: none). */
export async function openRequestCounts(db: Executor, staffIds: readonly string[]): Promise<Map<string, number>> {
  if (staffIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('service_requests')
    .select((eb) => ['assignee_id', eb.fn.countAll<string | number>().as('n')])
    .where('assignee_id', 'in', staffIds)
    .where('status', 'in', ['requested', 'in_review', 'approved', 'in_progress'])
    .groupBy('assignee_id')
    .execute();
  return new Map(rows.flatMap((r) => (r.assignee_id === null ? [] : [[r.assignee_id, Number(r.n)] as const])));
}
