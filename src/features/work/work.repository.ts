import { RECURRING_KINDS } from '../../domain/duties.js';
import type { LinkedText } from '../../platform/crypto/text-purge.js';
import type { Executor } from '../../platform/db/database.js';
import type { WorkInteractionTable, WorkTaskTable } from '../../platform/db/tables/work.js';

/** Inserts a task; a generated task whose duty key is already open is skipped (answers false). */
export async function insertTask(db: Executor, row: WorkTaskTable): Promise<boolean> {
  if (row.duty_key === null) {
    await db.insertInto('work_tasks').values(row).execute();
    return true;
  }
  const result = await db
    .insertInto('work_tasks')
    .values(row)
    .onConflict((oc) => oc.column('duty_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** One task. */
export async function findTask(db: Executor, id: string): Promise<WorkTaskTable | undefined> {
  return db.selectFrom('work_tasks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The open generated tasks of a case. */
export async function openDutyTasks(db: Executor, caseId: string): Promise<WorkTaskTable[]> {
  return db
    .selectFrom('work_tasks')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('status', '=', 'open')
    .where('duty_key', 'is not', null)
    .execute();
}

/** The day a kind of task was last completed on a case, if ever. */
export async function lastDoneOn(db: Executor, caseId: string, kind: WorkTaskTable['kind']): Promise<string | undefined> {
  const row = await db
    .selectFrom('work_tasks')
    .select('completed_at')
    .where('case_id', '=', caseId)
    .where('kind', '=', kind)
    .where('status', '=', 'done')
    .orderBy('completed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.completed_at?.slice(0, 10);
}

/** Closes an open task as done (answers false when it was not open any more). */
export async function markTaskDone(
  db: Executor,
  id: string,
  changes: Pick<WorkTaskTable, 'completed_at' | 'completed_by' | 'completion_note_enc' | 'interaction_id'>,
): Promise<boolean> {
  const result = await db
    .updateTable('work_tasks')
    .set({ ...changes, status: 'done', duty_key: null })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Cancels open tasks by id. */
export async function cancelTasks(db: Executor, ids: string[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('work_tasks')
    .set({ status: 'cancelled', duty_key: null, cancelled_at: at })
    .where('id', 'in', ids)
    .where('status', '=', 'open')
    .execute();
}

/** Moves an open task's due date. */
export async function setTaskDue(db: Executor, id: string, dueOn: string): Promise<void> {
  await db.updateTable('work_tasks').set({ due_on: dueOn }).where('id', '=', id).where('status', '=', 'open').execute();
}

/** The cases an assignee has tasks of this status on. */
export async function caseIdsOfAssignee(db: Executor, assigneeId: string, status: WorkTaskTable['status']): Promise<string[]> {
  const rows = await db
    .selectFrom('work_tasks')
    .select('case_id')
    .where('assignee_id', '=', assigneeId)
    .where('status', '=', status)
    .distinct()
    .execute();
  return rows.map((r) => r.case_id);
}

/** A page of one assignee's tasks on these cases by due date. */
export async function pageTasksOfAssignee(
  db: Executor,
  f: {
    assigneeId: string;
    status: WorkTaskTable['status'];
    caseIds: readonly string[];
    dueBefore?: string;
    dueFrom?: string;
    dueTo?: string;
    after?: { dueOn: string; id: string };
    limit: number;
  },
): Promise<WorkTaskTable[]> {
  if (f.caseIds.length === 0) return [];
  let q = db
    .selectFrom('work_tasks')
    .selectAll()
    .where('assignee_id', '=', f.assigneeId)
    .where('status', '=', f.status)
    .where('case_id', 'in', [...f.caseIds]);
  if (f.dueBefore !== undefined) q = q.where('due_on', '<', f.dueBefore);
  if (f.dueFrom !== undefined) q = q.where('due_on', '>=', f.dueFrom);
  if (f.dueTo !== undefined) q = q.where('due_on', '<=', f.dueTo);
  const after = f.after;
  if (after !== undefined) {
    q = q.where((eb) => eb.or([eb('due_on', '>', after.dueOn), eb.and([eb('due_on', '=', after.dueOn), eb('id', '>', after.id)])]));
  }
  return q.orderBy('due_on').orderBy('id').limit(f.limit).execute();
}

/** Every task of a case, oldest first. */
export async function tasksOfCase(db: Executor, caseId: string): Promise<WorkTaskTable[]> {
  return db.selectFrom('work_tasks').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();
}

/** Inserts an interaction. */
export async function insertInteraction(db: Executor, row: WorkInteractionTable): Promise<void> {
  await db.insertInto('work_interactions').values(row).execute();
}

/** Links the task a need was forwarded as to its interaction. */
export async function setForwardedTask(db: Executor, interactionId: string, taskId: string): Promise<void> {
  await db.updateTable('work_interactions').set({ forwarded_task_id: taskId }).where('id', '=', interactionId).execute();
}

/** One interaction. */
export async function findInteraction(db: Executor, id: string): Promise<WorkInteractionTable | undefined> {
  return db.selectFrom('work_interactions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A page of a case's interactions, newest first. */
export async function pageInteractions(
  db: Executor,
  f: { caseId: string; before?: { at: string; id: string }; limit: number },
): Promise<WorkInteractionTable[]> {
  let q = db.selectFrom('work_interactions').selectAll().where('case_id', '=', f.caseId);
  const before = f.before;
  if (before !== undefined) {
    q = q.where((eb) => eb.or([eb('occurred_at', '<', before.at), eb.and([eb('occurred_at', '=', before.at), eb('id', '<', before.id)])]));
  }
  return q.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

/** Every interaction of a case, oldest first. */
export async function interactionsOfCase(db: Executor, caseId: string): Promise<WorkInteractionTable[]> {
  return db.selectFrom('work_interactions').selectAll().where('case_id', '=', caseId).orderBy('occurred_at').orderBy('id').execute();
}

/** The cases with open generated tasks (the daily duty run may have to cancel them). */
export async function casesWithOpenDuties(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('work_tasks')
    .select('case_id')
    .where('status', '=', 'open')
    .where('duty_key', 'is not', null)
    .distinct()
    .execute();
  return rows.map((r) => r.case_id);
}

/** Open tasks due before `today`, counted per assignee and case (the caller keeps the active cases). */
export async function countOverdueByAssigneeAndCase(
  db: Executor,
  staffIds: readonly string[],
  today: string,
): Promise<{ staffId: string; caseId: string; n: number }[]> {
  if (staffIds.length === 0) return [];
  const rows = await db
    .selectFrom('work_tasks')
    .select((eb) => ['assignee_id as staffId', 'case_id as caseId', eb.fn.countAll().as('n')])
    .where('assignee_id', 'in', [...staffIds])
    .where('status', '=', 'open')
    .where('due_on', '<', today)
    .groupBy(['assignee_id', 'case_id'])
    .execute();
  return rows.map((r) => ({ staffId: r.staffId, caseId: r.caseId, n: Number(r.n) }));
}

/** The encrypted texts of tasks and interactions about a case (retention clears them with it). */
export const WORK_CASE_TEXTS = [
  { table: 'work_tasks', column: 'note_enc', nullable: true, by: 'case_id' },
  { table: 'work_tasks', column: 'completion_note_enc', nullable: true, by: 'case_id' },
  { table: 'work_tasks', column: 'title_enc', nullable: true, by: 'case_id' },
  { table: 'work_interactions', column: 'notes_enc', nullable: true, by: 'case_id' },
] as const satisfies readonly LinkedText[];

/** Tasks whose title a person wrote but which still hold it in clear (written before titles were sealed). */
export async function tasksWithPlainWrittenTitles(db: Executor, limit: number): Promise<{ id: string; title: string }[]> {
  const rows = await db
    .selectFrom('work_tasks')
    .select(['id', 'title'])
    .where('kind', '=', 'ad_hoc')
    .where('created_by', 'is not', null)
    .where('title', 'is not', null)
    .limit(limit)
    .execute();
  return rows.flatMap((r) => (r.title === null ? [] : [{ id: r.id, title: r.title }]));
}

/** Replaces a task's clear title by its ciphertext. */
export async function sealTaskTitle(db: Executor, id: string, titleEnc: string): Promise<void> {
  await db.updateTable('work_tasks').set({ title: null, title_enc: titleEnc }).where('id', '=', id).execute();
}

/** Open tasks due before `today`, a page after a task id (ids in order). */
export async function openTasksDueBefore(
  db: Executor,
  today: string,
  afterId: string | undefined,
  limit: number,
): Promise<WorkTaskTable[]> {
  let q = db.selectFrom('work_tasks').selectAll().where('status', '=', 'open').where('due_on', '<', today);
  if (afterId !== undefined) q = q.where('id', '>', afterId);
  return q.orderBy('id').limit(limit).execute();
}

/** How many tasks executing a service request are still open. */
export async function countOpenTasksOfRequest(db: Executor, requestId: string): Promise<number> {
  const row = await db
    .selectFrom('work_tasks')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('service_request_id', '=', requestId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The ids of a service request's open tasks. */
export async function openTaskIdsOfRequest(db: Executor, requestId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('work_tasks')
    .select('id')
    .where('service_request_id', '=', requestId)
    .where('status', '=', 'open')
    .execute();
  return rows.map((r) => r.id);
}

/** The generated duties due in a period (`YYYY-MM-DD` days), with their case (the indicators, P8.2.2). */
export async function dutyTimings(db: Executor, q: { from: string; to: string }) {
  return db
    .selectFrom('work_tasks')
    .select(['case_id', 'due_on', 'status', 'completed_at'])
    .where('kind', 'in', [...RECURRING_KINDS])
    .where('due_on', '>=', q.from)
    .where('due_on', '<=', q.to)
    .execute();
}
