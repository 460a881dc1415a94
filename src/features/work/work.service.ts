import { clearLinkedTexts } from '../../platform/crypto/text-purge.js';
import { z } from 'zod';
import { addDays, dayOf, daysBetween } from '../../domain/case-rules.js';
import {
  dutiesOfRole,
  earlierDue,
  followUpAfterService,
  isRecurringKind,
  nextDutyDue,
  type RecurringKind,
  TASK_DUE_SOON_DAYS,
  type TeamRole,
  taskDueState,
} from '../../domain/duties.js';
import { hasPermission } from '../../domain/roles.js';
import { type AuditActor, recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit.service.js';
import { readSensitive } from '../../platform/audit/sensitive-read.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { WorkInteractionTable, WorkTaskTable } from '../../platform/db/tables/work.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import { activeTeam, type CaseFacts, caseForAccess } from '../case-access/case-access.service.js';
import { getStaff } from '../staff/staff.service.js';
import {
  cancelTasks,
  caseStatus,
  casesForDutyRun,
  countOverdueByAssignee,
  findInteraction,
  findTask,
  type InteractionRecord,
  insertInteraction,
  insertTask,
  interactionsOfCase,
  lastDoneOn,
  markTaskDone,
  openDutyTasks,
  pageInteractions,
  pageTasksOfAssignee,
  setForwardedTask,
  setTaskDue,
  type TaskRecord,
  tasksOfCase,
  WORK_CASE_TEXTS,
} from './work.repository.js';
import {
  type CompleteInput,
  DEPARTMENTS,
  type InteractionInput,
  type MyTasksQuery,
  type PageQuery,
  type TaskInput,
  type TimelineItem,
} from './work.schemas.js';

/** Interaction times a little in the future are clock skew between a device and the server; more is a mistake. */
const OCCURRED_AT_SKEW_MS = 5 * 60_000;
/** Days a forwarded need has by default (P3.2.5: passed on promptly). */
const FORWARDED_NEED_DAYS = 2;
/** The team role that serves each department a need can be forwarded to (docs/work.md). */
const DEPARTMENT_ROLE: Record<(typeof DEPARTMENTS)[number], TeamRole> = {
  relationship: 'customer_manager',
  wealth: 'wealth_manager',
  risk: 'risk_officer',
  operations: 'operations',
  customer_service: 'service_agent',
};
/** Task kinds whose completion is a contact with the customer and so records an interaction. */
const CONTACT_KINDS: readonly WorkTaskTable['kind'][] = ['contact', 'follow_up_call'];

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { errors: [{ path, message }] });
}

function seal(ctx: AppContext, table: string, column: string, rowId: string, value: string | undefined): string | null {
  return value === undefined ? null : ctx.cipher.encrypt(value, { table, column, rowId });
}

const staffRef = (id: string, name: string | null) => ({ id, displayName: name });

// ---------------------------------------------------------------------------------------------
// Who may do what (the cases service decides who sees a case: docs/access.md)
// ---------------------------------------------------------------------------------------------

interface CaseAccess {
  facts: CaseFacts;
  /** The reader sees the sensitive sections (notes). */
  full: boolean;
}

/** The case if the actor may see it (404 otherwise), and whether they see its sensitive sections. */
async function accessTo(ctx: AppContext, db: Executor, actor: Actor, caseId: string): Promise<CaseAccess> {
  const { facts, decision } = await caseForAccess(ctx, db, actor, caseId);
  return { facts, full: decision.access === 'full' };
}

/** Team work on a case: only those entitled to the whole case (its team, the branch's supervisors), only while it is active. */
async function workAccess(ctx: AppContext, db: Executor, actor: Actor, caseId: string): Promise<CaseAccess> {
  const access = await accessTo(ctx, db, actor, caseId);
  if (!access.full) throw new AppError('FORBIDDEN', 'only the case’s team and the branch’s supervisors work on a case');
  if (access.facts.status !== 'active') throw new AppError('CONFLICT', `the case is ${access.facts.status}`);
  return access;
}

