import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALERT_STATUSES,
  type AlertEvent,
  type AlertStatus,
  CONTACT_OUTCOMES,
  isContactOverdue,
  minutesBetween,
  nextAlertStatus,
  percentile,
} from './alert-lifecycle.js';

const eventArb: fc.Arbitrary<AlertEvent> = fc.oneof(
  fc.constantFrom(...CONTACT_OUTCOMES).map((outcome): AlertEvent => ({ type: 'contact', outcome })),
  fc.constant<AlertEvent>({ type: 'verify' }),
  fc.constant<AlertEvent>({ type: 'resolve' }),
);

const ORDER: Record<AlertStatus, number> = { open: 0, contacted: 1, verified: 2, resolved: 3 };

describe('the alert lifecycle', () => {
  it('should go open → contacted → verified → resolved', () => {
    let s: AlertStatus = 'open';
    for (const e of [{ type: 'contact', outcome: 'reached' }, { type: 'verify' }, { type: 'resolve' }] as const) {
      const t = nextAlertStatus(s, e);
      expect(t.ok).toBe(true);
      if (t.ok) s = t.status;
    }
    expect(s).toBe('resolved');
  });

  it('should keep an alert open when the customer was not reached', () => {
    expect(nextAlertStatus('open', { type: 'contact', outcome: 'not_reached' })).toEqual({ ok: true, status: 'open' });
  });

  it('should refuse verifying before a contact and resolving before a verification', () => {
    expect(nextAlertStatus('open', { type: 'verify' }).ok).toBe(false);
    expect(nextAlertStatus('open', { type: 'resolve' }).ok).toBe(false);
    expect(nextAlertStatus('contacted', { type: 'resolve' }).ok).toBe(false);
  });

  it('should never move backwards, never skip a status and never leave resolved, whatever the events', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALERT_STATUSES), fc.array(eventArb, { maxLength: 30 }), (start, events) => {
        let s = start;
        for (const e of events) {
          const t = nextAlertStatus(s, e);
          if (!t.ok) {
            expect(t.reason.length).toBeGreaterThan(0);
            continue;
          }
          expect(s).not.toBe('resolved');
          expect(ORDER[t.status] - ORDER[s]).toBeGreaterThanOrEqual(0);
          expect(ORDER[t.status] - ORDER[s]).toBeLessThanOrEqual(1);
          s = t.status;
        }
      }),
    );
  });

  it('should reach resolved only through a reached contact and a verification', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 30 }), (events) => {
        let s: AlertStatus = 'open';
        const accepted: AlertEvent[] = [];
        for (const e of events) {
          const t = nextAlertStatus(s, e);
          if (t.ok) {
            accepted.push(e);
            s = t.status;
          }
        }
        if (s === 'resolved') {
          expect(accepted.some((e) => e.type === 'contact' && e.outcome === 'reached')).toBe(true);
          expect(accepted.some((e) => e.type === 'verify')).toBe(true);
        }
      }),
    );
  });
});

describe('the alert timings', () => {
  it('should call an open alert overdue once the contact target has passed, and no other', () => {
    const raised = '2026-11-28T09:00:00.000Z';
    expect(isContactOverdue('open', raised, new Date('2026-11-29T09:00:01Z'), 24)).toBe(true);
    expect(isContactOverdue('open', raised, new Date('2026-11-29T08:59:59Z'), 24)).toBe(false);
    expect(isContactOverdue('contacted', raised, new Date('2026-12-10T00:00:00Z'), 24)).toBe(false);
  });

  it('should give the nearest-rank percentile, within the values and monotonic in the share', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([10, 30, 20], 0.5)).toBe(20);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1 }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, p) => {
        const v = percentile(xs, p);
        expect(xs).toContain(v);
        const hi = percentile(xs, Math.min(1, p + 0.1));
        expect(hi ?? 0).toBeGreaterThanOrEqual(v ?? 0);
      }),
    );
  });

  it('should count whole minutes between instants', () => {
    expect(minutesBetween('2026-11-28T09:00:00Z', '2026-11-28T10:30:59Z')).toBe(90);
  });
});
