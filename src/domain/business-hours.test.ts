import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BusinessHours, addBusinessHours, businessHoursBetween } from './business-hours.js';

// 09:00–17:00 in China (UTC+8), 2026-10-01 a holiday.
const bh: BusinessHours = { openHour: 9, closeHour: 17, offsetMinutes: 480, holidays: new Set(['2026-10-01']) };
const at = (local: string) => new Date(`${local}+08:00`);

describe('business hours (P6.2.2)', () => {
  it('P6.2.2 should count only opening hours on working days', () => {
    // Monday 10:00 + 4 h = 14:00 the same day.
    expect(addBusinessHours(at('2026-12-07T10:00:00'), 4, bh)).toEqual(at('2026-12-07T14:00:00'));
    // Monday 15:00 + 4 h = Tuesday 11:00.
    expect(addBusinessHours(at('2026-12-07T15:00:00'), 4, bh)).toEqual(at('2026-12-08T11:00:00'));
    // Friday 16:00 + 2 h = Monday 10:00.
    expect(addBusinessHours(at('2026-12-11T16:00:00'), 2, bh)).toEqual(at('2026-12-14T10:00:00'));
    // Saturday evening + 1 h = Monday 10:00.
    expect(addBusinessHours(at('2026-12-12T20:00:00'), 1, bh)).toEqual(at('2026-12-14T10:00:00'));
    // The day before the holiday, 16:00 + 2 h: the holiday is skipped.
    expect(addBusinessHours(at('2026-09-30T16:00:00'), 2, bh)).toEqual(at('2026-10-02T10:00:00'));
  });

  it('should measure the business hours between two instants', () => {
    expect(businessHoursBetween(at('2026-12-07T15:00:00'), at('2026-12-08T11:00:00'), bh)).toBe(4);
    expect(businessHoursBetween(at('2026-12-11T16:00:00'), at('2026-12-14T10:00:00'), bh)).toBe(2);
    expect(businessHoursBetween(at('2026-12-08T11:00:00'), at('2026-12-07T15:00:00'), bh)).toBe(0);
  });

  it('should add and measure consistently, whatever the start and the hours (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2026-01-01'), max: Date.parse('2027-12-31') }),
        fc.integer({ min: 0, max: 200 }),
        (ms, hours) => {
          const start = new Date(ms);
          const due = addBusinessHours(start, hours, bh);
          expect(due.getTime()).toBeGreaterThanOrEqual(start.getTime());
          expect(businessHoursBetween(start, due, bh)).toBeCloseTo(hours, 6);
        },
      ),
    );
  });
});
