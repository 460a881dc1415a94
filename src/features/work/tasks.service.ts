import { contactReachedCustomer, isContactDuty, isRecurringKind } from '../../domain/duties.js';
import { type AuditActor, recordAudit } from '../../platform/audit/audit.service.js';
import type { Executor } from '../../platform/db/database.js';
import type { WorkTaskTable } from '../../platform/db/tables/work.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import type { CaseFacts } from '../case-access/case-access.service.js';
import { countOpenTasksOfRequest, insertTask, markTaskDone, openDutyTasks, openTaskIdsOfRequest } from './work.repository.js';
import { cancelOpenTasks } from './upkeep.service.js';
import type { CompleteInput, InteractionInput } from './work.schemas.js';
import {
  accessTo,
  CONTACT_KINDS,
  findTaskRecord,
  interactionView,
  invalid,
  notifyTaskAssigned,
  reloadInteraction,
  reloadTask,
  seal,
  taskRow,
  taskView,
  workAccess,
} from './work.service.js';
import { dutyKey, syncDutiesForCase } from './duties.service.js';
import { recordInteractionRow } from './interactions.service.js';

/**
 * Marks an open task done and, for a recurring duty, dates the next one at once (answers its id).
 * The one way a task is completed, whether by its assignee or by the contact that did it.
 */
async function finishTask(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  facts: CaseFacts,
  task: Pick<WorkTaskTable, 'id' | 'case_id' | 'kind'>,
  done: { note?: string | undefined; interactionId: string | null; via: 'completion' | 'contact' },
): Promise<{ nextId: string | null }> {
  const marked = await markTaskDone(db, task.id, {
    completed_at: ctx.now().toISOString(),
    completed_by: actor.id,
    completion_note_enc: seal(ctx, 'work_tasks', 'completion_note_enc', task.id, done.note),
    interaction_id: done.interactionId,
  });
  if (!marked) throw new AppError('CONFLICT', 'the task was completed or cancelled meanwhile');
  await recordAudit(
    db,
    actor,
    {
      action: 'work.task_completed',
      target: { type: 'work_task', id: task.id },
      branchId: facts.branchId,
      detail: { caseId: task.case_id, kind: task.kind, interactionId: done.interactionId, via: done.via },
    },
    ctx.now(),
  );
  const kind = task.kind;
  if (!isRecurringKind(kind)) return { nextId: null };
  await syncDutiesForCase(ctx, db, task.case_id);
  const key = dutyKey(task.case_id, actor.id, kind);
  return { nextId: (await openDutyTasks(db, task.case_id)).find((o) => o.duty_key === key)?.id ?? null };
}

/**
 * Completes one of the actor's open tasks. A contact or follow-up call is done by a contact with
 * the customer, so it needs the interaction, which is recorded with it; a recurring duty's next
 * task is dated at once. A contact that did not reach the customer is recorded against the task,
 * which stays open (docs/work.md): the duty is to reach them.
 */
export async function completeTask(ctx: AppContext, db: Executor, actor: Actor, taskId: string, input: CompleteInput) {
  const t = await findTaskRecord(db, taskId);
  if (!t || t.assignee_id !== actor.id) throw new AppError('NOT_FOUND', 'no such task among yours');
  const access = await accessTo(ctx, db, actor, t.case_id);
  if (t.status !== 'open') throw new AppError('CONFLICT', `the task is ${t.status}`);
  if (access.facts.status !== 'active') throw new AppError('CONFLICT', `the case is ${access.facts.status}`);
  const needsContact = CONTACT_KINDS.includes(t.kind);
  if (needsContact && input.interaction === undefined) throw invalid('body.interaction', 'completing a contact records the contact');
  if (!needsContact && input.interaction !== undefined) throw invalid('body.interaction', 'only contact tasks record an interaction');
  const reached = input.interaction === undefined || contactReachedCustomer(input.interaction.outcome);
  if (!reached && input.note !== undefined)
    throw invalid('body.note', 'a contact that did not reach the customer leaves the task open: write in the contact’s notes');
  const interaction = input.interaction ? await recordInteractionRow(ctx, db, actor, access.facts, input.interaction, t.id) : null;
  const { nextId } = reached
    ? await finishTask(ctx, db, actor, access.facts, t, { note: input.note, interactionId: interaction?.id ?? null, via: 'completion' })
    : { nextId: null };
  return {
    task: await taskView(ctx, db, actor, await reloadTask(db, t.id), access.full),
    interaction: interaction
      ? await interactionView(ctx, db, actor, await reloadInteraction(db, interaction.id), access.facts.branchId, access.full)
      : null,
    next: nextId === null ? null : await taskView(ctx, db, actor, await reloadTask(db, nextId), false),
  };
}

