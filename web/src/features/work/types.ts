/** The work API's shapes (docs/work.md), as the pages read them. */

export const INTERACTION_KINDS = ['call', 'visit', 'message', 'meeting'] as const;
export const INTERACTION_OUTCOMES = ['reached', 'not_reached', 'follow_up_needed', 'need_raised'] as const;
export const DEPARTMENTS = ['relationship', 'wealth', 'risk', 'operations', 'customer_service'] as const;

export type InteractionKind = (typeof INTERACTION_KINDS)[number];
export type InteractionOutcome = (typeof INTERACTION_OUTCOMES)[number];
export type Department = (typeof DEPARTMENTS)[number];

interface StaffRef {
  id: string;
  displayName: string | null;
}

/** One task of a team member. */
export interface Task {
  id: string;
  case: { id: string; caseNumber: string; customerName: string };
  assignee: StaffRef;
  kind: 'contact' | 'wealth_review' | 'risk_review' | 'follow_up_call' | 'ad_hoc' | 'forwarded_need';
  title: string | null;
  department: Department | null;
  dueOn: string;
  dueState: 'overdue' | 'due' | 'upcoming' | null;
  status: 'open' | 'done' | 'cancelled';
  createdAt: string;
  completedAt: string | null;
  note?: string | null;
  completionNote?: string | null;
}

/** One entry of the case timeline. */
export interface TimelineItem {
  at: string;
  kind: string;
  actor: StaffRef | null;
  summary: string;
  text?: string | null;
  ref: { type: 'case' | 'interaction' | 'task' | 'service_request'; id: string };
}

/** The body of a new interaction. */
export interface InteractionDraft {
  kind: InteractionKind;
  occurredAt: string;
  outcome: InteractionOutcome;
  notes: string;
  needDescription: string;
  needDepartment: Department | '';
}

/** A fresh interaction draft: a call now, reached. */
export function emptyInteraction(): InteractionDraft {
  return { kind: 'call', occurredAt: localNow(), outcome: 'reached', notes: '', needDescription: '', needDepartment: '' };
}

/** The current local time as a datetime-local input value. */
function localNow(): string {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** The API body of a draft (the local time turned into a UTC instant). */
export function interactionBody(d: InteractionDraft) {
  return {
    kind: d.kind,
    occurredAt: new Date(d.occurredAt).toISOString(),
    outcome: d.outcome,
    ...(d.notes.trim() ? { notes: d.notes.trim() } : {}),
    ...(d.needDescription.trim() && d.needDepartment
      ? { need: { description: d.needDescription.trim(), department: d.needDepartment } }
      : {}),
  };
}
