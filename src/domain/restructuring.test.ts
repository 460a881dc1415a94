import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareRestructuring, type LoanTerms, type RestructuringProposal } from './restructuring.js';

const LOAN: LoanTerms = { outstandingMinor: 1_200_000, interestRateBp: 600, nextPaymentDate: '2027-01-31', maturityDate: '2027-12-31' };

function compare(loan: LoanTerms, p: RestructuringProposal) {
  const r = compareRestructuring(loan, p, '2026-12-15');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.comparison;
}

describe('restructuring', () => {
  it('P7.1.1 should model the remaining loan as an annuity from the next due date to maturity, month ends kept', () => {
    const c = compare(LOAN, { change: 'term_extension', months: 12 });
    expect(c.before.months).toBe(12);
    expect(c.before.instalments.map((i) => i.dueOn).slice(0, 3)).toEqual(['2027-01-31', '2027-02-28', '2027-03-31']);
    expect(c.before.instalments.at(-1)?.dueOn).toBe('2027-12-31');
    expect(c.after.months).toBe(24);
    expect(c.after.instalmentMinor).toBeLessThan(c.before.instalmentMinor);
    // A longer term costs more interest: the difference is exact and positive.
    expect(c.costDifferenceMinor).toBe(c.after.totalInterestMinor - c.before.totalInterestMinor);
    expect(c.costDifferenceMinor).toBeGreaterThan(0);
    expect(c.after.totalPaidMinor - c.before.totalPaidMinor).toBe(c.costDifferenceMinor);
  });

  it('P7.1.1 should split an interest-free loan exactly and cost nothing more when extended', () => {
    const c = compare({ ...LOAN, interestRateBp: 0 }, { change: 'term_extension', months: 12 });
    expect(c.before.instalmentMinor).toBe(100_000);
    expect(c.after.instalmentMinor).toBe(50_000);
    expect(c.costDifferenceMinor).toBe(0);
  });

  it('P7.1.1 should defer with interest-only months and then repay over the months that were left', () => {
    const c = compare(LOAN, { change: 'deferral', months: 3 });
    expect(c.after.months).toBe(15);
    // 1,200,000 × 0.5 % = 6,000 fen a month while deferred.
    expect(c.after.instalments.slice(0, 3).map((i) => [i.principalMinor, i.interestMinor])).toEqual([
      [0, 6000],
      [0, 6000],
      [0, 6000],
    ]);
    expect(c.after.instalmentMinor).toBe(c.before.instalmentMinor);
    expect(c.costDifferenceMinor).toBe(18_000);
  });

  it('P7.1.1 should lower the rate and save all the interest at zero', () => {
    const c = compare(LOAN, { change: 'rate_reduction', annualRatePercent: 0 });
    expect(c.after.totalInterestMinor).toBe(0);
    expect(c.costDifferenceMinor).toBe(-c.before.totalInterestMinor);
    expect(compareRestructuring(LOAN, { change: 'rate_reduction', annualRatePercent: 6 }, '2026-12-15')).toEqual({
      ok: false,
      problems: [{ path: 'annualRatePercent', reason: 'range' }],
    });
  });

  it('P7.1.1 should find the fewest months whose instalment meets a lower target', () => {
    const c = compare(LOAN, { change: 'reduced_instalment', instalmentMinor: 60_000 });
    expect(c.after.instalmentMinor).toBeLessThanOrEqual(60_000);
    const oneLess = compare(LOAN, { change: 'term_extension', months: c.after.months - 12 - 1 });
    expect(oneLess.after.instalmentMinor).toBeGreaterThan(60_000);
    expect(compareRestructuring(LOAN, { change: 'reduced_instalment', instalmentMinor: 200_000 }, '2026-12-15').ok).toBe(false);
    expect(compareRestructuring(LOAN, { change: 'reduced_instalment', instalmentMinor: 1 }, '2026-12-15').ok).toBe(false);
  });

  it('P7.1.1 should always repay exactly what is outstanding in both schedules', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500_000_000 }),
        fc.integer({ min: 0, max: 2400 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 24 }),
        (outstanding, bp, left, months) => {
          const loan = { outstandingMinor: outstanding, interestRateBp: bp, nextPaymentDate: '2027-01-15', maturityDate: '' };
          const [y, m] = [2027 + Math.floor(left / 12), ((left - 1) % 12) + 1];
          loan.maturityDate = `${y - (left % 12 === 0 ? 1 : 0)}-${String(m).padStart(2, '0')}-15`;
          const c = compare(loan, { change: 'deferral', months });
          for (const s of [c.before, c.after]) {
            expect(s.instalments.reduce((sum, i) => sum + i.principalMinor, 0)).toBe(outstanding);
            expect(s.instalments.at(-1)?.balanceMinor).toBe(0);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
