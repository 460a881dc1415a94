import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessDays, businessDaysBetween, isBusinessDay, utcDate } from './business-days.js';

const NONE: ReadonlySet<string> = new Set();
const at = (iso: string) => new Date(iso);

// Instants over a few years, and holiday sets drawn from the same range of days.
const instant = fc.date({ min: at('2025-01-01T00:00:00Z'), max: at('2028-12-31T23:59:59Z'), noInvalidDate: true });
const holidaySet = fc
  .array(fc.date({ min: at('2025-01-01T00:00:00Z'), max: at('2029-03-31T00:00:00Z'), noInvalidDate: true }).map(utcDate), { maxLength: 40 })
  .map((days) => new Set(days));
const days = fc.integer({ min: 0, max: 30 });

describe('business days', () => {
  it('should move a Friday afternoon report two business days on to Tuesday afternoon', () => {
    expect(addBusinessDays(at('2026-11-27T15:00:00Z'), 2, NONE).toISOString()).toBe('2026-12-01T15:00:00.000Z');
  });

  it('should skip holidays as well as weekends', () => {
    const holidays = new Set(['2026-11-30', '2026-12-01']);
    expect(addBusinessDays(at('2026-11-27T15:00:00Z'), 2, holidays).toISOString()).toBe('2026-12-03T15:00:00.000Z');
  });

  it('should count a weekend report from the start of the next business day', () => {
    // Saturday: Monday and Tuesday are the two days, so the deadline is the end of Tuesday.
    expect(addBusinessDays(at('2026-11-28T09:00:00Z'), 2, NONE).toISOString()).toBe('2026-12-02T00:00:00.000Z');
  });

  it('should refuse a negative or fractional number of days', () => {
    expect(() => addBusinessDays(at('2026-11-27T15:00:00Z'), -1, NONE)).toThrow(RangeError);
    expect(() => addBusinessDays(at('2026-11-27T15:00:00Z'), 1.5, NONE)).toThrow(RangeError);
  });

  it('should keep exactly n business days between the start and the deadline', () => {
    fc.assert(
      fc.property(instant, days, holidaySet, (start, n, holidays) => {
        const due = addBusinessDays(start, n, holidays);
        expect(businessDaysBetween(start, due, holidays)).toBe(n);
      }),
    );
  });

  it('should never put a deadline before its start, and land on a business day', () => {
    fc.assert(
      fc.property(instant, days, holidaySet, (start, n, holidays) => {
        const due = addBusinessDays(start, n, holidays);
        expect(due.getTime()).toBeGreaterThanOrEqual(start.getTime());
        if (n > 0 || !isBusinessDay(start, holidays)) expect(isBusinessDay(due, holidays)).toBe(true);
        if (isBusinessDay(start, holidays)) expect(due.getTime() % 86_400_000).toBe(start.getTime() % 86_400_000);
      }),
    );
  });

  it('should give a later deadline to a later start (monotonic)', () => {
    fc.assert(
      fc.property(instant, instant, days, holidaySet, (a, b, n, holidays) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(addBusinessDays(early, n, holidays).getTime()).toBeLessThanOrEqual(addBusinessDays(late, n, holidays).getTime());
      }),
    );
  });

  it('should only ever delay a deadline when holidays are added', () => {
    fc.assert(
      fc.property(instant, days, holidaySet, (start, n, holidays) => {
        expect(addBusinessDays(start, n, holidays).getTime()).toBeGreaterThanOrEqual(addBusinessDays(start, n, NONE).getTime());
      }),
    );
  });

  it('should grow with the number of days', () => {
    fc.assert(
      fc.property(instant, days, holidaySet, (start, n, holidays) => {
        expect(addBusinessDays(start, n + 1, holidays).getTime()).toBeGreaterThan(addBusinessDays(start, n, holidays).getTime());
      }),
    );
  });
});
