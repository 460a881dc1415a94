import { addMonthsClamped, type Instalment, repaymentSchedule, type Schedule } from './loan-schedule.js';
import type { RestructuringChange } from './service-catalogue.js';

/**
 * A restructuring proposal (P7.1.1: "when repayment capacity falls, negotiate an adjusted repayment
 * plan"): the loan's remaining schedule as it runs now and as the proposal would make it, side by
 * side, with the difference in total cost to the fen.
 *
 * The loan as core banking reported it: what is outstanding, the rate, the next due date and the
 * maturity. Its remaining schedule is modelled as an annuity of the outstanding balance over the
 * instalments left (the next due date to maturity, monthly), the way core banking amortises it.
 * The new schedule keeps the next due date and changes one thing:
 *
 * - `deferral` (months m ≤ 24): the next m instalments pay interest only, then the balance
 *   amortises over the instalments that were left (the term grows by m);
 * - `term_extension` (months m): the balance amortises over the instalments left + m;
 * - `rate_reduction` (a lower annual rate): the same instalments at the new rate;
 * - `reduced_instalment` (a target instalment, lower than now): the fewest instalments (at most
 *   360) whose instalment is no more than the target.
 */

/** The loan a restructuring changes, in fen. */
export interface LoanTerms {
  outstandingMinor: number;
  interestRateBp: number;
  /** The next instalment's due date; null: a month after `today`. */
  nextPaymentDate: string | null;
  maturityDate: string;
}

/** The change a proposal makes, as the request's details name it. */
export interface RestructuringProposal {
  change: RestructuringChange;
  months?: number;
  annualRatePercent?: number;
  instalmentMinor?: number;
}

/** The old and the new schedule and what the change costs or saves (negative: the customer pays less). */
export interface RestructuringComparison {
  before: Schedule & { months: number; annualRatePercent: number; instalmentMinor: number; totalPaidMinor: number };
  after: Schedule & { months: number; annualRatePercent: number; instalmentMinor: number; totalPaidMinor: number };
  /** New total interest − old total interest, in fen. */
  costDifferenceMinor: number;
}

/** A proposal that cannot be worked out, by field and a stable reason. */
export interface RestructuringProblem {
  path: string;
  reason: 'invalid' | 'range' | 'not_allowed';
}

const MAX_MONTHS = 360;

/** Whole calendar months from one date to another (days ignored). */
function monthsBetween(from: string, to: string): number {
  const [fy = 0, fm = 1] = from.split('-').map(Number);
  const [ty = 0, tm = 1] = to.split('-').map(Number);
  return ty * 12 + tm - (fy * 12 + fm);
}

/** The instalment a schedule asks once any interest-only months are over. */
function regularInstalment(s: Schedule, grace: number): number {
  return s.instalments[grace]?.totalMinor ?? s.instalments[0]?.totalMinor ?? 0;
}

function annuity(principal: number, ratePercent: number, months: number, firstDue: string, grace = 0): Schedule {
  const s = repaymentSchedule({
    principalMinor: principal,
    annualRatePercent: ratePercent,
    months,
    method: 'annuity',
    startOn: firstDue,
    graceMonths: grace,
  });
  // Dated from the next due date itself (instalment 1 falls on it), so a month-end date is kept.
  const instalments: Instalment[] = s.instalments.map((i) => ({ ...i, dueOn: addMonthsClamped(firstDue, i.n - 1) }));
  return { instalments, totalInterestMinor: s.totalInterestMinor };
}

/**
 * The old and new schedules of a proposal, or the problems that keep it from being worked out
 * (a closed or repaid loan, a rate not lower than now, an instalment not lower than now or too low
 * to repay within 360 months).
 */
export function compareRestructuring(
  loan: LoanTerms,
  proposal: RestructuringProposal,
  today: string,
): { ok: true; comparison: RestructuringComparison } | { ok: false; problems: RestructuringProblem[] } {
  if (!Number.isSafeInteger(loan.outstandingMinor) || loan.outstandingMinor < 1)
    return { ok: false, problems: [{ path: 'loanId', reason: 'invalid' }] };
  const firstDue = loan.nextPaymentDate ?? addMonthsClamped(today, 1);
  const left = Math.min(MAX_MONTHS, Math.max(1, monthsBetween(firstDue, loan.maturityDate) + 1));
  const rate = loan.interestRateBp / 100;
  const before = annuity(loan.outstandingMinor, rate, left, firstDue);
  const beforeInstalment = regularInstalment(before, 0);
  let after: Schedule;
  let months = left;
  let newRate = rate;
  let grace = 0;
  switch (proposal.change) {
    case 'deferral': {
      grace = proposal.months ?? 0;
      if (!Number.isInteger(grace) || grace < 1 || grace > 24) return { ok: false, problems: [{ path: 'months', reason: 'range' }] };
      months = left + grace;
      if (months > MAX_MONTHS) return { ok: false, problems: [{ path: 'months', reason: 'range' }] };
      after = annuity(loan.outstandingMinor, rate, months, firstDue, grace);
      break;
    }
    case 'term_extension': {
      const m = proposal.months ?? 0;
      if (!Number.isInteger(m) || m < 1 || left + m > MAX_MONTHS) return { ok: false, problems: [{ path: 'months', reason: 'range' }] };
      months = left + m;
      after = annuity(loan.outstandingMinor, rate, months, firstDue);
      break;
    }
    case 'rate_reduction': {
      const p = proposal.annualRatePercent;
      if (p === undefined || !Number.isFinite(p) || p < 0 || p >= rate || Number(p.toFixed(4)) !== p)
        return { ok: false, problems: [{ path: 'annualRatePercent', reason: 'range' }] };
      newRate = p;
      after = annuity(loan.outstandingMinor, p, months, firstDue);
      break;
    }
    case 'reduced_instalment': {
      const target = proposal.instalmentMinor;
      if (target === undefined || !Number.isSafeInteger(target) || target < 1 || target >= beforeInstalment)
        return { ok: false, problems: [{ path: 'instalmentMinor', reason: 'range' }] };
      // The instalment falls as the term grows: the fewest months that meet the target.
      let lo = left;
      let hi = MAX_MONTHS;
      if (regularInstalment(annuity(loan.outstandingMinor, rate, hi, firstDue), 0) > target)
        return { ok: false, problems: [{ path: 'instalmentMinor', reason: 'range' }] };
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (regularInstalment(annuity(loan.outstandingMinor, rate, mid, firstDue), 0) <= target) hi = mid;
        else lo = mid + 1;
      }
      months = lo;
      after = annuity(loan.outstandingMinor, rate, months, firstDue);
      break;
    }
  }
  const total = (s: Schedule) => loan.outstandingMinor + s.totalInterestMinor;
  return {
    ok: true,
    comparison: {
      before: { ...before, months: left, annualRatePercent: rate, instalmentMinor: beforeInstalment, totalPaidMinor: total(before) },
      after: {
        ...after,
        months,
        annualRatePercent: newRate,
        instalmentMinor: regularInstalment(after, grace),
        totalPaidMinor: total(after),
      },
      costDifferenceMinor: after.totalInterestMinor - before.totalInterestMinor,
    },
  };
}
