import { z } from 'zod';

/**
 * The risk officer's case assessment (P3.2.3, P7.2.2; docs/risk.md): what a case's customer owes
 * the bank (credit exposure, from the imported master data), what of their money is in question
 * (fund-safety exposure, from the alerts), and the sensitivity of the stronger account monitoring
 * chosen for them. Pure: no I/O, no clock.
 */

/** How strongly a customer's account is watched: the fund-safety thresholds are multiplied by the level's factor. */
export const SENSITIVITY_LEVELS = ['normal', 'heightened', 'high'] as const;
export type SensitivityLevel = (typeof SENSITIVITY_LEVELS)[number];

/** The factor each level applies to the fund-safety thresholds (amounts, and the baseline multiple down to 1×). */
export const SENSITIVITY_MULTIPLIER: Readonly<Record<SensitivityLevel, number>> = {
  normal: 1,
  heightened: 0.5,
  high: 0.25,
};

/** A stronger monitoring in force for one customer, as the engine applies it and an alert shows it. */
export interface Monitoring {
  level: Exclude<SensitivityLevel, 'normal'>;
  multiplier: number;
}

/** The monitoring as the API carries it (on an alert's rule, on a decision). */
export const MonitoringSchema = z.object({
  level: z.enum(['heightened', 'high']),
  multiplier: z.number(),
});

/** The monitoring of a level, or null for `normal` (the rule set's own thresholds). */
export function monitoringOf(level: SensitivityLevel): Monitoring | null {
  return level === 'normal' ? null : { level, multiplier: SENSITIVITY_MULTIPLIER[level] };
}

/** A money threshold tightened by a factor: rounded up to the fen, so a factor of 1 leaves it as it is. */
export function tightenedAmount(minor: number, multiplier: number): number {
  return Math.ceil(minor * multiplier);
}

/** A baseline multiple (e.g. "8× the average outflow") tightened by a factor, never below 1×. */
export function tightenedMultiple(multiple: number, multiplier: number): number {
  return Math.max(1, multiple * multiplier);
}

/** One loan of the imported master data, as the credit exposure counts it. */
export interface ExposureLoan {
  product: 'mortgage' | 'consumer' | 'business' | 'credit_card';
  status: 'performing' | 'overdue' | 'restructured' | 'closed';
  /** For a credit card: its limit. */
  principalMinor: number;
  /** For a credit card: its balance. */
  outstandingMinor: number;
  daysPastDue: number;
}

/** What a customer owes or may draw, in fen (one currency: the master data's loans are all CNY). */
export interface CreditExposure {
  /** Outstanding balances of the open loans and credit cards. */
  drawnMinor: number;
  /** Credit-card limits not yet drawn: what the customer may still spend on credit. */
  undrawnCardLimitMinor: number;
  /** drawn + undrawn card limits. */
  totalMinor: number;
  /** Outstanding of the loans more than 0 days past due. */
  pastDueMinor: number;
  openLoans: number;
  /** Guarantees are not in the imported master data: always null until core banking sends them. */
  guaranteesMinor: null;
}

/** The credit exposure of a customer's loans and credit cards: closed loans count for nothing. */
export function creditExposure(loans: readonly ExposureLoan[]): CreditExposure {
  let drawn = 0;
  let undrawn = 0;
  let pastDue = 0;
  let open = 0;
  for (const l of loans) {
    if (l.status === 'closed') continue;
    open += 1;
    const outstanding = Math.max(0, l.outstandingMinor);
    drawn += outstanding;
    if (l.product === 'credit_card') undrawn += Math.max(0, l.principalMinor - outstanding);
    if (l.daysPastDue > 0) pastDue += outstanding;
  }
  return {
    drawnMinor: drawn,
    undrawnCardLimitMinor: undrawn,
    totalMinor: drawn + undrawn,
    pastDueMinor: pastDue,
    openLoans: open,
    guaranteesMinor: null,
  };
}

/** One fund-safety alert as the exposure counts it. */
export interface ExposureAlert {
  status: 'open' | 'contacted' | 'verified' | 'resolved';
  resolution: 'legitimate' | 'fraud' | 'escalated' | null;
  amountMinor: number;
}

/** The money of a customer in question from fund-safety alerts, in fen. */
export interface FundSafetyExposure {
  /** Alerts not yet resolved (open, contacted, verified), and the amount they flag. */
  unresolvedAlerts: number;
  unresolvedMinor: number;
  /** Alerts resolved as fraud or escalated: confirmed losses or cases handed on, and their amount. */
  confirmedAlerts: number;
  confirmedMinor: number;
  /** Alerts resolved as the customer's own legitimate transaction. */
  legitimateAlerts: number;
}

/** The fund-safety exposure of a customer's alerts: unresolved, and confirmed (fraud or escalated). */
export function fundSafetyExposure(alerts: readonly ExposureAlert[]): FundSafetyExposure {
  const out: FundSafetyExposure = { unresolvedAlerts: 0, unresolvedMinor: 0, confirmedAlerts: 0, confirmedMinor: 0, legitimateAlerts: 0 };
  for (const a of alerts) {
    if (a.status !== 'resolved') {
      out.unresolvedAlerts += 1;
      out.unresolvedMinor += a.amountMinor;
    } else if (a.resolution === 'fraud' || a.resolution === 'escalated') {
      out.confirmedAlerts += 1;
      out.confirmedMinor += a.amountMinor;
    } else out.legitimateAlerts += 1;
  }
  return out;
}

/**
 * The sensitivity the risk officer might start from: `high` with a confirmed fraud or an
 * unresolved alert, `heightened` with loans past due or any earlier alert, otherwise `normal`.
 * A suggestion shown beside the choice; the officer decides.
 */
export function suggestedSensitivity(credit: CreditExposure, funds: FundSafetyExposure): SensitivityLevel {
  if (funds.confirmedAlerts > 0 || funds.unresolvedAlerts > 0) return 'high';
  if (credit.pastDueMinor > 0 || funds.legitimateAlerts > 0) return 'heightened';
  return 'normal';
}

/** Where a review date stands on a day: `overdue` before today, `due` today, else `upcoming`. */
export function reviewState(reviewOn: string, today: string): 'overdue' | 'due' | 'upcoming' {
  if (reviewOn < today) return 'overdue';
  return reviewOn === today ? 'due' : 'upcoming';
}
