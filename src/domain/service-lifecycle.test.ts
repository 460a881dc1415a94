import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FINAL_SERVICE_STATUSES, SERVICE_STATUSES, type ServiceEvent, isServiceOverdue, nextServiceStatus } from './service-lifecycle.js';

const events: ServiceEvent[] = [
  { type: 'review' },
  { type: 'decide', approve: true },
  { type: 'decide', approve: false },
  { type: 'start', needsApproval: true },
  { type: 'start', needsApproval: false },
  { type: 'complete' },
  { type: 'cancel' },
];

describe('the life of a service request', () => {
  it('P4.2.1 should walk requested → in review → approved → in progress → completed for a type that needs approval', () => {
    let s = nextServiceStatus('requested', { type: 'review' });
    expect(s).toEqual({ ok: true, status: 'in_review' });
    s = nextServiceStatus('in_review', { type: 'decide', approve: true });
    expect(s).toEqual({ ok: true, status: 'approved' });
    s = nextServiceStatus('approved', { type: 'start', needsApproval: true });
    expect(s).toEqual({ ok: true, status: 'in_progress' });
    expect(nextServiceStatus('in_progress', { type: 'complete' })).toEqual({ ok: true, status: 'completed' });
  });

  it('P6.1.1 should let a type without approval start at once, and keep one that needs it waiting', () => {
    expect(nextServiceStatus('requested', { type: 'start', needsApproval: false })).toEqual({ ok: true, status: 'in_progress' });
    expect(nextServiceStatus('requested', { type: 'start', needsApproval: true })).toEqual({ ok: false, reason: 'approval_needed' });
  });

  it('should never leave a final status, and reach completed only from in progress (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SERVICE_STATUSES), fc.constantFrom(...events), (status, event) => {
        const t = nextServiceStatus(status, event);
        if (FINAL_SERVICE_STATUSES.includes(status)) expect(t).toEqual({ ok: false, reason: 'final' });
        if (t.ok && t.status === 'completed') expect(status).toBe('in_progress');
        if (t.ok && t.status === 'approved') expect(['requested', 'in_review']).toContain(status);
      }),
    );
  });

  it('P6.2.2 should call an open request past its time overdue, and a finished one never', () => {
    const now = new Date('2026-12-07T10:00:00Z');
    expect(isServiceOverdue({ status: 'in_progress', dueAt: '2026-12-07T09:00:00Z' }, now)).toBe(true);
    expect(isServiceOverdue({ status: 'requested', dueAt: '2026-12-07T11:00:00Z' }, now)).toBe(false);
    expect(isServiceOverdue({ status: 'completed', dueAt: '2026-12-01T09:00:00Z' }, now)).toBe(false);
  });
});
