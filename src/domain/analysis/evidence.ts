import { z } from 'zod';

/**
 * What a rule hit says, as data: which pattern (`key`) and its numbers and names (`values`), so
 * that a page renders it in the reader's language (web: `evidence.<key>` in the translation files,
 * amounts — values ending in `Minor` — in yuan) and a machine reads the same facts. The English
 * `detail` text of API.md's findings is made from the same values by evidenceText(), so the two
 * never disagree. Names (payee, hospital, insurer…) are the transaction's own data, not translated.
 */
export interface EvidenceShapes {
  outflow_above_baseline: { amountMinor: number; ratio: number; averageMinor: number; count: number; days: number };
  new_payee_large: { amountMinor: number; payee: string | null; earlier: number };
  outflow_burst: { count: number; totalMinor: number; windowMinutes: number };
  unusual_hour: { amountMinor: number; hour: number; night: number; earlier: number };
  unusual_channel: { amountMinor: number; channel: string; earlier: number };
  large_cash_withdrawal: { amountMinor: number; channel: string };
  medical_spend_above_baseline: {
    recentMinor: number;
    baselineMinor: number;
    latestMinor: number;
    merchant: string | null;
    mcc: string | null;
  };
  medical_after_redemption: { medicalMinor: number; days: number; redeemedOn: string };
  redemption_near_medical: { amountMinor: number; medicalMinor: number };
  recurring_hospital_payments: { hospital: string | null; days: number; windowDays: number };
  ci_insurance_payout: { amountMinor: number; insurer: string; description: string };
  medical_crowdfunding: { amountMinor: number; platform: string | null };
  payroll_stopped: { gapDays: number; since: string; regular: number };
  /** An illness rule that fired in an earlier run within the rule set's window. */
  fired_earlier: { on: string };
}

export type EvidenceKey = keyof EvidenceShapes;

/** One rule hit's facts: the pattern and its values. */
export type Evidence = { [K in EvidenceKey]: { key: K; values: EvidenceShapes[K] } }[EvidenceKey];

/** Every evidence key with the names of its values, in the order the English text uses them. */
export const EVIDENCE_VALUES: { readonly [K in EvidenceKey]: readonly (keyof EvidenceShapes[K])[] } = {
  outflow_above_baseline: ['amountMinor', 'ratio', 'averageMinor', 'count', 'days'],
  new_payee_large: ['amountMinor', 'payee', 'earlier'],
  outflow_burst: ['count', 'totalMinor', 'windowMinutes'],
  unusual_hour: ['amountMinor', 'hour', 'night', 'earlier'],
  unusual_channel: ['amountMinor', 'channel', 'earlier'],
  large_cash_withdrawal: ['amountMinor', 'channel'],
  medical_spend_above_baseline: ['recentMinor', 'baselineMinor', 'latestMinor', 'merchant', 'mcc'],
  medical_after_redemption: ['medicalMinor', 'days', 'redeemedOn'],
  redemption_near_medical: ['amountMinor', 'medicalMinor'],
  recurring_hospital_payments: ['hospital', 'days', 'windowDays'],
  ci_insurance_payout: ['amountMinor', 'insurer', 'description'],
  medical_crowdfunding: ['amountMinor', 'platform'],
  payroll_stopped: ['gapDays', 'since', 'regular'],
  fired_earlier: ['on'],
};

export const EVIDENCE_KEYS = Object.keys(EVIDENCE_VALUES) as EvidenceKey[]; // Object.keys loses the key type; these are exactly its keys.

/** The evidence as the API carries it (stored alerts and leads are validated against it when read). */
export const EvidenceSchema = z.object({
  key: z.enum(EVIDENCE_KEYS as [EvidenceKey, ...EvidenceKey[]]), // EVIDENCE_KEYS is never empty
  values: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
});
export type EvidenceData = z.output<typeof EvidenceSchema>;

/** Money in fen as yuan for a detail text: integer arithmetic, no floating point. */
export function yuan(fen: number): string {
  const whole = Math.floor(fen / 100);
  const cents = Math.round(fen - whole * 100);
  return `¥${whole}.${String(cents).padStart(2, '0')}`;
}

/** The English detail text of a hit (API.md's `detail`, for machines and `lifeline scan`); pages render the values instead. */
export function evidenceText(e: Evidence): string {
  switch (e.key) {
    case 'outflow_above_baseline': {
      const v = e.values;
      return `outflow ${yuan(v.amountMinor)} is ${v.ratio.toFixed(1)}× the average ${yuan(v.averageMinor)} of ${v.count} outflows in ${v.days} days`;
    }
    case 'new_payee_large': {
      const v = e.values;
      return `${yuan(v.amountMinor)} to a payee not paid before (${v.payee || 'unnamed'}) after ${v.earlier} earlier outflows`;
    }
    case 'outflow_burst': {
      const v = e.values;
      return `${v.count} outflows totalling ${yuan(v.totalMinor)} within ${v.windowMinutes} minutes`;
    }
    case 'unusual_hour': {
      const v = e.values;
      return `${yuan(v.amountMinor)} at ${String(v.hour).padStart(2, '0')}h local time; ${v.night} of ${v.earlier} earlier outflows were at night`;
    }
    case 'unusual_channel': {
      const v = e.values;
      return `${yuan(v.amountMinor)} through ${v.channel}, a channel not used in ${v.earlier} earlier outflows`;
    }
    case 'large_cash_withdrawal':
      return `cash withdrawal of ${yuan(e.values.amountMinor)} (${e.values.channel})`;
    case 'medical_spend_above_baseline': {
      const v = e.values;
      return `medical spending ${yuan(v.recentMinor)} in the last 15–30 days against a baseline of ${yuan(v.baselineMinor)} per 30 days (latest: ${yuan(v.latestMinor)} at ${v.merchant || `MCC ${v.mcc ?? ''}`})`;
    }
    case 'medical_after_redemption': {
      const v = e.values;
      return `medical spending ${yuan(v.medicalMinor)} within ${v.days} days after an early redemption on ${v.redeemedOn}`;
    }
    case 'redemption_near_medical':
      return `early redemption of ${yuan(e.values.amountMinor)} with medical spending of ${yuan(e.values.medicalMinor)} in the last 15–30 days`;
    case 'recurring_hospital_payments': {
      const v = e.values;
      return `payments to ${v.hospital || 'one hospital'} on ${v.days} days within ${v.windowDays} days`;
    }
    case 'ci_insurance_payout':
      return `${yuan(e.values.amountMinor)} from ${e.values.insurer}: ${e.values.description}`;
    case 'medical_crowdfunding':
      return `${yuan(e.values.amountMinor)} received from ${e.values.platform || 'a crowdfunding platform'}`;
    case 'payroll_stopped': {
      const v = e.values;
      return `no payroll credit for ${v.gapDays} days since ${v.since}, after ${v.regular} regular ones`;
    }
    case 'fired_earlier':
      return `fired earlier, on ${e.values.on}`;
  }
}