/** An assignee must be an active colleague of the case's branch who does case work. */
async function assertAssignee(db: Executor, staffId: string, branchId: string, path: string): Promise<{ id: string; name: string }> {
  let staff: Awaited<ReturnType<typeof getStaff>>;
  try {
    staff = await getStaff(db, staffId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw invalid(path, 'no such staff member');
    throw err;
  }
  if (staff.branch_id !== branchId) throw invalid(path, 'must belong to the case’s branch');
  if (staff.status !== 'active') throw invalid(path, 'this account is disabled');
  if (!hasPermission(staff.roles, 'work.do')) throw invalid(path, 'must hold a case-worker role');
  return { id: staff.id, name: staff.display_name };
}

// ---------------------------------------------------------------------------------------------
// Duties → tasks (P3.2)
// ---------------------------------------------------------------------------------------------

function dutyKey(caseId: string, assigneeId: string, kind: RecurringKind): string {
  return `${caseId}|${assigneeId}|${kind}`;
}

function taskRow(
  ctx: AppContext,
  fields: Pick<WorkTaskTable, 'case_id' | 'assignee_id' | 'kind' | 'due_on' | 'created_by'> &
    Partial<Pick<WorkTaskTable, 'title' | 'department' | 'duty_key'>> & { note?: string },
): WorkTaskTable {
  const id = newId(ctx.now().getTime());
  return {
    id,
    case_id: fields.case_id,
    assignee_id: fields.assignee_id,
    kind: fields.kind,
    title: fields.title ?? null,
    department: fields.department ?? null,
    due_on: fields.due_on,
    status: 'open',
    duty_key: fields.duty_key ?? null,
    interaction_id: null,
    created_at: ctx.now().toISOString(),
    created_by: fields.created_by,
    completed_at: null,
    completed_by: null,
    cancelled_at: null,
    note_enc: seal(ctx, 'work_tasks', 'note_enc', id, fields.note),
    completion_note_enc: null,
  };
}

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
  const today = dayOf(ctx.now());
  const active = (await caseStatus(db, caseId)) === 'active';
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
  const due = followUpAfterService(dayOf(after), ctx.config.duties.afterServiceDays);
  const calls = (await openDutyTasks(db, caseId)).filter((t) => t.kind === 'follow_up_call');
  for (const t of calls) await setTaskDue(db, t.id, earlierDue(t.due_on, due));
  return calls.length;
}

