import { z } from 'zod';
import { addDays, daysBetween } from '../../domain/case-rules.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { withSensitiveReads } from '../../platform/audit/sensitive-read.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { WorkInteractionTable } from '../../platform/db/tables/work.js';
import { type Actor, type AppContext, bankDay } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import { activeTeam, type CaseFacts } from '../case-access/case-access.service.js';
import { insertInteraction, insertTask, pageInteractions, setForwardedTask } from './work.repository.js';
import type { InteractionInput, PageQuery } from './work.schemas.js';
import {
  accessTo,
  assertAssignee,
  caseWorkScope,
  DEPARTMENT_ROLE,
  FORWARDED_NEED_DAYS,
  interactionRecords,
  interactionView,
  invalid,
  OCCURRED_AT_SKEW_MS,
  seal,
  taskRow,
  workAccess,
} from './work.service.js';

// ---------------------------------------------------------------------------------------------
// Interactions (P3.2.1, P3.2.5)
// ---------------------------------------------------------------------------------------------

/** The colleague a need goes to: the named one, else the team member of the department, else the primary customer manager. */
async function needAssignee(db: Executor, facts: CaseFacts, need: NonNullable<InteractionInput['need']>): Promise<string> {
  if (need.assigneeId !== undefined) return (await assertAssignee(db, need.assigneeId, facts.branchId, 'body.need.assigneeId')).id;
  const team = await activeTeam(db, facts.id);
  const role = DEPARTMENT_ROLE[need.department];
  const byRole = team.filter((m) => m.role === role).sort((a, b) => Number(b.primary) - Number(a.primary))[0];
  const manager = team.filter((m) => m.role === 'customer_manager').sort((a, b) => Number(b.primary) - Number(a.primary))[0];
  const chosen = byRole ?? manager;
  if (!chosen) throw invalid('body.need.assigneeId', 'the case’s team has nobody for this department: name a colleague');
  return chosen.staffId;
}

/** Writes an interaction (and the task of a need raised in it) in the caller's transaction. */
export async function recordInteractionRow(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  facts: CaseFacts,
  input: InteractionInput,
  taskId: string | null,
  path = taskId === null ? 'body' : 'body.interaction',
): Promise<{ id: string; forwardedTaskId: string | null }> {
  if (Date.parse(input.occurredAt) > ctx.now().getTime() + OCCURRED_AT_SKEW_MS)
    throw invalid(`${path}.occurredAt`, 'cannot be in the future');
  const today = bankDay(ctx);
  if (input.need?.dueOn !== undefined && daysBetween(today, input.need.dueOn) < 0)
    throw invalid(`${path}.need.dueOn`, 'must be today or later');
  const id = newId(ctx.now().getTime());
  const row: WorkInteractionTable = {
    id,
    case_id: facts.id,
    kind: input.kind,
    occurred_at: new Date(input.occurredAt).toISOString(),
    outcome: input.outcome,
    notes_enc: seal(ctx, 'work_interactions', 'notes_enc', id, input.notes),
    task_id: taskId,
    forwarded_task_id: null,
    recorded_at: ctx.now().toISOString(),
    recorded_by: actor.id,
  };
  await insertInteraction(db, row);
  let forwardedTaskId: string | null = null;
  if (input.need) {
    const assignee = await needAssignee(db, facts, input.need);
    const task = taskRow(ctx, {
      case_id: facts.id,
      assignee_id: assignee,
      kind: 'forwarded_need',
      department: input.need.department,
      due_on: input.need.dueOn ?? addDays(today, FORWARDED_NEED_DAYS),
      created_by: actor.id,
      note: input.need.description,
    });
    await insertTask(db, task);
    await setForwardedTask(db, id, task.id);
    forwardedTaskId = task.id;
    await recordAudit(
      db,
      actor,
      {
        action: 'work.need_forwarded',
        target: { type: 'work_task', id: task.id },
        branchId: facts.branchId,
        detail: { caseId: facts.id, interactionId: id, department: input.need.department, assigneeId: assignee },
      },
      ctx.now(),
    );
  }
  await recordAudit(
    db,
    actor,
    {
      action: 'work.interaction_recorded',
      target: { type: 'work_interaction', id },
      branchId: facts.branchId,
      detail: { caseId: facts.id, kind: input.kind, outcome: input.outcome, taskId },
    },
    ctx.now(),
  );
  return { id, forwardedTaskId };
}

/**
 * Records an interaction on a case the actor works on, and answers its id without reading it back:
 * for features that record one as a side effect (an alert's contact) and show something else.
 */
export async function storeInteraction(ctx: AppContext, db: Executor, actor: Actor, caseId: string, input: InteractionInput) {
  const { facts } = await workAccess(ctx, db, actor, caseId);
  return { facts, ...(await recordInteractionRow(ctx, db, actor, facts, input, null)) };
}

const InteractionCursor = z.object({ at: z.string().max(40), id: z.string().max(64) });

/** A page of a case's interactions, newest first; notes only for entitled readers. */
export async function listInteractions(ctx: AppContext, db: Executor, actor: Actor, caseId: string, q: z.output<typeof PageQuery>) {
  const { facts, full } = await accessTo(ctx, db, actor, caseId);
  const before = decodeCursor(q.cursor, InteractionCursor);
  const rows = await pageInteractions(db, { caseId, before, limit: q.limit + 1 });
  const items = await interactionRecords(db, rows.slice(0, q.limit));
  const last = items.at(-1);
  const views = await withSensitiveReads(db, ctx.cipher, actor, caseWorkScope(facts, 'interaction'), async (read) => {
    const out = [];
    for (const i of items) out.push(await interactionView(ctx, db, actor, i, facts.branchId, full, read));
    return out;
  });
  return { items: views, nextCursor: rows.length > q.limit && last ? encodeCursor({ at: last.occurred_at, id: last.id }) : null };
}
