import { addDays, daysBetween } from './case-rules.js';

/**
 * The loan watch (P7.1, P7.1.2; docs/credit.md "Loan watch"): for each loan of a registered
 * customer, whether the risk officer should prepare now for an instalment the customer will likely
 * not be able to pay (before arrears, not after), or deal with a loan already past due. Money is in
 * fen, as integers; dates are the bank's calendar days.
 */

/** An instalment due within this many days (or already due and unpaid) is looked at. */
export const WATCH_HORIZON_DAYS = 30;
/** Inflows are summed over periods of this many days, a stand-in for a month that is the same length every time. */
export const INFLOW_PERIOD_DAYS = 30;
/** The periods the repayment capacity is judged on: the last 90 days. */
export const CAPACITY_PERIODS = 3;
/**
 * The most of the customer's monthly inflow their loan instalments may take and still count as
 * covered: the 50 % debt-service ratio Chinese banks lend against (月供收入比), the rest being
 * what a household, and a patient's treatment, needs to live on.
 */
export const MAX_DEBT_SHARE_PERCENT = 50;
/** The prepare task is due this many days before the instalment (or today, when that is later). */
export const PREPARE_LEAD_DAYS = 7;

export const WATCH_ACTIONS = ['none', 'prepare', 'past_due'] as const;
export type WatchAction = (typeof WATCH_ACTIONS)[number];

/** What the watch knows of a loan: the core banking system's figures, as imported. */
export interface WatchedLoan {
  instalmentMinor: number;
  outstandingMinor: number;
  nextPaymentDate: string | null;
  daysPastDue: number;
  status: 'performing' | 'overdue' | 'restructured' | 'closed';
}

/** The verdict on one loan, with the figures it was reached on (the page shows them). */
export interface WatchVerdict {
  action: WatchAction;
  /** Days from today to the next instalment (negative: it was due and the core still shows it), null without one. */
  daysToDue: number | null;
  /** The customer's monthly repayment capacity: see `repaymentCapacity`. */
  capacityMinor: number;
  /** The customer's instalments per month, over all their open loans. */
  debtMinor: number;
}

/**
 * A customer's monthly inflow as the watch counts it: the lower of the 90-day monthly average
 * (rounded down to the fen) and the latest 30-day period, so that a salary that has just stopped
 * (the illness's first month) counts at once instead of being averaged away. `periodsMinor` holds
 * the credits of consecutive 30-day periods, oldest first; only the last `CAPACITY_PERIODS` count.
 * No periods (nothing known) is a capacity of 0.
 */
export function repaymentCapacity(periodsMinor: readonly number[]): number {
  const recent = periodsMinor.slice(-CAPACITY_PERIODS);
  const latest = recent.at(-1);
  if (latest === undefined) return 0;
  const average = Math.floor(recent.reduce((sum, x) => sum + x, 0) / CAPACITY_PERIODS);
  return Math.max(0, Math.min(average, latest));
}

/** True when instalments of `debtMinor` a month take at most `MAX_DEBT_SHARE_PERCENT` of `capacityMinor`. */
export function debtCovered(debtMinor: number, capacityMinor: number): boolean {
  // In integers: debt / capacity ≤ 50 / 100.
  return debtMinor * 100 <= capacityMinor * MAX_DEBT_SHARE_PERCENT;
}

/** True when the core banking system reports the loan in arrears. */
export function isPastDue(loan: Pick<WatchedLoan, 'daysPastDue' | 'status'>): boolean {
  return loan.status !== 'closed' && (loan.daysPastDue > 0 || loan.status === 'overdue');
}

/**
 * The watch's verdict on one loan today:
 * - `past_due` when the core reports it in arrears (days past due above 0, or status overdue);
 * - `prepare` when its next instalment falls within `WATCH_HORIZON_DAYS` (or has fallen and is
 *   still shown as next) and the customer's instalments over all their open loans
 *   (`monthlyDebtMinor`) take more than half of their repayment capacity;
 * - `none` otherwise, and always for a closed or repaid loan or one without an instalment.
 */
export function loanWatchVerdict(input: {
  loan: WatchedLoan;
  today: string;
  inflowPeriodsMinor: readonly number[];
  monthlyDebtMinor: number;
}): WatchVerdict {
  const { loan, today } = input;
  const capacityMinor = repaymentCapacity(input.inflowPeriodsMinor);
  const daysToDue = loan.nextPaymentDate === null ? null : daysBetween(today, loan.nextPaymentDate);
  const figures = { daysToDue, capacityMinor, debtMinor: input.monthlyDebtMinor };
  if (loan.status === 'closed' || loan.outstandingMinor <= 0) return { action: 'none', ...figures };
  if (isPastDue(loan)) return { action: 'past_due', ...figures };
  if (daysToDue === null || daysToDue > WATCH_HORIZON_DAYS || loan.instalmentMinor <= 0) return { action: 'none', ...figures };
  return { action: debtCovered(input.monthlyDebtMinor, capacityMinor) ? 'none' : 'prepare', ...figures };
}

/** The due date of the prepare task: a week before the instalment, or today when that has passed. */
export function prepareDueOn(today: string, instalmentDueOn: string): string {
  const wanted = addDays(instalmentDueOn, -PREPARE_LEAD_DAYS);
  return daysBetween(today, wanted) < 0 ? today : wanted;
}

/**
 * The bounds of the `count` consecutive inflow periods that end with yesterday (today is not over
 * yet), oldest first: each `{ from, to }` is inclusive, `INFLOW_PERIOD_DAYS` days long.
 */
export function inflowPeriods(today: string, count: number): { from: string; to: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const back = count - i;
    return { from: addDays(today, -back * INFLOW_PERIOD_DAYS), to: addDays(today, -(back - 1) * INFLOW_PERIOD_DAYS - 1) };
  });
}

/** The instalments per month of the customer's open loans (closed ones owe nothing more). */
export function monthlyDebt(loans: readonly Pick<WatchedLoan, 'instalmentMinor' | 'status' | 'outstandingMinor'>[]): number {
  return loans.filter((l) => l.status !== 'closed' && l.outstandingMinor > 0).reduce((sum, l) => sum + Math.max(0, l.instalmentMinor), 0);
}