/** The overdue open tasks of staff members (on active cases), for the teams feature's workload view; 0 for those without. */
export async function overdueTaskCounts(ctx: AppContext, db: Executor, staffIds: readonly string[]): Promise<Map<string, number>> {
  const counts = await countOverdueByAssignee(db, staffIds, dayOf(ctx.now()));
  return new Map(staffIds.map((id) => [id, counts.get(id) ?? 0]));
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

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

async function taskView(ctx: AppContext, db: Executor, actor: Actor, t: TaskRecord, withNotes: boolean) {
  const base = {
    id: t.id,
    case: { id: t.case_id, caseNumber: t.case_number, customerName: t.customer_name },
    assignee: staffRef(t.assignee_id, t.assignee_name),
    kind: t.kind,
    title: t.title,
    department: DEPARTMENTS.find((d) => d === t.department) ?? null,
    dueOn: t.due_on,
    dueState: t.status === 'open' ? taskDueState(t.due_on, dayOf(ctx.now())) : null,
    status: t.status,
    createdAt: t.created_at,
    createdBy: t.created_by === null ? null : staffRef(t.created_by, t.created_by_name),
    completedAt: t.completed_at,
    completedBy: t.completed_by === null ? null : staffRef(t.completed_by, t.completed_by_name),
    interactionId: t.interaction_id,
  };
  if (!withNotes) return base;
  const plain = await readSensitive(db, ctx.cipher, actor, {
    table: 'work_tasks',
    rowId: t.id,
    branchId: t.case_branch_id,
    fields: { note_enc: t.note_enc, completion_note_enc: t.completion_note_enc },
    purpose: 'work_task',
  });
  return { ...base, note: plain.note_enc, completionNote: plain.completion_note_enc };
}

async function interactionView(ctx: AppContext, db: Executor, actor: Actor, i: InteractionRecord, branchId: string, withNotes: boolean) {
  const base = {
    id: i.id,
    caseId: i.case_id,
    kind: i.kind,
    occurredAt: i.occurred_at,
    outcome: i.outcome,
    recordedAt: i.recorded_at,
    recordedBy: staffRef(i.recorded_by, i.recorded_by_name),
    taskId: i.task_id,
    forwardedTaskId: i.forwarded_task_id,
  };
  if (!withNotes) return base;
  const plain = await readSensitive(db, ctx.cipher, actor, {
    table: 'work_interactions',
    rowId: i.id,
    branchId,
    fields: { notes_enc: i.notes_enc },
    purpose: 'interaction',
  });
  return { ...base, notes: plain.notes_enc };
}

async function reloadTask(db: Executor, id: string): Promise<TaskRecord> {
  const t = await findTask(db, id);
  if (!t) throw new AppError('NOT_FOUND', 'no such task');
  return t;
}

// ---------------------------------------------------------------------------------------------
// Tasks
// ---------------------------------------------------------------------------------------------

/** An ad-hoc task on a case for a colleague of its branch, by its team or supervisors. */
export async function createAdHocTask(ctx: AppContext, db: Executor, actor: Actor, caseId: string, input: TaskInput) {
  const { facts } = await workAccess(ctx, db, actor, caseId);
  await assertAssignee(db, input.assigneeId, facts.branchId, 'body.assigneeId');
  if (daysBetween(dayOf(ctx.now()), input.dueOn) < 0) throw invalid('body.dueOn', 'must be today or later');
  const row = taskRow(ctx, {
    case_id: caseId,
    assignee_id: input.assigneeId,
    kind: 'ad_hoc',
    title: input.title,
    due_on: input.dueOn,
    created_by: actor.id,
    note: input.note,
  });
  await insertTask(db, row);
  await recordAudit(
    db,
    actor,
    {
      action: 'work.task_created',
      target: { type: 'work_task', id: row.id },
      branchId: facts.branchId,
      detail: { caseId, kind: 'ad_hoc', assigneeId: input.assigneeId },
    },
    ctx.now(),
  );
  return taskView(ctx, db, actor, await reloadTask(db, row.id), true);
}

/**
 * A task Lifeline itself gives a colleague on a case (no signed-in actor): e.g. calling the customer
 * about a fund-safety alert (docs/alerts.md). An ad-hoc task without `created_by`, audited as `by`.
 */
export async function createSystemTask(
  ctx: AppContext,
  db: Executor,
  input: { caseId: string; branchId: string; assigneeId: string; title: string; dueOn: string; note?: string },
  by: AuditActor = SYSTEM_ACTOR,
): Promise<{ id: string }> {
  const row = taskRow(ctx, {
    case_id: input.caseId,
    assignee_id: input.assigneeId,
    kind: 'ad_hoc',
    title: input.title,
    due_on: input.dueOn,
    created_by: null,
    note: input.note,
  });
  await insertTask(db, row);
  await recordAudit(
    db,
    by,
    {
      action: 'work.task_created',
      target: { type: 'work_task', id: row.id },
      branchId: input.branchId,
      detail: { caseId: input.caseId, kind: 'ad_hoc', assigneeId: input.assigneeId },
    },
    ctx.now(),
  );
  return { id: row.id };
}

const TaskCursor = z.object({ d: z.string().max(10), id: z.string().max(64) });

/** "My work": the actor's tasks on active cases by due date; `due` and `overdue` narrow it (no notes: they are on the case page). */
export async function myTasks(ctx: AppContext, db: Executor, actor: Actor, q: z.output<typeof MyTasksQuery>) {
  const today = dayOf(ctx.now());
  const after = decodeCursor(q.cursor, TaskCursor);
  const rows = await pageTasksOfAssignee(db, {
    assigneeId: actor.id,
    status: q.status,
    ...(q.due === 'overdue' ? { dueBefore: today } : {}),
    ...(q.due === 'due' ? { dueFrom: today, dueTo: addDays(today, TASK_DUE_SOON_DAYS) } : {}),
    after: after ? { dueOn: after.d, id: after.id } : undefined,
    limit: q.limit + 1,
  });
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  const views = [];
  for (const t of items) views.push(await taskView(ctx, db, actor, t, false));
  return { items: views, nextCursor: rows.length > q.limit && last ? encodeCursor({ d: last.due_on, id: last.id }) : null };
}

/** The tasks of a case for those who may see it; notes only for entitled readers. */
export async function caseTasks(ctx: AppContext, db: Executor, actor: Actor, caseId: string) {
  const { full } = await accessTo(ctx, db, actor, caseId);
  const items = [];
  for (const t of await tasksOfCase(db, caseId)) items.push(await taskView(ctx, db, actor, t, full));
  return { items, nextCursor: null };
}

/**
 * Completes one of the actor's open tasks. A contact or follow-up call is done by a contact with
 * the customer, so it needs the interaction, which is recorded with it; a recurring duty's next
 * task is dated at once.
 */
export async function completeTask(ctx: AppContext, db: Executor, actor: Actor, taskId: string, input: CompleteInput) {
  const t = await findTask(db, taskId);
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

// ---------------------------------------------------------------------------------------------
// Interactions (P3.2.1, P3.2.5)
// ---------------------------------------------------------------------------------------------

async function reloadInteraction(db: Executor, id: string): Promise<InteractionRecord> {
  const i = await findInteraction(db, id);
  if (!i) throw new AppError('NOT_FOUND', 'no such interaction');
  return i;
}

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
async function recordInteractionRow(
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
  const today = dayOf(ctx.now());
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

/** Records a contact with the customer; a need raised in it is forwarded as a task. */
export async function recordInteraction(ctx: AppContext, db: Executor, actor: Actor, caseId: string, input: InteractionInput) {
  const { facts, id, forwardedTaskId } = await storeInteraction(ctx, db, actor, caseId, input);
  const view = await interactionView(ctx, db, actor, await reloadInteraction(db, id), facts.branchId, true);
  const forwardedTask = forwardedTaskId === null ? null : await taskView(ctx, db, actor, await reloadTask(db, forwardedTaskId), true);
  return { ...view, forwardedTask };
}

const InteractionCursor = z.object({ at: z.string().max(40), id: z.string().max(64) });

/** A page of a case's interactions, newest first; notes only for entitled readers. */
export async function listInteractions(ctx: AppContext, db: Executor, actor: Actor, caseId: string, q: z.output<typeof PageQuery>) {
  const { facts, full } = await accessTo(ctx, db, actor, caseId);
  const before = decodeCursor(q.cursor, InteractionCursor);
  const rows = await pageInteractions(db, { caseId, before, limit: q.limit + 1 });
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  const views = [];
  for (const i of items) views.push(await interactionView(ctx, db, actor, i, facts.branchId, full));
  return { items: views, nextCursor: rows.length > q.limit && last ? encodeCursor({ at: last.occurred_at, id: last.id }) : null };
}

// ---------------------------------------------------------------------------------------------
// The case timeline's work entries (the case file composes the timeline: features/cases)
// ---------------------------------------------------------------------------------------------

/** One entry of the case timeline (work.schemas.ts TimelineItem). */
export type TimelineEntry = z.input<typeof TimelineItem>;

/**
 * The interactions and the tasks created and completed on a case, as timeline entries; their
 * notes only when `full` (the caller has decided the reader's access to the case).
 */
export async function workTimelineEntries(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  c: { id: string; branchId: string },
  full: boolean,
): Promise<TimelineEntry[]> {
  const entries: TimelineEntry[] = [];
  for (const i of await interactionsOfCase(db, c.id)) {
    const view = await interactionView(ctx, db, actor, i, c.branchId, full);
    entries.push({
      at: i.occurred_at,
      kind: `interaction.${i.kind}`,
      actor: view.recordedBy,
      summary: i.outcome,
      ...(full ? { text: 'notes' in view ? view.notes : null } : {}),
      ref: { type: 'interaction', id: i.id },
    });
  }
  for (const t of await tasksOfCase(db, c.id)) {
    const view = await taskView(ctx, db, actor, t, full);
    const what = `${t.kind}${t.title ? `: ${t.title}` : ''}${t.department ? ` → ${t.department}` : ''}`;
    entries.push({
      at: t.created_at,
      kind: 'task.created',
      actor: view.createdBy,
      summary: `${what} · ${t.assignee_name ?? t.assignee_id} · ${t.due_on}`,
      ...(full ? { text: 'note' in view ? view.note : null } : {}),
      ref: { type: 'task', id: t.id },
    });
    if (t.completed_at !== null) {
      entries.push({
        at: t.completed_at,
        kind: 'task.completed',
        actor: view.completedBy,
        summary: what,
        ...(full ? { text: 'completionNote' in view ? view.completionNote : null } : {}),
        ref: { type: 'task', id: t.id },
      });
    }
  }
  return entries;
}

/** Clears the notes of a case's tasks and interactions (retention, P5.3); answers how many values it cleared. */
export async function clearCaseTexts(ctx: AppContext, db: Executor, caseId: string): Promise<number> {
  return clearLinkedTexts(ctx.cipher, db, WORK_CASE_TEXTS, [caseId]);
}
