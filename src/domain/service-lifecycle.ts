/**
 * The life of a service request (P4, P6): requested → (in review → approved | rejected) →
 * in progress → completed | cancelled. Types that need no approval go from requested straight to
 * in progress. Each step is a pure transition here; who may take it is decided by the service.
 */
export const SERVICE_STATUSES = ['requested', 'in_review', 'approved', 'rejected', 'in_progress', 'completed', 'cancelled'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/** The statuses a request does not leave. */
export const FINAL_SERVICE_STATUSES: readonly ServiceStatus[] = ['rejected', 'completed', 'cancelled'];

export type ServiceEvent =
  | { type: 'review' }
  | { type: 'decide'; approve: boolean }
  | { type: 'start'; needsApproval: boolean }
  | { type: 'complete' }
  | { type: 'cancel' };

/** The outcome of a step: the next status, or why it cannot be taken (a stable code). */
export type ServiceTransition =
  | { ok: true; status: ServiceStatus }
  | { ok: false; reason: 'not_in_this_status' | 'approval_needed' | 'final' };

/** The status a request moves to with an event, or why it cannot. */
export function nextServiceStatus(status: ServiceStatus, event: ServiceEvent): ServiceTransition {
  if (FINAL_SERVICE_STATUSES.includes(status)) return { ok: false, reason: 'final' };
  switch (event.type) {
    case 'review':
      return status === 'requested' ? { ok: true, status: 'in_review' } : { ok: false, reason: 'not_in_this_status' };
    case 'decide':
      return status === 'requested' || status === 'in_review'
        ? { ok: true, status: event.approve ? 'approved' : 'rejected' }
        : { ok: false, reason: 'not_in_this_status' };
    case 'start':
      if (status === 'approved') return { ok: true, status: 'in_progress' };
      if (status === 'requested' || status === 'in_review') {
        return event.needsApproval ? { ok: false, reason: 'approval_needed' } : { ok: true, status: 'in_progress' };
      }
      return { ok: false, reason: 'not_in_this_status' };
    case 'complete':
      return status === 'in_progress' ? { ok: true, status: 'completed' } : { ok: false, reason: 'not_in_this_status' };
    case 'cancel':
      return { ok: true, status: 'cancelled' };
  }
}

/** True when the request's time has passed and it is still open (P8.2.2: business handled late). */
export function isServiceOverdue(r: { status: ServiceStatus; dueAt: string }, now: Date): boolean {
  return !FINAL_SERVICE_STATUSES.includes(r.status) && Date.parse(r.dueAt) < now.getTime();
}
