import { z } from 'zod';
import { addDays, daysBetween } from '../../domain/case-rules.js';
import { TASK_DUE_SOON_DAYS, type TeamRole, taskDueState } from '../../domain/duties.js';
import { hasPermission } from '../../domain/roles.js';
import { type AuditActor, recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit.service.js';
import { type ScopedRead, withSensitiveReads } from '../../platform/audit/sensitive-read.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { WorkInteractionTable, WorkTaskTable } from '../../platform/db/tables/work.js';
import { type Actor, type AppContext, bankDay } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import { type CaseFacts, caseFactsByIds, caseForAccess, verdictFor } from '../case-access/case-access.service.js';
import { notify } from '../notifications/notifications.service.js';
import { getStaff, staffNames } from '../staff/staff.service.js';
import {
  caseIdsOfAssignee,
  findInteraction,
  findTask,
  insertTask,
  interactionsOfCase,
  pageTasksOfAssignee,
  tasksOfCase,
} from './work.repository.js';
import { DEPARTMENTS, type MyTasksQuery, type TaskInput, type TimelineItem } from './work.schemas.js';

/** Interaction times a little in the future are clock skew between a device and the server; more is a mistake. */
export const OCCURRED_AT_SKEW_MS = 5 * 60_000;
/** Days a forwarded need has by default (P3.2.5: passed on promptly). */
export const FORWARDED_NEED_DAYS = 2;
/** The team role that serves each department a need can be forwarded to (docs/work.md). */
export const DEPARTMENT_ROLE: Record<(typeof DEPARTMENTS)[number], TeamRole> = {
  relationship: 'customer_manager',
  wealth: 'wealth_manager',
  risk: 'risk_officer',
  operations: 'operations',
  customer_service: 'service_agent',
};
/** Task kinds whose completion is a contact with the customer and so records an interaction. */
export const CONTACT_KINDS: readonly WorkTaskTable['kind'][] = ['contact', 'follow_up_call'];

export function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { errors: [{ path, message }] });
}

export function seal(ctx: AppContext, table: string, column: string, rowId: string, value: string | undefined): string | null {
  return value === undefined ? null : ctx.cipher.encrypt(value, { table, column, rowId });
}

const staffRef = (id: string, name: string | null) => ({ id, displayName: name });

// ---------------------------------------------------------------------------------------------
// Who may do what (the cases service decides who sees a case: docs/access.md)
// ---------------------------------------------------------------------------------------------

export interface CaseAccess {
  facts: CaseFacts;
  /** The reader sees the sensitive sections (notes). */
  full: boolean;
}

/** The case if the actor may see it (404 otherwise), and whether they see its sensitive sections. */
export async function accessTo(ctx: AppContext, db: Executor, actor: Actor, caseId: string): Promise<CaseAccess> {
  const { facts, decision } = await caseForAccess(ctx, db, actor, caseId);
  return { facts, full: decision.access === 'full' };
}

/** Team work on a case: only those entitled to the whole case (its team, the branch's supervisors), only while it is active. */
export async function workAccess(ctx: AppContext, db: Executor, actor: Actor, caseId: string): Promise<CaseAccess> {
  const access = await accessTo(ctx, db, actor, caseId);
  if (!access.full) throw new AppError('FORBIDDEN', 'only the case’s team and the branch’s supervisors work on a case');
  if (access.facts.status !== 'active') throw new AppError('CONFLICT', `the case is ${access.facts.status}`);
  return access;
}

