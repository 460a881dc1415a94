import type { LinkedText } from '../../platform/crypto/text-purge.js';
import type { Executor } from '../../platform/db/database.js';
import type { WorkInteractionTable, WorkTaskTable } from '../../platform/db/tables/work.js';

/**
 * A task with what its views show beside it. The case number, customer name and staff names are
 * read by join: read-only, and "my work" across hundreds of cases cannot ask the cases feature's
 * service once per row (the cases repository does the same).
 */
export interface TaskRecord extends WorkTaskTable {
  case_number: string;
  case_status: string;
  case_branch_id: string;
  customer_name: string;
  assignee_name: string | null;
  created_by_name: string | null;
  completed_by_name: string | null;
}

/** An interaction with its recorder's name. */
export interface InteractionRecord extends WorkInteractionTable {
  recorded_by_name: string | null;
}

function taskQuery(db: Executor) {
  return db
    .selectFrom('work_tasks')
    .innerJoin('cases', 'cases.id', 'work_tasks.case_id')
    .innerJoin('customers', 'customers.id', 'cases.customer_id')
    .leftJoin('staff as assignee', 'assignee.id', 'work_tasks.assignee_id')
    .leftJoin('staff as creator', 'creator.id', 'work_tasks.created_by')
    .leftJoin('staff as completer', 'completer.id', 'work_tasks.completed_by')
    .selectAll('work_tasks')
    .select([
      'cases.case_number as case_number',
      'cases.status as case_status',
      'cases.branch_id as case_branch_id',
      'customers.name as customer_name',
      'assignee.display_name as assignee_name',
      'creator.display_name as created_by_name',
      'completer.display_name as completed_by_name',
    ]);
}

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

