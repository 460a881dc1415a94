/**
 * The emergency loan (P4.1; P4.1.1: for a customer whose illness has caused a cash shortfall — the
 * shortfall is the precondition to assess). Pure rules: the shortfall from the case's financial
 * section and the customer's liquid savings, and the checks of an amount against it and the cap.
 *
 * The shortfall over the horizon (6 months by default; docs/credit.md):
 *
 *   shortfall = expected medical costs + monthly income lost × horizon − liquid savings
 *
 * floored at 0. Liquid savings are the balances of the customer's active current and savings
 * accounts (time deposits and cards are left out: one is locked, the other is credit). Debts are
 * not part of it: they run on their own schedules, which a restructuring (P7.1.1) adjusts.
 */

/** The longest an emergency loan runs: it bridges the illness, it does not finance a house. */
export const EMERGENCY_LOAN_MAX_TERM_MONTHS = 36;

/** The months of lost income the shortfall counts. */
export const SHORTFALL_HORIZON_MONTHS = 6;

/** What the shortfall is worked out from, every amount in fen (null: not recorded). */
export interface ShortfallInput {
  expectedMedicalCostsMinor: number | null;
  lostMonthlyIncomeMinor: number | null;
  liquidSavingsMinor: number;
  horizonMonths?: number;
}

/** The shortfall and the figures it came from. */
export interface Shortfall {
  expectedMedicalCostsMinor: number;
  lostIncomeMinor: number;
  liquidSavingsMinor: number;
  horizonMonths: number;
  shortfallMinor: number;
}

/** The cash shortfall the illness causes over the horizon (0 when savings cover it). */
export function emergencyShortfall(input: ShortfallInput): Shortfall {
  const horizonMonths = input.horizonMonths ?? SHORTFALL_HORIZON_MONTHS;
  const medical = Math.max(0, input.expectedMedicalCostsMinor ?? 0);
  const lostIncome = Math.max(0, input.lostMonthlyIncomeMinor ?? 0) * horizonMonths;
  const savings = Math.max(0, input.liquidSavingsMinor);
  return {
    expectedMedicalCostsMinor: medical,
    lostIncomeMinor: lostIncome,
    liquidSavingsMinor: savings,
    horizonMonths,
    shortfallMinor: Math.max(0, medical + lostIncome - savings),
  };
}

/** Why an amount cannot be lent, as a stable reason (api-conventions.md). */
export type LoanRefusal = 'no_shortfall' | 'above_cap' | 'above_shortfall';

/** The most that may be lent: the cap or the shortfall, whichever is lower. */
export function emergencyLoanMaximum(capMinor: number, shortfallMinor: number): number {
  return Math.max(0, Math.min(capMinor, shortfallMinor));
}

/**
 * The reasons an amount is refused: no shortfall at all (the precondition), more than the cap,
 * more than the shortfall. None: it may be lent.
 */
export function emergencyLoanRefusals(amountMinor: number, capMinor: number, shortfallMinor: number): LoanRefusal[] {
  if (shortfallMinor <= 0) return ['no_shortfall'];
  const refusals: LoanRefusal[] = [];
  if (amountMinor > capMinor) refusals.push('above_cap');
  if (amountMinor > shortfallMinor) refusals.push('above_shortfall');
  return refusals;
}