/** An assignee must be an active colleague of the case's branch who does case work. */
export async function assertAssignee(db: Executor, staffId: string, branchId: string, path: string): Promise<{ id: string; name: string }> {
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

/**
 * A new task row. `title` is a title Lifeline gives (never sensitive); `writtenTitle` one a person
 * wrote, which may say anything about the case and is sealed like its source (P5.2.2).
 */
export function taskRow(
  ctx: AppContext,
  fields: Pick<WorkTaskTable, 'case_id' | 'assignee_id' | 'kind' | 'due_on' | 'created_by'> &
    Partial<Pick<WorkTaskTable, 'title' | 'department' | 'duty_key' | 'service_request_id'>> & { note?: string; writtenTitle?: string },
): WorkTaskTable {
  const id = newId(ctx.now().getTime());
  return {
    id,
    case_id: fields.case_id,
    assignee_id: fields.assignee_id,
    kind: fields.kind,
    title: fields.title ?? null,
    title_enc: seal(ctx, 'work_tasks', 'title_enc', id, fields.writtenTitle),
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
    service_request_id: fields.service_request_id ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Records: tasks and interactions with the names their views show, asked of case access and
// the staff feature once per list (never a join into their tables)
// ---------------------------------------------------------------------------------------------

/** A task with what its views show beside it. */
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

/** The tasks with their case's facts and the names of their people. */
export async function taskRecords(db: Executor, rows: readonly WorkTaskTable[]): Promise<TaskRecord[]> {
  const cases = new Map(
    (
      await caseFactsByIds(
        db,
        rows.map((t) => t.case_id),
      )
    ).map((c) => [c.id, c]),
  );
  const names = await staffNames(
    db,
    rows.flatMap((t) => [t.assignee_id, t.created_by, t.completed_by]),
  );
  const name = (id: string | null) => (id === null ? null : (names.get(id) ?? null));
  return rows.flatMap((t) => {
    const c = cases.get(t.case_id);
    if (!c) return [];
    return [
      {
        ...t,
        case_number: c.caseNumber,
        case_status: c.status,
        case_branch_id: c.branchId,
        customer_name: c.customerName,
        assignee_name: name(t.assignee_id),
        created_by_name: name(t.created_by),
        completed_by_name: name(t.completed_by),
      },
    ];
  });
}

/** The interactions with their recorders' names. */
export async function interactionRecords(db: Executor, rows: readonly WorkInteractionTable[]): Promise<InteractionRecord[]> {
  const names = await staffNames(
    db,
    rows.map((i) => i.recorded_by),
  );
  return rows.map((i) => ({ ...i, recorded_by_name: names.get(i.recorded_by) ?? null }));
}

/** One task with its names, if it exists. */
export async function findTaskRecord(db: Executor, id: string): Promise<TaskRecord | undefined> {
  const row = await findTask(db, id);
  return row ? (await taskRecords(db, [row]))[0] : undefined;
}

export async function reloadTask(db: Executor, id: string): Promise<TaskRecord> {
  const t = await findTaskRecord(db, id);
  if (!t) throw new AppError('NOT_FOUND', 'no such task');
  return t;
}

export async function reloadInteraction(db: Executor, id: string): Promise<InteractionRecord> {
  const row = await findInteraction(db, id);
  const [i] = row ? await interactionRecords(db, [row]) : [];
  if (!i) throw new AppError('NOT_FOUND', 'no such interaction');
  return i;
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

/** The audit scope of reading one task's notes. */
function taskScope(t: TaskRecord) {
  return { target: { type: 'work_task', id: t.id }, branchId: t.case_branch_id, purpose: 'work_task' };
}

/** The audit scope of reading a case's work (its tasks and interactions) at once. */
export function caseWorkScope(c: { id: string; branchId: string }, purpose: string) {
  return { target: { type: 'case', id: c.id }, branchId: c.branchId, purpose };
}

/**
 * A task as its readers see it; its notes only `withNotes`. Decrypting happens in `decrypt`, the
 * scope of a list's one audited read, or else in a read of its own.
 */
export async function taskView(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  t: TaskRecord,
  withNotes: boolean,
  decrypt?: ScopedRead,
  withTitle = withNotes,
) {
  const read = async <K extends string>(fields: Record<K, string | null>) =>
    decrypt
      ? decrypt('work_tasks', t.id, fields)
      : await withSensitiveReads(db, ctx.cipher, actor, taskScope(t), (r) => r('work_tasks', t.id, fields));
  // A title a person wrote shows only to those who see the case's confidential sections.
  const writtenTitle = withTitle && !withNotes && t.title_enc !== null ? (await read({ title_enc: t.title_enc })).title_enc : null;
  const base = {
    id: t.id,
    case: { id: t.case_id, caseNumber: t.case_number, customerName: t.customer_name },
    assignee: staffRef(t.assignee_id, t.assignee_name),
    kind: t.kind,
    title: t.title ?? writtenTitle,
    department: DEPARTMENTS.find((d) => d === t.department) ?? null,
    dueOn: t.due_on,
    dueState: t.status === 'open' ? taskDueState(t.due_on, bankDay(ctx)) : null,
    status: t.status,
    createdAt: t.created_at,
    createdBy: t.created_by === null ? null : staffRef(t.created_by, t.created_by_name),
    completedAt: t.completed_at,
    completedBy: t.completed_by === null ? null : staffRef(t.completed_by, t.completed_by_name),
    interactionId: t.interaction_id,
  };
  if (!withNotes) return base;
  const plain = await read({ note_enc: t.note_enc, completion_note_enc: t.completion_note_enc, title_enc: t.title_enc });
  return { ...base, title: t.title ?? plain.title_enc, note: plain.note_enc, completionNote: plain.completion_note_enc };
}

/** An interaction as its readers see it; its notes only `withNotes`, decrypted as in taskView. */
export async function interactionView(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  i: InteractionRecord,
  branchId: string,
  withNotes: boolean,
  decrypt?: ScopedRead,
) {
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
  const fields = { notes_enc: i.notes_enc };
  const scope = { target: { type: 'work_interaction', id: i.id }, branchId, purpose: 'interaction' };
  const plain = decrypt
    ? decrypt('work_interactions', i.id, fields)
    : await withSensitiveReads(db, ctx.cipher, actor, scope, (read) => read('work_interactions', i.id, fields));
  return { ...base, notes: plain.notes_enc };
}

// ---------------------------------------------------------------------------------------------
// Tasks
// ---------------------------------------------------------------------------------------------

/** Tells a colleague a task was created for them (not when they made it themselves). */
export async function notifyTaskAssigned(
  ctx: AppContext,
  db: Executor,
  actor: AuditActor | null,
  task: Pick<WorkTaskTable, 'id' | 'assignee_id'>,
  c: { id: string; caseNumber: string },
): Promise<void> {
  await notify(ctx, db, actor, {
    recipientId: task.assignee_id,
    kind: 'task_assigned',
    sourceId: task.id,
    case: { id: c.id, caseNumber: c.caseNumber },
  });
}

/**
 * An ad-hoc task on a case for a colleague of its branch, by its team or supervisors; the colleague
 * is notified (a caller with a notification of its own, such as a meeting's action item, says not to).
 */
export async function createAdHocTask(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  caseId: string,
  input: TaskInput,
  opts: { notify?: boolean } = {},
) {
  const { facts } = await workAccess(ctx, db, actor, caseId);
  await assertAssignee(db, input.assigneeId, facts.branchId, 'body.assigneeId');
  if (daysBetween(bankDay(ctx), input.dueOn) < 0) throw invalid('body.dueOn', 'must be today or later');
  const row = taskRow(ctx, {
    case_id: caseId,
    assignee_id: input.assigneeId,
    kind: 'ad_hoc',
    writtenTitle: input.title,
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
  if (opts.notify !== false) await notifyTaskAssigned(ctx, db, actor, row, facts);
  return taskView(ctx, db, actor, await reloadTask(db, row.id), true);
}

/**
 * A task Lifeline itself gives a colleague on a case (no signed-in actor): e.g. calling the customer
 * about a fund-safety alert (docs/alerts.md), or preparing for a loan instalment (docs/credit.md).
 * Its kind names it (pages say it in the reader's language); `title` may add a reference that is
 * the same in every language and never sensitive (a loan number). No `created_by`, audited as `by`.
 */
export async function createSystemTask(
  ctx: AppContext,
  db: Executor,
  input: {
    caseId: string;
    branchId: string;
    assigneeId: string;
    kind: 'alert_contact' | 'loan_prepare' | 'loan_past_due';
    dueOn: string;
    note?: string;
    title?: string;
  },
  by: AuditActor = SYSTEM_ACTOR,
): Promise<{ id: string }> {
  const row = taskRow(ctx, {
    case_id: input.caseId,
    assignee_id: input.assigneeId,
    kind: input.kind,
    due_on: input.dueOn,
    created_by: null,
    note: input.note,
    ...(input.title === undefined ? {} : { title: input.title }),
  });
  await insertTask(db, row);
  await recordAudit(
    db,
    by,
    {
      action: 'work.task_created',
      target: { type: 'work_task', id: row.id },
      branchId: input.branchId,
      detail: { caseId: input.caseId, kind: input.kind, assigneeId: input.assigneeId },
    },
    ctx.now(),
  );
  const [facts] = await caseFactsByIds(db, [input.caseId]);
  if (facts) await notifyTaskAssigned(ctx, db, null, row, facts);
  return { id: row.id };
}

const TaskCursor = z.object({ d: z.string().max(10), id: z.string().max(64) });

/** "My work": the actor's tasks on active cases by due date; `due` and `overdue` narrow it (no notes: they are on the case page). */
export async function myTasks(ctx: AppContext, db: Executor, actor: Actor, q: z.output<typeof MyTasksQuery>) {
  const today = bankDay(ctx);
  const after = decodeCursor(q.cursor, TaskCursor);
  // Only the tasks on cases that are still active: case access says which of the assignee's cases are.
  const cases = await caseFactsByIds(db, await caseIdsOfAssignee(db, actor.id, q.status));
  const rows = await pageTasksOfAssignee(db, {
    caseIds: cases.filter((c) => c.status === 'active').map((c) => c.id),
    assigneeId: actor.id,
    status: q.status,
    ...(q.due === 'overdue' ? { dueBefore: today } : {}),
    ...(q.due === 'due' ? { dueFrom: today, dueTo: addDays(today, TASK_DUE_SOON_DAYS) } : {}),
    after: after ? { dueOn: after.d, id: after.id } : undefined,
    limit: q.limit + 1,
  });
  const items = await taskRecords(db, rows.slice(0, q.limit));
  const last = items.at(-1);
  // Titles colleagues wrote show only on the cases whose confidential sections the reader sees.
  const seesCase = new Set<string>();
  for (const c of cases)
    if (items.some((t) => t.case_id === c.id) && (await verdictFor(ctx, db, actor, c)).access === 'full') seesCase.add(c.id);
  const scope = { target: { type: 'staff', id: actor.id }, branchId: actor.branchId, purpose: 'my_work' };
  const views = await withSensitiveReads(db, ctx.cipher, actor, scope, async (read) => {
    const out = [];
    for (const t of items) out.push(await taskView(ctx, db, actor, t, false, read, seesCase.has(t.case_id)));
    return out;
  });
  return { items: views, nextCursor: rows.length > q.limit && last ? encodeCursor({ d: last.due_on, id: last.id }) : null };
}

/** The tasks of a case for those who may see it; notes only for entitled readers. */
export async function caseTasks(ctx: AppContext, db: Executor, actor: Actor, caseId: string) {
  const { facts, full } = await accessTo(ctx, db, actor, caseId);
  const tasks = await taskRecords(db, await tasksOfCase(db, caseId));
  const items = await withSensitiveReads(db, ctx.cipher, actor, caseWorkScope(facts, 'work_task'), async (read) => {
    const out = [];
    for (const t of tasks) out.push(await taskView(ctx, db, actor, t, full, read));
    return out;
  });
  return { items, nextCursor: null };
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
  decrypt: ScopedRead,
): Promise<TimelineEntry[]> {
  const entries: TimelineEntry[] = [];
  for (const i of await interactionRecords(db, await interactionsOfCase(db, c.id))) {
    const view = await interactionView(ctx, db, actor, i, c.branchId, full, decrypt);
    entries.push({
      at: i.occurred_at,
      kind: `interaction.${i.kind}`,
      actor: view.recordedBy,
      summary: i.outcome,
      ...(full ? { text: 'notes' in view ? view.notes : null } : {}),
      ref: { type: 'interaction', id: i.id },
    });
  }
  for (const t of await taskRecords(db, await tasksOfCase(db, c.id))) {
    const view = await taskView(ctx, db, actor, t, full, decrypt);
    // view.title holds a title a colleague wrote only for readers of the confidential sections.
    const what = `${t.kind}${view.title ? `: ${view.title}` : ''}${t.department ? ` → ${t.department}` : ''}`;
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