/** One task with its names. */
export async function findTask(db: Executor, id: string): Promise<TaskRecord | undefined> {
  return taskQuery(db).where('work_tasks.id', '=', id).executeTakeFirst();
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

/** A page of one assignee's tasks by due date, on cases that are still active. */
export async function pageTasksOfAssignee(
  db: Executor,
  f: {
    assigneeId: string;
    status: WorkTaskTable['status'];
    dueBefore?: string;
    dueFrom?: string;
    dueTo?: string;
    after?: { dueOn: string; id: string };
    limit: number;
  },
): Promise<TaskRecord[]> {
  let q = taskQuery(db)
    .where('work_tasks.assignee_id', '=', f.assigneeId)
    .where('work_tasks.status', '=', f.status)
    .where('cases.status', '=', 'active');
  if (f.dueBefore !== undefined) q = q.where('work_tasks.due_on', '<', f.dueBefore);
  if (f.dueFrom !== undefined) q = q.where('work_tasks.due_on', '>=', f.dueFrom);
  if (f.dueTo !== undefined) q = q.where('work_tasks.due_on', '<=', f.dueTo);
  const after = f.after;
  if (after !== undefined) {
    q = q.where((eb) =>
      eb.or([
        eb('work_tasks.due_on', '>', after.dueOn),
        eb.and([eb('work_tasks.due_on', '=', after.dueOn), eb('work_tasks.id', '>', after.id)]),
      ]),
    );
  }
  return q.orderBy('work_tasks.due_on').orderBy('work_tasks.id').limit(f.limit).execute();
}

/** Every task of a case, oldest first. */
export async function tasksOfCase(db: Executor, caseId: string): Promise<TaskRecord[]> {
  return taskQuery(db).where('work_tasks.case_id', '=', caseId).orderBy('work_tasks.created_at').orderBy('work_tasks.id').execute();
}

/** Inserts an interaction. */
export async function insertInteraction(db: Executor, row: WorkInteractionTable): Promise<void> {
  await db.insertInto('work_interactions').values(row).execute();
}

/** Links the task a need was forwarded as to its interaction. */
export async function setForwardedTask(db: Executor, interactionId: string, taskId: string): Promise<void> {
  await db.updateTable('work_interactions').set({ forwarded_task_id: taskId }).where('id', '=', interactionId).execute();
}

function interactionQuery(db: Executor) {
  return db
    .selectFrom('work_interactions')
    .leftJoin('staff as recorder', 'recorder.id', 'work_interactions.recorded_by')
    .selectAll('work_interactions')
    .select('recorder.display_name as recorded_by_name');
}

/** One interaction with its recorder's name. */
export async function findInteraction(db: Executor, id: string): Promise<InteractionRecord | undefined> {
  return interactionQuery(db).where('work_interactions.id', '=', id).executeTakeFirst();
}

/** A page of a case's interactions, newest first. */
export async function pageInteractions(
  db: Executor,
  f: { caseId: string; before?: { at: string; id: string }; limit: number },
): Promise<InteractionRecord[]> {
  let q = interactionQuery(db).where('work_interactions.case_id', '=', f.caseId);
  const before = f.before;
  if (before !== undefined) {
    q = q.where((eb) =>
      eb.or([
        eb('work_interactions.occurred_at', '<', before.at),
        eb.and([eb('work_interactions.occurred_at', '=', before.at), eb('work_interactions.id', '<', before.id)]),
      ]),
    );
  }
  return q.orderBy('work_interactions.occurred_at', 'desc').orderBy('work_interactions.id', 'desc').limit(f.limit).execute();
}

/** Every interaction of a case, oldest first. */
export async function interactionsOfCase(db: Executor, caseId: string): Promise<InteractionRecord[]> {
  return interactionQuery(db)
    .where('work_interactions.case_id', '=', caseId)
    .orderBy('work_interactions.occurred_at')
    .orderBy('work_interactions.id')
    .execute();
}

/**
 * The cases the daily duty run looks at: active cases with a team, and cases with open generated
 * tasks (which may have to be cancelled). Read-only joins of the cases and teams tables.
 */
export async function casesForDutyRun(db: Executor): Promise<string[]> {
  const teamed = await db
    .selectFrom('case_team_members')
    .innerJoin('cases', 'cases.id', 'case_team_members.case_id')
    .select('case_team_members.case_id as id')
    .where('case_team_members.removed_at', 'is', null)
    .where('cases.status', '=', 'active')
    .distinct()
    .execute();
  const open = await db
    .selectFrom('work_tasks')
    .select('case_id as id')
    .where('status', '=', 'open')
    .where('duty_key', 'is not', null)
    .distinct()
    .execute();
  return [...new Set([...teamed, ...open].map((r) => r.id))].sort();
}

/** The status of a case (read-only; the duty run needs it without an actor). */
export async function caseStatus(db: Executor, caseId: string): Promise<string | undefined> {
  const row = await db.selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirst();
  return row?.status;
}

/** Open tasks due before `today` on active cases, counted per assignee (those without any are left out). */
export async function countOverdueByAssignee(db: Executor, staffIds: readonly string[], today: string): Promise<Map<string, number>> {
  if (staffIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('work_tasks')
    .innerJoin('cases', 'cases.id', 'work_tasks.case_id')
    .select((eb) => ['work_tasks.assignee_id as staffId', eb.fn.countAll().as('n')])
    .where('work_tasks.assignee_id', 'in', [...staffIds])
    .where('work_tasks.status', '=', 'open')
    .where('work_tasks.due_on', '<', today)
    .where('cases.status', '=', 'active')
    .groupBy('work_tasks.assignee_id')
    .execute();
  return new Map(rows.map((r) => [r.staffId, Number(r.n)]));
}

/** The encrypted texts of tasks and interactions about a case (retention clears them with it). */
export const WORK_CASE_TEXTS = [
  { table: 'work_tasks', column: 'note_enc', nullable: true, by: 'case_id' },
  { table: 'work_tasks', column: 'completion_note_enc', nullable: true, by: 'case_id' },
  { table: 'work_interactions', column: 'notes_enc', nullable: true, by: 'case_id' },
] as const satisfies readonly LinkedText[];
