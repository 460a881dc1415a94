import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LEAD_EVENT_TYPES,
  LEAD_STATUSES,
  type LeadActorKind,
  type LeadEvent,
  type LeadStatus,
  isClosed,
  nextLeadStatus,
} from './lead-lifecycle.js';

const ACTORS: LeadActorKind[] = ['supervisor', 'assignee', 'reporter', 'system'];

const eventArb: fc.Arbitrary<LeadEvent> = fc
  .record({ type: fc.constantFrom(...LEAD_EVENT_TYPES), by: fc.constantFrom(...ACTORS), customerMatched: fc.boolean() })
  .map(({ type, by, customerMatched }) => (type === 'confirm' ? { type, by, customerMatched } : { type, by }));

/** Runs events from `new`, skipping refused ones; answers every status passed and the accepted events. */
function run(events: readonly LeadEvent[], start: LeadStatus = 'new') {
  let status = start;
  const trail: { status: LeadStatus; event: LeadEvent }[] = [];
  for (const event of events) {
    const t = nextLeadStatus(status, event);
    if (t.ok) {
      trail.push({ status: t.status, event });
      status = t.status;
    }
  }
  return { status, trail };
}

describe('lead lifecycle', () => {
  it('should walk the ordinary path: new → in_verification → confirmed → registered', () => {
    expect(nextLeadStatus('new', { type: 'assign', by: 'supervisor' })).toEqual({ ok: true, status: 'in_verification' });
    expect(nextLeadStatus('in_verification', { type: 'check', by: 'assignee' })).toEqual({ ok: true, status: 'in_verification' });
    expect(nextLeadStatus('in_verification', { type: 'confirm', by: 'supervisor', customerMatched: true })).toEqual({
      ok: true,
      status: 'confirmed',
    });
    expect(nextLeadStatus('confirmed', { type: 'register', by: 'supervisor' })).toEqual({ ok: true, status: 'registered' });
  });

  it('should refuse with a reason what is not allowed', () => {
    const cases: [LeadStatus, LeadEvent][] = [
      ['new', { type: 'register', by: 'supervisor' }],
      ['new', { type: 'confirm', by: 'supervisor', customerMatched: false }],
      ['new', { type: 'confirm', by: 'assignee', customerMatched: true }],
      ['new', { type: 'check', by: 'assignee' }],
      ['in_verification', { type: 'check', by: 'supervisor' }],
      ['rejected', { type: 'confirm', by: 'supervisor', customerMatched: true }],
      ['registered', { type: 'reopen', by: 'supervisor' }],
      ['rejected', { type: 'reopen', by: 'assignee' }],
      ['confirmed', { type: 'assign', by: 'supervisor' }],
      ['in_verification', { type: 'link', by: 'system' }],
    ];
    for (const [status, event] of cases) {
      const t = nextLeadStatus(status, event);
      expect(t.ok, `${status} + ${event.type} by ${event.by}`).toBe(false);
      if (!t.ok) expect(t.reason.length).toBeGreaterThan(5);
    }
  });

  it('should reopen a rejected or duplicate lead only by a supervisor, to new', () => {
    expect(nextLeadStatus('rejected', { type: 'reopen', by: 'supervisor' })).toEqual({ ok: true, status: 'new' });
    expect(nextLeadStatus('duplicate', { type: 'reopen', by: 'supervisor' })).toEqual({ ok: true, status: 'new' });
    expect(nextLeadStatus('new', { type: 'reopen', by: 'supervisor' }).ok).toBe(false);
  });

  it('should never throw, whatever the status and event', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LEAD_STATUSES), fc.array(eventArb, { maxLength: 40 }), (start, events) => {
        expect(() => run(events, start)).not.toThrow();
      }),
    );
    // Not even for events from outside the type (JSON from an old client, say).
    fc.assert(
      fc.property(fc.constantFrom(...LEAD_STATUSES), fc.anything(), (status, junk) => {
        // Deliberately ill-typed: the point is that junk answers a refusal instead of throwing.
        const t = nextLeadStatus(status, { type: junk, by: junk } as unknown as LeadEvent);
        expect(t.ok).toBe(false);
      }),
    );
  });

  it('should never reach registered without a supervisor confirming first (no path skips verification)', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 60 }), (events) => {
        const { trail } = run(events);
        trail.forEach((step, i) => {
          if (step.status !== 'registered') return;
          const before = trail[i - 1];
          expect(before?.status).toBe('confirmed');
          expect(before?.event).toMatchObject({ type: 'confirm', by: 'supervisor', customerMatched: true });
          expect(step.event.by).toBe('supervisor');
        });
      }),
    );
  });

  it('should never change a closed lead but through a supervisor’s reopen, and never a registered one', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LEAD_STATUSES), eventArb, (status, event) => {
        const t = nextLeadStatus(status, event);
        if (!isClosed(status) || !t.ok) return;
        if (t.status === status) return;
        expect(event).toMatchObject({ type: 'reopen', by: 'supervisor' });
        expect(status).not.toBe('registered');
        expect(t.status).toBe('new');
      }),
    );
  });

  it('should let only supervisors and the system make decisions', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LEAD_STATUSES), eventArb, (status, event) => {
        const t = nextLeadStatus(status, event);
        if (t.ok && t.status !== status && event.type !== 'assign') expect(['supervisor', 'system']).toContain(event.by);
        if (t.ok && event.type === 'check') expect(event.by).toBe('assignee');
      }),
    );
  });
});
