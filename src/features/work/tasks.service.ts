import { isRecurringKind } from '../../domain/duties.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import type { Executor } from '../../platform/db/database.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { markTaskDone, openDutyTasks } from './work.repository.js';
import type { CompleteInput } from './work.schemas.js';
import {
  accessTo,
  CONTACT_KINDS,
  findTaskRecord,
  interactionView,
  invalid,
  reloadInteraction,
  reloadTask,
  seal,
  taskView,
} from './work.service.js';
import { dutyKey, syncDutiesForCase } from './duties.service.js';
import { recordInteractionRow } from './interactions.service.js';

/**
 * Completes one of the actor's open tasks. A contact or follow-up call is done by a contact with
 * the customer, so it needs the interaction, which is recorded with it; a recurring duty's next
 * task is dated at once.
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
  const interaction = input.interaction ? await recordInteractionRow(ctx, db, actor, access.facts, input.interaction, t.id) : null;
  const done = await markTaskDone(db, t.id, {
    completed_at: ctx.now().toISOString(),
    completed_by: actor.id,
    completion_note_enc: seal(ctx, 'work_tasks', 'completion_note_enc', t.id, input.note),
    interaction_id: interaction?.id ?? null,
  });
  if (!done) throw new AppError('CONFLICT', 'the task was completed or cancelled meanwhile');
  await recordAudit(
    db,
    actor,
    {
      action: 'work.task_completed',
      target: { type: 'work_task', id: t.id },
      branchId: access.facts.branchId,
      detail: { caseId: t.case_id, kind: t.kind, interactionId: interaction?.id ?? null },
    },
    ctx.now(),
  );
  let next = null;
  const kind = t.kind;
  if (isRecurringKind(kind)) {
    await syncDutiesForCase(ctx, db, t.case_id);
    const key = dutyKey(t.case_id, actor.id, kind);
    const open = (await openDutyTasks(db, t.case_id)).find((o) => o.duty_key === key);
    if (open) next = await taskView(ctx, db, actor, await reloadTask(db, open.id), false);
  }
  return {
    task: await taskView(ctx, db, actor, await reloadTask(db, t.id), access.full),
    interaction: interaction
      ? await interactionView(ctx, db, actor, await reloadInteraction(db, interaction.id), access.facts.branchId, access.full)
      : null,
    next,
  };
}
