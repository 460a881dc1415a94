import { z } from 'zod';
import { TASK_KINDS } from '../../domain/duties.js';
import { Id, isoDate, text } from '../../platform/http/text.js';

/** Ids in URLs and bodies: what newId() makes, and nothing that could carry a personal identifier. */

/** An ISO-8601 UTC instant such as `2026-11-28T09:00:00Z` or `…:00.000Z`. */
const Instant = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, 'an ISO-8601 UTC instant (…Z)')
  .refine((s) => !Number.isNaN(Date.parse(s)) && new Date(s).toISOString().slice(0, 19) === s.slice(0, 19), 'not a real instant');

export const INTERACTION_KINDS = ['call', 'visit', 'message', 'meeting'] as const;
export const INTERACTION_OUTCOMES = ['reached', 'not_reached', 'follow_up_needed', 'need_raised'] as const;
/** The departments a customer's need is forwarded to (P3.2.5), each served by one team role (docs/work.md). */
export const DEPARTMENTS = ['relationship', 'wealth', 'risk', 'operations', 'customer_service'] as const;
export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;

export const CaseIdParams = z.strictObject({ id: Id });
export const TaskIdParams = z.strictObject({ id: Id });
export const ReasonQuery = z.strictObject({ reason: text({ min: 5, max: 500 }).optional() });

export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
  reason: text({ min: 5, max: 500 }).optional(),
});

export const MyTasksQuery = z.strictObject({
  status: z.enum(TASK_STATUSES).default('open'),
  /** `due`: today and the next days; `overdue`: before today; absent: every one. */
  due: z.enum(['due', 'overdue']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

export const NeedInput = z.strictObject({
  description: text({ min: 1, max: 2000 }),
  department: z.enum(DEPARTMENTS),
  /** A named colleague instead of the team member of the department. */
  assigneeId: Id.optional(),
  dueOn: isoDate.optional(),
});

export const InteractionBody = z.strictObject({
  kind: z.enum(INTERACTION_KINDS),
  occurredAt: Instant,
  outcome: z.enum(INTERACTION_OUTCOMES),
  notes: text({ min: 1, max: 4000 }).optional(),
  need: NeedInput.optional(),
});
export type InteractionInput = z.output<typeof InteractionBody>;

export const TaskBody = z.strictObject({
  assigneeId: Id,
  title: text({ min: 1, max: 200 }),
  dueOn: isoDate,
  note: text({ min: 1, max: 4000 }).optional(),
});
export type TaskInput = z.output<typeof TaskBody>;

export const CompleteBody = z.strictObject({
  note: text({ min: 1, max: 4000 }).optional(),
  /** Required for contact and follow-up-call tasks: the contact that did the task. */
  interaction: InteractionBody.optional(),
});
export type CompleteInput = z.output<typeof CompleteBody>;

const StaffRef = z.object({ id: z.string(), displayName: z.string().nullable() });

export const TaskView = z.object({
  id: z.string(),
  case: z.object({ id: z.string(), caseNumber: z.string(), customerName: z.string() }),
  assignee: StaffRef,
  kind: z.enum(TASK_KINDS),
  title: z.string().nullable(),
  department: z.enum(DEPARTMENTS).nullable(),
  dueOn: z.string(),
  dueState: z.enum(['overdue', 'due', 'upcoming']).nullable(),
  status: z.enum(TASK_STATUSES),
  createdAt: z.string(),
  createdBy: StaffRef.nullable(),
  completedAt: z.string().nullable(),
  completedBy: StaffRef.nullable(),
  interactionId: z.string().nullable(),
  /** Present only for readers entitled to the case's sensitive sections (and the assignee). */
  note: z.string().nullable().optional(),
  completionNote: z.string().nullable().optional(),
});
export const TaskListResponse = z.object({ items: z.array(TaskView), nextCursor: z.string().nullable() });

export const InteractionView = z.object({
  id: z.string(),
  caseId: z.string(),
  kind: z.enum(INTERACTION_KINDS),
  occurredAt: z.string(),
  outcome: z.enum(INTERACTION_OUTCOMES),
  recordedAt: z.string(),
  recordedBy: StaffRef,
  taskId: z.string().nullable(),
  forwardedTaskId: z.string().nullable(),
  /** Present only for readers entitled to the case's sensitive sections. */
  notes: z.string().nullable().optional(),
});
export const InteractionListResponse = z.object({ items: z.array(InteractionView), nextCursor: z.string().nullable() });
export const InteractionCreated = InteractionView.extend({
  forwardedTask: TaskView.nullable(),
  /** The recorder's contact duties on the case this contact did (it reached the customer), and their next ones. */
  completedTasks: z.array(TaskView),
  nextTasks: z.array(TaskView),
});
export const CompleteResponse = z.object({ task: TaskView, interaction: InteractionView.nullable(), next: TaskView.nullable() });

export const TimelineItem = z.object({
  at: z.string(),
  /** `case.<action>` (registered, updated, consent_added, closed, …), `interaction.<kind>`, `task.created`, `task.completed`. */
  kind: z.string(),
  actor: StaffRef.nullable(),
  /** Never sensitive: field names, outcome, task kind and due date. */
  summary: z.string(),
  /** Notes of interactions and tasks: present only for entitled readers. */
  text: z.string().nullable().optional(),
  ref: z.object({ type: z.enum(['case', 'interaction', 'task', 'service_request', 'risk_measure']), id: z.string() }),
});
export const TimelineResponse = z.object({
  sensitiveVisible: z.boolean(),
  items: z.array(TimelineItem),
  nextCursor: z.string().nullable(),
});
