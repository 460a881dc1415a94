/**
 * The lead lifecycle (P2.3.1–P2.3.2) as a pure state machine:
 *
 *   new ──assign──▶ in_verification ──check / assign──▶ in_verification
 *    │                    │
 *    ├──confirm───────────┴──confirm──▶ confirmed ──register──▶ registered
 *    ├──reject────────────┬──reject───▶ rejected   ◀──reject── confirmed
 *    ├──mark_duplicate────┴──────────▶ duplicate
 *    ├──merge (into another lead)─────▶ duplicate
 *    └──link (system, at creation)────▶ duplicate
 *   rejected | duplicate ──reopen (supervisor, with a reason)──▶ new
 *
 * Closed leads (rejected, duplicate, registered) change status only through `reopen`, and a
 * registered lead never does: its case carries on. Only a supervisor's `confirm` leads to
 * `confirmed`, the only status from which `register` is allowed.
 */

export const LEAD_STATUSES = ['new', 'in_verification', 'confirmed', 'rejected', 'duplicate', 'registered'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** Closed leads never change again, but for an explicit, audited reopen. */
export const CLOSED_STATUSES: readonly LeadStatus[] = ['rejected', 'duplicate', 'registered'];
/** Leads still waiting for a decision: these appear in the inbox and can become overdue. */
export const UNDECIDED_STATUSES: readonly LeadStatus[] = ['new', 'in_verification'];
/** Leads that count as "open" for duplicate detection: a new report about the customer links to them. */
export const OPEN_STATUSES: readonly LeadStatus[] = ['new', 'in_verification', 'confirmed'];

/** Who causes an event, as far as the lifecycle cares. */
export type LeadActorKind = 'supervisor' | 'assignee' | 'reporter' | 'system';

export const LEAD_EVENT_TYPES = [
  'assign',
  'check',
  'match',
  'confirm',
  'reject',
  'mark_duplicate',
  'merge',
  'link',
  'register',
  'reopen',
] as const;
export type LeadEventType = (typeof LEAD_EVENT_TYPES)[number];

/** One event; `customerMatched` tells whether the lead has a customer (confirm needs one). */
export type LeadEvent =
  | { type: Exclude<LeadEventType, 'confirm'>; by: LeadActorKind }
  | { type: 'confirm'; by: LeadActorKind; customerMatched: boolean };

export type Transition = { ok: true; status: LeadStatus } | { ok: false; reason: string };

/** True when the status is closed (rejected, duplicate or registered). */
export function isClosed(status: LeadStatus): boolean {
  return CLOSED_STATUSES.includes(status);
}

/** True when the lead still waits for a supervisor's decision. */
export function isUndecided(status: LeadStatus): boolean {
  return UNDECIDED_STATUSES.includes(status);
}

/** True when a new report about the same customer should be linked to this lead. */
export function isOpen(status: LeadStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

const refuse = (reason: string): Transition => ({ ok: false, reason });
const to = (status: LeadStatus): Transition => ({ ok: true, status });

/** The status after the event, or why the event is not allowed now. Never throws. */
export function nextLeadStatus(status: LeadStatus, event: LeadEvent): Transition {
  const supervisor = event.by === 'supervisor';
  switch (event.type) {
    case 'assign':
      if (!supervisor) return refuse('only a supervisor hands a check to a colleague');
      return isUndecided(status) ? to('in_verification') : refuse(`a ${status} lead is no longer being verified`);
    case 'check':
      if (event.by !== 'assignee') return refuse('only the colleague asked to check records a finding');
      return status === 'in_verification' ? to(status) : refuse(`a ${status} lead is not waiting for a check`);
    case 'match':
      if (!supervisor && event.by !== 'system') return refuse('only a supervisor matches a lead by hand');
      return isUndecided(status) ? to(status) : refuse(`the customer of a ${status} lead can no longer change`);
    case 'confirm':
      if (!supervisor) return refuse('only a supervisor confirms a lead');
      if (!isUndecided(status)) return refuse(`a ${status} lead cannot be confirmed`);
      return event.customerMatched ? to('confirmed') : refuse('match the lead to a customer before confirming it');
    case 'reject':
      if (!supervisor) return refuse('only a supervisor rejects a lead');
      return isUndecided(status) || status === 'confirmed' ? to('rejected') : refuse(`a ${status} lead cannot be rejected`);
    case 'mark_duplicate':
      if (!supervisor) return refuse('only a supervisor marks a lead as a duplicate');
      return isUndecided(status) ? to('duplicate') : refuse(`a ${status} lead cannot be marked as a duplicate`);
    case 'merge':
      if (!supervisor) return refuse('only a supervisor merges leads');
      return isUndecided(status) ? to('duplicate') : refuse(`a ${status} lead cannot be merged into another`);
    case 'link':
      // Only at creation: the system links a second report about a customer to the first.
      if (event.by !== 'system') return refuse('only the system links a new report to an open lead or case');
      return status === 'new' ? to('duplicate') : refuse(`a ${status} lead cannot be linked`);
    case 'register':
      if (!supervisor) return refuse('only a supervisor registers a case');
      return status === 'confirmed' ? to('registered') : refuse(`a ${status} lead cannot be registered; it must be confirmed first`);
    case 'reopen':
      if (!supervisor) return refuse('only a supervisor reopens a lead');
      if (status === 'registered') return refuse('a registered lead never reopens; its case carries on');
      return status === 'rejected' || status === 'duplicate' ? to('new') : refuse(`a ${status} lead is not closed`);
    default:
      return refuse('unknown event');
  }
}

/** Overdue: still undecided when its verification deadline has passed. */
export function isOverdue(status: LeadStatus, dueAt: string, now: Date): boolean {
  return isUndecided(status) && Date.parse(dueAt) < now.getTime();
}
