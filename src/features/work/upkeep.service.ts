import { type AuditActor, recordAudit } from '../../platform/audit/audit.service.js';
import { clearLinkedTexts } from '../../platform/crypto/text-purge.js';
import type { Executor } from '../../platform/db/database.js';
import { dayOf } from '../../domain/case-rules.js';
import { type AppContext, bankDay } from '../../platform/http/context.js';
import { caseFactsByIds } from '../case-access/case-access.service.js';
import { notifyAll } from '../notifications/notifications.service.js';
import { branchSupervisorIds } from '../staff/staff.service.js';
import {
  cancelTasks,
  dutyTimings,
  findTask,
  openTasksDueBefore,
  sealTaskTitle,
  tasksWithPlainWrittenTitles,
  WORK_CASE_TEXTS,
} from './work.repository.js';

// Keeping the work in order: tasks whose reason has gone, overdue reminders, retention, sealing old titles.

/**
 * Cancels open tasks whose reason has gone (an alert resolved while its contact task was still
 * open), audited with the reason; tasks already done or cancelled are left as they are.
 */
export async function cancelOpenTasks(
  ctx: AppContext,
  db: Executor,
  actor: AuditActor,
  taskIds: readonly string[],
  reason: string,
): Promise<number> {
  const open = (await Promise.all(taskIds.map((id) => findTask(db, id)))).filter((t) => t?.status === 'open');
  await cancelTasks(
    db,
    open.flatMap((t) => (t ? [t.id] : [])),
    ctx.now().toISOString(),
  );
  const cases = new Map(
    (
      await caseFactsByIds(
        db,
        open.flatMap((t) => (t ? [t.case_id] : [])),
      )
    ).map((c) => [c.id, c]),
  );
  for (const t of open) {
    if (!t) continue;
    await recordAudit(
      db,
      actor,
      {
        action: 'work.task_cancelled',
        target: { type: 'work_task', id: t.id },
        branchId: cases.get(t.case_id)?.branchId ?? null,
        detail: { caseId: t.case_id, reason },
      },
      ctx.now(),
    );
  }
  return open.length;
}

/** Clears the notes of a case's tasks and interactions (retention, P5.3); answers how many values it cleared. */
export async function clearCaseTexts(ctx: AppContext, db: Executor, caseId: string): Promise<number> {
  return clearLinkedTexts(ctx.cipher, db, WORK_CASE_TEXTS, [caseId]);
}

/**
 * Seals the titles people wrote on tasks created before titles were encrypted (issue 10): run at
 * start-up after the migrations, idempotent, in batches; answers how many it sealed.
 */
export async function sealWrittenTaskTitles(ctx: AppContext): Promise<number> {
  let sealed = 0;
  for (;;) {
    const batch = await tasksWithPlainWrittenTitles(ctx.db, 500);
    if (batch.length === 0) return sealed;
    await ctx.db.transaction().execute(async (trx) => {
      for (const t of batch)
        await sealTaskTitle(trx, t.id, ctx.cipher.encrypt(t.title, { table: 'work_tasks', column: 'title_enc', rowId: t.id }));
    });
    sealed += batch.length;
  }
}

/**
 * Tells the owner of every overdue open task on an active case, and the supervisors of its branch,
 * once per task (P3.2: duties kept; the daily job). Answers how many tasks it looked at.
 */
export async function notifyOverdueTasks(ctx: AppContext): Promise<number> {
  const today = bankDay(ctx);
  let after: string | undefined;
  let seen = 0;
  for (;;) {
    const batch = await openTasksDueBefore(ctx.db, today, after, 200);
    if (batch.length === 0) return seen;
    after = batch.at(-1)?.id;
    seen += batch.length;
    const cases = new Map(
      (
        await caseFactsByIds(
          ctx.db,
          batch.map((t) => t.case_id),
        )
      ).map((c) => [c.id, c]),
    );
    await ctx.db.transaction().execute(async (trx) => {
      const supervisors = new Map<string, string[]>();
      for (const t of batch) {
        const c = cases.get(t.case_id);
        if (c?.status !== 'active') continue;
        if (!supervisors.has(c.branchId)) supervisors.set(c.branchId, await branchSupervisorIds(trx, c.branchId));
        await notifyAll(ctx, trx, null, [t.assignee_id, ...(supervisors.get(c.branchId) ?? [])], {
          kind: 'task_overdue',
          sourceId: t.id,
          case: { id: c.id, caseNumber: c.caseNumber },
          dedupKey: `task_overdue|${t.id}`,
        });
      }
    });
  }
}

/** The team duties due in a period, each with its case and the bank day it was done (the indicators, P8.2.2). */
export async function dutyTimingFacts(ctx: AppContext, db: Executor, q: { from: string; to: string }) {
  return (await dutyTimings(db, q)).map((t) => ({
    caseId: t.case_id,
    dueOn: t.due_on,
    status: t.status,
    completedOn: t.completed_at === null ? null : dayOf(new Date(t.completed_at), ctx.config.businessHours.offsetMinutes),
  }));
}
