import { dutiesOfRole, earlierDue, followUpAfterService, nextDutyDue, type RecurringKind } from '../../domain/duties.js';
import type { Executor } from '../../platform/db/database.js';
import { type AppContext, bankDay } from '../../platform/http/context.js';
import { activeCasesWithTeam, activeTeam, caseFactsByIds } from '../case-access/case-access.service.js';
import {
  cancelTasks,
  casesWithOpenDuties,
  countOverdueByAssigneeAndCase,
  insertTask,
  lastDoneOn,
  openDutyTasks,
  setTaskDue,
} from './work.repository.js';
import { taskRow } from './work.service.js';

export function dutyKey(caseId: string, assigneeId: string, kind: RecurringKind): string {
  return `${caseId}|${assigneeId}|${kind}`;
}

// ---------------------------------------------------------------------------------------------
// Duties → tasks (P3.2)
// ---------------------------------------------------------------------------------------------

/** What one synchronisation of a case's duties did. */
export interface DutySync {
  created: number;
  cancelled: number;
}

/**
 * Makes a case's open recurring tasks match its team (P3.2): one open task per (case, member,
 * duty of the member's role), dated from the last time the duty was done on the case; open duty
 * tasks of people no longer in that role, or of a case no longer active, are cancelled. Ad-hoc and
 * forwarded tasks are left alone. Idempotent: run it after every team change, daily, and again.
 */
export async function syncDutiesForCase(ctx: AppContext, db: Executor, caseId: string): Promise<DutySync> {
  const today = bankDay(ctx);
  const active = (await caseFactsByIds(db, [caseId]))[0]?.status === 'active';
  const team = active ? await activeTeam(db, caseId) : [];
  const wanted = new Map<string, { assigneeId: string; kind: RecurringKind; intervalDays: number }>();
  for (const m of team) {
    for (const duty of dutiesOfRole(m.role, ctx.config.duties)) {
      wanted.set(dutyKey(caseId, m.staffId, duty.kind), { assigneeId: m.staffId, kind: duty.kind, intervalDays: duty.intervalDays });
    }
  }
  const open = await openDutyTasks(db, caseId);
  const stale = open.filter((t) => t.duty_key === null || !wanted.has(t.duty_key));
  await cancelTasks(
    db,
    stale.map((t) => t.id),
    ctx.now().toISOString(),
  );
  const have = new Set(open.map((t) => t.duty_key));
  let created = 0;
  for (const [key, duty] of wanted) {
    if (have.has(key)) continue;
    const last = (await lastDoneOn(db, caseId, duty.kind)) ?? null;
    const row = taskRow(ctx, {
      case_id: caseId,
      assignee_id: duty.assigneeId,
      kind: duty.kind,
      due_on: nextDutyDue({ lastDoneOn: last, startOn: today, intervalDays: duty.intervalDays }),
      created_by: null,
      duty_key: key,
    });
    if (await insertTask(db, row)) created += 1;
  }
  return { created, cancelled: stale.length };
}

/**
 * The service agent's follow-up call after a completed service (P3.2.5): the case's open
 * follow-up call is brought forward to `afterServiceDays` after the service (never pushed back).
 * For the services feature; answers how many tasks it dated.
 */
export async function scheduleFollowUp(ctx: AppContext, db: Executor, caseId: string, after: Date): Promise<number> {
  await syncDutiesForCase(ctx, db, caseId);
  const due = followUpAfterService(bankDay(ctx, after), ctx.config.duties.afterServiceDays);
  const calls = (await openDutyTasks(db, caseId)).filter((t) => t.kind === 'follow_up_call');
  for (const t of calls) await setTaskDue(db, t.id, earlierDue(t.due_on, due));
  return calls.length;
}

/**
 * The risk officer's review of a case's assessment by its review date (P3.2.3): the case's open
 * risk reviews are brought forward to `reviewOn` (never pushed back), so the review is a task when
 * due. For the risk feature; answers how many tasks it dated.
 */
export async function scheduleRiskReview(ctx: AppContext, db: Executor, caseId: string, reviewOn: string): Promise<number> {
  await syncDutiesForCase(ctx, db, caseId);
  const reviews = (await openDutyTasks(db, caseId)).filter((t) => t.kind === 'risk_review');
  for (const t of reviews) await setTaskDue(db, t.id, earlierDue(t.due_on, reviewOn));
  return reviews.length;
}

/** The overdue open tasks of staff members (on active cases), for the teams feature's workload view; 0 for those without. */
export async function overdueTaskCounts(ctx: AppContext, db: Executor, staffIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await countOverdueByAssigneeAndCase(db, staffIds, bankDay(ctx));
  const active = new Set(
    (
      await caseFactsByIds(
        db,
        rows.map((r) => r.caseId),
      )
    )
      .filter((c) => c.status === 'active')
      .map((c) => c.id),
  );
  const counts = new Map(staffIds.map((id) => [id, 0]));
  for (const r of rows) if (active.has(r.caseId)) counts.set(r.staffId, (counts.get(r.staffId) ?? 0) + r.n);
  return counts;
}

/** The cases the daily duty run looks at: active cases with a team, and cases with open generated tasks (which may have to be cancelled). */
async function casesForDutyRun(db: Executor): Promise<string[]> {
  return [...new Set([...(await activeCasesWithTeam(db)), ...(await casesWithOpenDuties(db))])].sort();
}

/** The daily run: every case with a team or with open duties, one transaction per case. */
export async function runDutySync(ctx: AppContext): Promise<DutySync & { cases: number }> {
  const total = { cases: 0, created: 0, cancelled: 0 };
  for (const caseId of await casesForDutyRun(ctx.db)) {
    const result = await ctx.db.transaction().execute((trx) => syncDutiesForCase(ctx, trx, caseId));
    total.cases += 1;
    total.created += result.created;
    total.cancelled += result.cancelled;
  }
  return total;
}
