import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  debtCovered,
  inflowPeriods,
  loanWatchVerdict,
  monthlyDebt,
  prepareDueOn,
  repaymentCapacity,
  type WatchedLoan,
} from './loan-watch.js';

const TODAY = '2026-12-07';
/** A performing mortgage: ¥8,000 a month, next due in two weeks. */
const LOAN: WatchedLoan = {
  instalmentMinor: 800_000,
  outstandingMinor: 120_000_000,
  nextPaymentDate: '2026-12-21',
  daysPastDue: 0,
  status: 'performing',
};
const verdict = (loan: Partial<WatchedLoan>, inflowPeriodsMinor: number[], monthlyDebtMinor = 800_000) =>
  loanWatchVerdict({ loan: { ...LOAN, ...loan }, today: TODAY, inflowPeriodsMinor, monthlyDebtMinor });

describe('loan watch rules', () => {
  it('P7.1.2 should prepare for an instalment due within 30 days that the recent inflows will likely not cover', () => {
    // ¥12,000 a month comes in: ¥8,000 is more than half of it.
    expect(verdict({}, [1_200_000, 1_200_000, 1_200_000])).toMatchObject({
      action: 'prepare',
      daysToDue: 14,
      capacityMinor: 1_200_000,
      debtMinor: 800_000,
    });
    // Due in exactly 30 days still counts; in 31 it waits.
    expect(verdict({ nextPaymentDate: '2027-01-06' }, [0, 0, 0]).action).toBe('prepare');
    expect(verdict({ nextPaymentDate: '2027-01-07' }, [0, 0, 0]).action).toBe('none');
    // Nothing known of the inflows is no capacity at all.
    expect(verdict({}, []).action).toBe('prepare');
  });

  it('P7.1.2 should see nothing to prepare when the inflows cover the instalments twice over', () => {
    expect(verdict({}, [1_600_000, 1_600_000, 1_600_000]).action).toBe('none');
    expect(verdict({}, [2_000_000, 1_800_000, 1_700_000]).action).toBe('none');
  });

  it('P7.1.2 should count a salary that has just stopped at once, not averaged over three months', () => {
    // The average is ¥20,000 but the last 30 days brought ¥1,000: the capacity is the ¥1,000.
    expect(repaymentCapacity([3_000_000, 2_900_000, 100_000])).toBe(100_000);
    expect(verdict({}, [3_000_000, 2_900_000, 100_000]).action).toBe('prepare');
    // A rise in the last month does not lift the capacity above the average.
    expect(repaymentCapacity([300_000, 300_000, 3_000_000])).toBe(1_200_000);
    // Only the last three periods count.
    expect(repaymentCapacity([0, 0, 900_000, 900_000, 900_000])).toBe(900_000);
  });

  it('P7.1.2 should weigh all of the customer’s instalments, not the one loan alone', () => {
    // ¥12,000 in: this loan’s ¥5,000 alone is covered, with a ¥3,000 car loan beside it it is not.
    expect(verdict({ instalmentMinor: 500_000 }, [1_200_000, 1_200_000, 1_200_000], 500_000).action).toBe('none');
    expect(verdict({ instalmentMinor: 500_000 }, [1_200_000, 1_200_000, 1_200_000], 800_000).action).toBe('prepare');
  });

  it('P7.1.2 should call a loan in arrears past due, whatever the inflows', () => {
    expect(verdict({ daysPastDue: 3 }, [9_000_000, 9_000_000, 9_000_000]).action).toBe('past_due');
    expect(verdict({ status: 'overdue', nextPaymentDate: null }, []).action).toBe('past_due');
  });

  it('P7.1 should leave closed and repaid loans, and loans without a next instalment, alone', () => {
    expect(verdict({ status: 'closed', daysPastDue: 5 }, []).action).toBe('none');
    expect(verdict({ outstandingMinor: 0 }, []).action).toBe('none');
    expect(verdict({ nextPaymentDate: null }, []).action).toBe('none');
    expect(verdict({ instalmentMinor: 0 }, [], 0).action).toBe('none');
  });

  it('P7.1.2 should still prepare for an instalment whose date has passed while the core shows no arrears yet', () => {
    expect(verdict({ nextPaymentDate: '2026-12-05' }, [0, 0, 0])).toMatchObject({ action: 'prepare', daysToDue: -2 });
  });

  it('should date the prepare task a week before the instalment, never in the past', () => {
    expect(prepareDueOn(TODAY, '2026-12-21')).toBe('2026-12-14');
    expect(prepareDueOn(TODAY, '2026-12-10')).toBe(TODAY);
  });

  it('should cut the inflow periods as 30-day spans ending yesterday, oldest first', () => {
    expect(inflowPeriods(TODAY, 3)).toEqual([
      { from: '2026-09-08', to: '2026-10-07' },
      { from: '2026-10-08', to: '2026-11-06' },
      { from: '2026-11-07', to: '2026-12-06' },
    ]);
  });

  it('should add up the instalments of open loans only', () => {
    expect(
      monthlyDebt([
        { instalmentMinor: 800_000, status: 'performing', outstandingMinor: 1 },
        { instalmentMinor: 300_000, status: 'overdue', outstandingMinor: 1 },
        { instalmentMinor: 900_000, status: 'closed', outstandingMinor: 0 },
      ]),
    ).toBe(1_100_000);
  });

  it('should judge coverage exactly at half the capacity, in integers', () => {
    expect(debtCovered(500_000, 1_000_000)).toBe(true);
    expect(debtCovered(500_001, 1_000_000)).toBe(false);
    expect(debtCovered(1, 0)).toBe(false);
    expect(debtCovered(0, 0)).toBe(true);
  });

  it('should answer a verdict for any loan and inflows, never throw', () => {
    fc.assert(
      fc.property(
        fc.record({
          instalmentMinor: fc.integer({ min: 0, max: 10_000_000_000 }),
          outstandingMinor: fc.integer({ min: 0, max: 100_000_000_000 }),
          nextPaymentDate: fc.option(
            fc
              .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
              .map((d) => d.toISOString().slice(0, 10)),
          ),
          daysPastDue: fc.integer({ min: 0, max: 5000 }),
          status: fc.constantFrom('performing', 'overdue', 'restructured', 'closed'),
        }),
        fc.array(fc.integer({ min: 0, max: 100_000_000_000 }), { maxLength: 6 }),
        (loan, inflows) => {
          const v = loanWatchVerdict({ loan, today: TODAY, inflowPeriodsMinor: inflows, monthlyDebtMinor: loan.instalmentMinor });
          expect(['none', 'prepare', 'past_due']).toContain(v.action);
          expect(Number.isSafeInteger(v.capacityMinor)).toBe(true);
          if (v.action === 'prepare') expect(v.daysToDue).not.toBeNull();
        },
      ),
    );
  });
});
