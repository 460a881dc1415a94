import { addDays, daysBetween } from './case-rules.js';
import type { TEAM_ROLES } from './roles.js';

/** A case team role (P3.1). */
export type TeamRole = (typeof TEAM_ROLES)[number];

/** The kinds of task: the recurring duties of P3.2, the follow-up after a service, ad-hoc work and forwarded needs. */
export const TASK_KINDS = [
  'contact',
  'wealth_review',
  'risk_review',
  'follow_up_call',
  'ad_hoc',
  'forwarded_need',
  'alert_contact',
  'service_step',
  'loan_prepare',
  'loan_past_due',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** The kinds generated from the team's duties; the others are made by people. */
export const RECURRING_KINDS = ['contact', 'wealth_review', 'risk_review', 'follow_up_call'] as const;
export type RecurringKind = (typeof RECURRING_KINDS)[number];

/** The recurring duties done by a contact with the customer: the regular contact (P3.2.1) and the follow-up call (P3.2.5). */
export const CONTACT_DUTY_KINDS = ['contact', 'follow_up_call'] as const satisfies readonly RecurringKind[];

/** True when a task of this kind is done by a contact with the customer. */
export function isContactDuty(kind: string): kind is (typeof CONTACT_DUTY_KINDS)[number] {
  return (CONTACT_DUTY_KINDS as readonly string[]).includes(kind);
}

/**
 * Outcomes of a contact in which the customer was reached. Only such a contact does a contact
 * duty: a call nobody answered is recorded, and the duty stays open until the customer is reached.
 */
export const REACHED_OUTCOMES = ['reached', 'follow_up_needed', 'need_raised'] as const;

/** True when a contact with this outcome reached the customer, and so fulfils a contact duty. */
export function contactReachedCustomer(outcome: string): boolean {
  return (REACHED_OUTCOMES as readonly string[]).includes(outcome);
}

/** Days between the recurring duties, from configuration (LIFELINE_DUTY_*_DAYS). */
export interface DutyIntervals {
  contactDays: number;
  wealthReviewDays: number;
  riskReviewDays: number;
  followUpDays: number;
}

/** One recurring duty of a role. */
export interface Duty {
  kind: RecurringKind;
  intervalDays: number;
}

/** Tasks due within this many days (or today) are `due`; before today `overdue`. */
export const TASK_DUE_SOON_DAYS = 3;

/** True when the kind is generated from a role's duties. */
export function isRecurringKind(kind: string): kind is RecurringKind {
  return (RECURRING_KINDS as readonly string[]).includes(kind);
}

/**
 * The recurring duties of a team role (P3.2): the customer manager's regular contact (P3.2.1),
 * the wealth review (P3.2.2), the risk review (P3.2.3), the service agent's monthly follow-up call
 * (P3.2.5). Operations support (P3.2.4) works on request and has no recurring duty.
 */
export function dutiesOfRole(role: TeamRole, intervals: DutyIntervals): Duty[] {
  switch (role) {
    case 'customer_manager':
      return [{ kind: 'contact', intervalDays: intervals.contactDays }];
    case 'wealth_manager':
      return [{ kind: 'wealth_review', intervalDays: intervals.wealthReviewDays }];
    case 'risk_officer':
      return [{ kind: 'risk_review', intervalDays: intervals.riskReviewDays }];
    case 'service_agent':
      return [{ kind: 'follow_up_call', intervalDays: intervals.followUpDays }];
    case 'operations':
      return [];
  }
}

/** The role whose member carries a recurring kind. */
export function roleOfKind(kind: RecurringKind): TeamRole {
  const roles: Record<RecurringKind, TeamRole> = {
    contact: 'customer_manager',
    wealth_review: 'wealth_manager',
    risk_review: 'risk_officer',
    follow_up_call: 'service_agent',
  };
  return roles[kind];
}

/**
 * The due date of the next recurring task: `intervalDays` after the last time the duty was done
 * on the case (by anyone: a new member takes the schedule over), or after `startOn` (the day the
 * duty began, e.g. the assignment) when it was never done.
 */
export function nextDutyDue(input: { lastDoneOn: string | null; startOn: string; intervalDays: number }): string {
  return addDays(input.lastDoneOn ?? input.startOn, input.intervalDays);
}

/** The due date of the follow-up call after a service completed on `serviceDoneOn`. */
export function followUpAfterService(serviceDoneOn: string, afterServiceDays: number): string {
  return addDays(serviceDoneOn, afterServiceDays);
}

/** Of two due dates, the earlier (an existing open task is brought forward, never pushed back). */
export function earlierDue(a: string, b: string): string {
  return daysBetween(a, b) < 0 ? b : a;
}

/** `overdue` before today, `due` from today through TASK_DUE_SOON_DAYS ahead, else `upcoming`. */
export function taskDueState(dueOn: string, today: string): 'overdue' | 'due' | 'upcoming' {
  const left = daysBetween(today, dueOn);
  if (left < 0) return 'overdue';
  return left <= TASK_DUE_SOON_DAYS ? 'due' : 'upcoming';
}