/**
 * Records a contact with the customer on the case page. One that reached the customer does the
 * recorder's own open contact duties on the case (P3.2.1 regular contact, P3.2.5 follow-up call),
 * which are completed with it and their next ones dated; an unreached one is recorded and leaves
 * them open. A need raised in it is forwarded as a task.
 */
export async function recordContact(ctx: AppContext, db: Executor, actor: Actor, caseId: string, input: InteractionInput) {
  const { facts } = await workAccess(ctx, db, actor, caseId);
  const duties = contactReachedCustomer(input.outcome)
    ? (await openDutyTasks(db, caseId)).filter((t) => t.assignee_id === actor.id && isContactDuty(t.kind))
    : [];
  const { id, forwardedTaskId } = await recordInteractionRow(ctx, db, actor, facts, input, duties[0]?.id ?? null, 'body');
  const nextIds: string[] = [];
  for (const duty of duties) {
    const { nextId } = await finishTask(ctx, db, actor, facts, duty, { interactionId: id, via: 'contact' });
    if (nextId !== null) nextIds.push(nextId);
  }
  const view = await interactionView(ctx, db, actor, await reloadInteraction(db, id), facts.branchId, true);
  const forwardedTask = forwardedTaskId === null ? null : await taskView(ctx, db, actor, await reloadTask(db, forwardedTaskId), true);
  const completedTasks = [];
  for (const duty of duties) completedTasks.push(await taskView(ctx, db, actor, await reloadTask(db, duty.id), true));
  const nextTasks = [];
  for (const nextId of nextIds) nextTasks.push(await taskView(ctx, db, actor, await reloadTask(db, nextId), false));
  return { ...view, forwardedTask, completedTasks, nextTasks };
}

/**
 * A task executing part of an approved service request (e.g. one move of a wealth re-plan for
 * operations, P4.3.1), created by whoever approved it; the note says what to do and is sealed.
 */
export async function createServiceStepTask(
  ctx: AppContext,
  db: Executor,
  by: AuditActor,
  input: { facts: Pick<CaseFacts, 'id' | 'caseNumber' | 'branchId'>; requestId: string; assigneeId: string; dueOn: string; note: string },
): Promise<{ id: string }> {
  const row = taskRow(ctx, {
    case_id: input.facts.id,
    assignee_id: input.assigneeId,
    kind: 'service_step',
    due_on: input.dueOn,
    created_by: by.id,
    note: input.note,
    service_request_id: input.requestId,
  });
  await insertTask(db, row);
  await recordAudit(
    db,
    by,
    {
      action: 'work.task_created',
      target: { type: 'work_task', id: row.id },
      branchId: input.facts.branchId,
      detail: { caseId: input.facts.id, kind: 'service_step', assigneeId: input.assigneeId, serviceRequestId: input.requestId },
    },
    ctx.now(),
  );
  await notifyTaskAssigned(ctx, db, by, row, input.facts);
  return { id: row.id };
}

/** How many of a service request's tasks are still open. */
export async function openServiceStepTasks(db: Executor, requestId: string): Promise<number> {
  return countOpenTasksOfRequest(db, requestId);
}

/** Cancels a service request's open tasks when the request itself is withdrawn (answers how many). */
export async function cancelServiceStepTasks(ctx: AppContext, db: Executor, by: AuditActor, requestId: string): Promise<number> {
  return cancelOpenTasks(ctx, db, by, await openTaskIdsOfRequest(db, requestId), 'service_request_cancelled');
}
