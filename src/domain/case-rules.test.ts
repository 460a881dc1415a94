import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLOSE_REASONS,
  addDays,
  caseNumberSequence,
  consentWithdrawnFlag,
  daysBetween,
  diffFields,
  formatCaseNumber,
  isCloseReason,
  isPastRetention,
  nextUpdateDue,
  retentionCutoff,
  updateState,
} from './case-rules.js';

describe('closing reasons', () => {
  it('should know the four reasons and nothing else', () => {
    expect(CLOSE_REASONS).toEqual(['recovered', 'deceased', 'customer_request', 'no_longer_eligible']);
    expect(isCloseReason('recovered')).toBe(true);
    expect(isCloseReason('bored')).toBe(false);
    expect(isCloseReason(undefined)).toBe(false);
  });
});

describe('dates', () => {
  it('should add days across months, years and leap days', () => {
    expect(addDays('2026-11-28', 30)).toBe('2026-12-28');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2026-12-31', '2027-01-02')).toBe(2);
  });

  it('should keep addDays and daysBetween inverse', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5000, max: 5000 }), (n) => {
        expect(daysBetween('2026-06-15', addDays('2026-06-15', n))).toBe(n);
      }),
    );
  });
});

describe('update reminders', () => {
  it('should be due the interval after the last update, or at an earlier review date', () => {
    expect(nextUpdateDue({ lastUpdateOn: '2026-11-28', reviewOn: '2027-06-01', intervalDays: 30 })).toBe('2026-12-28');
    expect(nextUpdateDue({ lastUpdateOn: '2026-11-28', reviewOn: '2026-12-10', intervalDays: 30 })).toBe('2026-12-10');
    // A review date met by the last update no longer counts.
    expect(nextUpdateDue({ lastUpdateOn: '2026-12-10', reviewOn: '2026-12-10', intervalDays: 30 })).toBe('2027-01-09');
  });

  it('should never be later than the interval after the last update', () => {
    fc.assert(
      fc.property(fc.integer({ min: -400, max: 400 }), fc.integer({ min: 1, max: 365 }), (offset, interval) => {
        const due = nextUpdateDue({ lastUpdateOn: '2026-11-28', reviewOn: addDays('2026-11-28', offset), intervalDays: interval });
        const left = daysBetween('2026-11-28', due);
        expect(left).toBeGreaterThan(0);
        expect(left).toBeLessThanOrEqual(interval);
      }),
    );
  });

  it('should be ok, then due three days before and on the day, then overdue', () => {
    expect(updateState('2026-12-28', '2026-12-24')).toBe('ok');
    expect(updateState('2026-12-28', '2026-12-25')).toBe('due');
    expect(updateState('2026-12-28', '2026-12-28')).toBe('due');
    expect(updateState('2026-12-28', '2026-12-29')).toBe('overdue');
  });
});

describe('retention', () => {
  it('should cut off the configured number of calendar years back', () => {
    expect(retentionCutoff(new Date('2031-11-28T09:00:00.000Z'), 5).toISOString()).toBe('2026-11-28T09:00:00.000Z');
    expect(retentionCutoff(new Date('2032-02-29T00:00:00.000Z'), 5).toISOString()).toBe('2027-02-28T00:00:00.000Z');
    expect(() => retentionCutoff(new Date(), 0)).toThrow(RangeError);
  });

  it('should purge only cases closed at least the period ago', () => {
    const closed = new Date('2026-11-28T09:00:00.000Z');
    expect(isPastRetention(closed, new Date('2031-11-28T08:59:59.999Z'), 5)).toBe(false);
    expect(isPastRetention(closed, new Date('2031-11-28T09:00:00.000Z'), 5)).toBe(true);
  });
});

describe('case numbers', () => {
  it('should format and read back the yearly sequence', () => {
    expect(formatCaseNumber(2026, 42)).toBe('CI-2026-000042');
    expect(caseNumberSequence('CI-2026-000042', 2026)).toBe(42);
    expect(caseNumberSequence('CI-2025-000042', 2026)).toBeNull();
    expect(caseNumberSequence('CI-2026-1234567', 2026)).toBe(1234567);
  });
});

describe('diffFields', () => {
  it('should name changed fields one level into sections, absent equal to null', () => {
    const changes = diffFields(
      { severity: 'high', condition: { category: 'a', description: 'x', hospital: null }, reviewOn: '2027-01-01' },
      { severity: 'medium', condition: { category: 'a', description: 'y' }, reviewOn: '2027-01-01' },
    );
    expect(changes).toEqual([
      { field: 'severity', old: 'high', new: 'medium' },
      { field: 'condition.description', old: 'x', new: 'y' },
    ]);
  });

  it('should find no change between a value and itself', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (v) => {
        expect(diffFields(v, structuredClone(v))).toEqual([]);
      }),
    );
  });
});

describe('consent flag', () => {
  const rec = (over: Partial<Parameters<typeof consentWithdrawnFlag>[0][number]>) => ({
    kind: 'partner_sharing',
    partner_id: 'P1',
    status: 'active' as const,
    recorded_at: '2026-11-01T00:00:00.000Z',
    withdrawn_at: null,
    ...over,
  });

  it('should flag a withdrawn consent until the same consent is given again', () => {
    expect(consentWithdrawnFlag([rec({})])).toBe(false);
    const withdrawn = rec({ status: 'withdrawn', withdrawn_at: '2026-11-10T00:00:00.000Z' });
    expect(consentWithdrawnFlag([withdrawn])).toBe(true);
    expect(consentWithdrawnFlag([withdrawn, rec({ partner_id: 'P2', recorded_at: '2026-11-11T00:00:00.000Z' })])).toBe(true);
    expect(consentWithdrawnFlag([withdrawn, rec({ recorded_at: '2026-11-11T00:00:00.000Z' })])).toBe(false);
  });
});
