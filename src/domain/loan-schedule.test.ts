import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonthsClamped, type Instalment, repaymentSchedule } from './loan-schedule.js';

/** The columns of a schedule as tuples, easier to compare with a schedule worked out by hand. */
const rows = (items: readonly Instalment[]) => items.map((i) => [i.dueOn, i.principalMinor, i.interestMinor, i.totalMinor, i.balanceMinor]);

describe('loan repayment schedules (API.md "Loan schedules")', () => {
  it('P7.1.1 should compute an annuity as worked out by hand: equal totals, the last paying the exact rest', () => {
    // ¥1,000 at 12 %: r = 1 % a month; A = 1000 × 0.01 × 1.01³ / (1.01³ − 1) = 340.0221… → ¥340.02.
    const s = repaymentSchedule({ principalMinor: 100_000, annualRatePercent: 12, months: 3, method: 'annuity', startOn: '2026-03-15' });
    expect(rows(s.instalments)).toEqual([
      ['2026-04-15', 33_002, 1_000, 34_002, 66_998],
      ['2026-05-15', 33_332, 670, 34_002, 33_666], // 669.98 → 670
      ['2026-06-15', 33_666, 337, 34_003, 0], // 336.66 → 337
    ]);
    expect(s.totalInterestMinor).toBe(2_007);
  });

  it('P7.1.1 should compute equal principal with the remainder on the last instalment and month-end dates from the 31st', () => {
    const s = repaymentSchedule({
      principalMinor: 100_000,
      annualRatePercent: 12,
      months: 3,
      method: 'equal_principal',
      startOn: '2026-01-31',
    });
    expect(rows(s.instalments)).toEqual([
      ['2026-02-28', 33_333, 1_000, 34_333, 66_667],
      ['2026-03-31', 33_333, 667, 34_000, 33_334], // 666.67 → 667
      ['2026-04-30', 33_334, 333, 33_667, 0], // 333.34 → 333
    ]);
    expect(s.totalInterestMinor).toBe(2_000);
  });

  it('P7.1.1 should pay interest only during the grace months, then amortise over the rest (leap February from the 29th)', () => {
    const s = repaymentSchedule({
      principalMinor: 120_000,
      annualRatePercent: 12,
      months: 4,
      method: 'equal_principal',
      startOn: '2024-01-29',
      graceMonths: 1,
    });
    expect(rows(s.instalments)).toEqual([
      ['2024-02-29', 0, 1_200, 1_200, 120_000],
      ['2024-03-29', 40_000, 1_200, 41_200, 80_000],
      ['2024-04-29', 40_000, 800, 40_800, 40_000],
      ['2024-05-29', 40_000, 400, 40_400, 0],
    ]);
    const annuity = repaymentSchedule({
      principalMinor: 100_000,
      annualRatePercent: 12,
      months: 5,
      method: 'annuity',
      startOn: '2026-01-10',
      graceMonths: 2,
    });
    // After two interest-only months the ¥1,000 is repaid over three, as in the first test.
    expect(rows(annuity.instalments).map((r) => r.slice(1))).toEqual([
      [0, 1_000, 1_000, 100_000],
      [0, 1_000, 1_000, 100_000],
      [33_002, 1_000, 34_002, 66_998],
      [33_332, 670, 34_002, 33_666],
      [33_666, 337, 34_003, 0],
    ]);
  });

  it('P4.1.1 should charge no interest at a zero rate and split the principal with the rest on the last instalment', () => {
    const s = repaymentSchedule({ principalMinor: 100_000, annualRatePercent: 0, months: 3, method: 'annuity', startOn: '2026-05-30' });
    expect(rows(s.instalments)).toEqual([
      ['2026-06-30', 33_333, 0, 33_333, 66_667],
      ['2026-07-30', 33_333, 0, 33_333, 33_334],
      ['2026-08-30', 33_334, 0, 33_334, 0],
    ]);
    expect(s.totalInterestMinor).toBe(0);
  });

  it('should round half a fen up and read a decimal rate exactly', () => {
    // ¥0.50 at 12 %: interest 0.5 fen → 1 fen.
    expect(
      repaymentSchedule({ principalMinor: 50, annualRatePercent: 12, months: 1, method: 'annuity', startOn: '2026-01-01' }).instalments[0],
    ).toMatchObject({
      interestMinor: 1,
      totalMinor: 51,
    });
    // ¥10,000 at 4.35 %: 1,000,000 × 0.0435 / 12 = 3,625 fen exactly (a float would give 3624.999…).
    expect(
      repaymentSchedule({ principalMinor: 1_000_000, annualRatePercent: 4.35, months: 2, method: 'equal_principal', startOn: '2026-01-01' })
        .instalments[0]?.interestMinor,
    ).toBe(3_625);
  });

  it('should keep the day of the month, or the last day where it does not exist', () => {
    expect(addMonthsClamped('2025-01-30', 1)).toBe('2025-02-28');
    expect(addMonthsClamped('2025-01-29', 1)).toBe('2025-02-28');
    expect(addMonthsClamped('2025-01-30', 2)).toBe('2025-03-30');
    expect(addMonthsClamped('2025-12-31', 2)).toBe('2026-02-28');
    expect(addMonthsClamped('2027-12-15', 1)).toBe('2028-01-15');
  });

  it('should always repay the principal exactly, with totals of principal plus interest and a falling balance', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000_000_000 }),
        fc.integer({ min: 0, max: 360_000 }).map((r) => r / 10_000),
        fc.integer({ min: 1, max: 360 }),
        fc.constantFrom('annuity' as const, 'equal_principal' as const),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 24 }),
        (principalMinor, annualRatePercent, months, method, start, graceWanted) => {
          const graceMonths = Math.min(graceWanted, months - 1);
          const s = repaymentSchedule({
            principalMinor,
            annualRatePercent,
            months,
            method,
            startOn: start.toISOString().slice(0, 10),
            graceMonths,
          });
          expect(s.instalments).toHaveLength(months);
          expect(s.instalments.reduce((sum, i) => sum + i.principalMinor, 0)).toBe(principalMinor);
          expect(s.instalments.at(-1)?.balanceMinor).toBe(0);
          expect(s.instalments.reduce((sum, i) => sum + i.interestMinor, 0)).toBe(s.totalInterestMinor);
          let before = principalMinor;
          let due = '';
          for (const i of s.instalments) {
            expect(i.principalMinor).toBeGreaterThanOrEqual(0);
            expect(i.totalMinor).toBe(i.principalMinor + i.interestMinor);
            expect(i.balanceMinor).toBe(before - i.principalMinor);
            expect(i.dueOn > due).toBe(true);
            if (i.n <= graceMonths) expect(i.principalMinor).toBe(0);
            before = i.balanceMinor;
            due = i.dueOn;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
