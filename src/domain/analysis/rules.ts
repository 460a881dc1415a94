import { z } from 'zod';
import { CHANNELS, type ChannelCode, channelCode } from './transaction.js';

/**
 * The rule sets of transaction analysis as data (docs/analysis.md): each rule's id names the
 * detector that implements it, its params tune the detector, its weight adds to the score of its
 * kind. A rule left out of the set, or weighted 0, is off.
 */

const money = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const mcc = z.string().regex(/^\d{4}$/);
const keywords = z.array(z.string().min(1).max(50)).max(100);
const channel = z.enum(CHANNELS);
const days = z.number().int().min(1).max(90);

const PARAMS = {
  medical_spend_above_baseline: z.strictObject({
    medicalMccs: z.array(mcc).min(1),
    minRecentMinor: money,
    multiple: z.number().min(1),
    baselineFloorMinor: money,
  }),
  recurring_hospital_payments: z.strictObject({
    hospitalMccs: z.array(mcc),
    nameKeywords: keywords,
    // The state keeps the days of the last HOSPITAL_SLOTS (4) payments: a longer series cannot be counted.
    minPayments: z.number().int().min(2).max(4),
    windowDays: days,
  }),
  ci_insurance_payout: z.strictObject({ insurerKeywords: keywords.min(1), payoutKeywords: keywords.min(1), minAmountMinor: money }),
  medical_crowdfunding: z.strictObject({ keywords: keywords.min(1), minAmountMinor: money }),
  early_redemption_near_medical: z.strictObject({
    keywords: keywords.min(1),
    minAmountMinor: money,
    windowDays: days,
    minMedicalMinor: money,
  }),
  payroll_stopped: z.strictObject({
    keywords: keywords.min(1),
    minCredits: z.number().int().min(1).max(255),
    maxGapDays: z.number().int().min(1).max(3650),
  }),
  outflow_above_baseline: z.strictObject({
    multiple: z.number().min(1),
    minAmountMinor: money,
    minHistory: z.number().int().min(1),
    exemptMccs: z.array(mcc),
  }),
  new_payee_large: z.strictObject({ minAmountMinor: money, minHistory: z.number().int().min(0), channels: z.array(channel).min(1) }),
  outflow_burst: z.strictObject({
    // The ring of recent outflows holds RING_SIZE of them: a longer burst cannot be counted.
    minCount: z.number().int().min(2).max(8),
    windowMinutes: z.number().int().min(1).max(1440),
    minTotalMinor: money,
  }),
  unusual_hour_or_channel: z.strictObject({
    nightStartHour: z.number().int().min(0).max(23),
    nightEndHour: z.number().int().min(1).max(24),
    utcOffsetHours: z.number().int().min(-12).max(14),
    maxNightShare: z.number().min(0).max(1),
    minAmountMinor: money,
    minHistory: z.number().int().min(1),
    newChannelMinAmountMinor: money,
    newChannelMinHistory: z.number().int().min(1),
    ignoreChannels: z.array(channel),
  }),
  large_cash_withdrawal: z.strictObject({ channels: z.array(channel).min(1), minAmountMinor: money }),
} as const;

export type RuleId = keyof typeof PARAMS;
export type RuleKind = 'illness_signal' | 'fund_safety';
export const RULE_IDS = Object.keys(PARAMS) as RuleId[]; // Object.keys loses the key type; these are exactly PARAMS' keys.
/** The kind of each rule id: fixed, a rule set cannot move a rule to the other kind. */
export const KIND_OF: Record<RuleId, RuleKind> = {
  medical_spend_above_baseline: 'illness_signal',
  recurring_hospital_payments: 'illness_signal',
  ci_insurance_payout: 'illness_signal',
  medical_crowdfunding: 'illness_signal',
  early_redemption_near_medical: 'illness_signal',
  payroll_stopped: 'illness_signal',
  outflow_above_baseline: 'fund_safety',
  new_payee_large: 'fund_safety',
  outflow_burst: 'fund_safety',
  unusual_hour_or_channel: 'fund_safety',
  large_cash_withdrawal: 'fund_safety',
};

const ruleSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(['illness_signal', 'fund_safety']),
  description: z.string().max(500),
  params: z.record(z.string(), z.unknown()),
  weight: z.number().int().min(0).max(1000),
});

const ruleSetSchema = z.strictObject({
  version: z.string().min(1).max(50),
  scoreCap: z.number().int().min(1).max(1000),
  thresholds: z.strictObject({ illness_signal: z.number().int().min(1), fund_safety: z.number().int().min(1) }),
  /** Illness-signal rules that fired within this many days of each other add up to one score. */
  illnessWindowDays: z.number().int().min(1).max(365).default(30),
  plannedMarkers: keywords,
  rules: z.array(ruleSchema).max(100),
});

/** A rule set as it is written (JSON). */
export type RuleSetJson = z.infer<typeof ruleSetSchema>;
export type RuleParams = { [K in RuleId]: z.infer<(typeof PARAMS)[K]> };

/** One enabled rule, validated, with its position (the engine indexes hits by it). */
export interface CompiledRule<K extends RuleId = RuleId> {
  index: number;
  id: K;
  kind: RuleKind;
  weight: number;
  params: RuleParams[K];
}

/** A validated rule set, with lookup tables the engine uses on every transaction. */
export interface CompiledRuleSet {
  version: string;
  scoreCap: number;
  thresholds: Record<RuleKind, number>;
  illnessWindowDays: number;
  plannedMarkers: readonly string[];
  rules: readonly CompiledRule[];
  byId: Partial<{ [K in RuleId]: CompiledRule<K> }>;
  /** isMedical[mcc] is 1 for the medical merchant categories. */
  isMedical: Uint8Array;
}

/** One problem of a rule set: where (`rules.<id>.params.<name>`, `thresholds.fund_safety`…) and what. */
export interface RuleSetProblem {
  path: string;
  message: string;
}

/** Why a rule set was refused: one line per problem, and the problems one by one for the API. */
export class RuleSetError extends Error {
  constructor(readonly problems: readonly RuleSetProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  }
}

/** Validates a rule set (JSON already parsed) and compiles it; throws RuleSetError listing every problem. */
export function compileRuleSet(input: unknown): CompiledRuleSet {
  const parsed = ruleSetSchema.safeParse(input);
  if (!parsed.success) throw new RuleSetError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  const json = parsed.data;
  const problems: RuleSetProblem[] = [];
  const rules: CompiledRule[] = [];
  const byId: Record<string, CompiledRule> = {};
  for (const rule of json.rules) {
    if (!isRuleId(rule.id)) {
      problems.push({ path: `rules.${rule.id}`, message: `unknown rule id (known: ${RULE_IDS.join(', ')})` });
      continue;
    }
    if (byId[rule.id]) problems.push({ path: `rules.${rule.id}`, message: 'listed twice' });
    if (KIND_OF[rule.id] !== rule.kind) problems.push({ path: `rules.${rule.id}.kind`, message: `is a ${KIND_OF[rule.id]} rule` });
    const params = PARAMS[rule.id].safeParse(rule.params);
    if (!params.success) {
      for (const i of params.error.issues) problems.push({ path: ['rules', rule.id, 'params', ...i.path].join('.'), message: i.message });
      continue;
    }
    if (rule.weight === 0) continue;
    // The schema looked up by rule.id parsed these params: they are that rule's params.
    const compiled = { index: rules.length, id: rule.id, kind: rule.kind, weight: rule.weight, params: params.data } as CompiledRule;
    rules.push(compiled);
    byId[rule.id] = compiled;
  }
  if (problems.length > 0) throw new RuleSetError(problems);
  const isMedical = new Uint8Array(10_000);
  const medical = byId.medical_spend_above_baseline?.params;
  if (medical && 'medicalMccs' in medical) for (const m of medical.medicalMccs) isMedical[Number(m)] = 1;
  return {
    version: json.version,
    scoreCap: json.scoreCap,
    thresholds: json.thresholds,
    illnessWindowDays: json.illnessWindowDays,
    plannedMarkers: json.plannedMarkers,
    rules,
    // Each entry was stored under its own id above.
    byId: byId as CompiledRuleSet['byId'],
    isMedical,
  };
}

function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(PARAMS, id);
}

/** A bit mask of channels (bit n for ChannelCode n). */
export function channelMask(channels: readonly string[]): number {
  let mask = 0;
  for (const c of channels) {
    const code: ChannelCode | -1 = channelCode(c);
    if (code !== -1) mask |= 1 << code;
  }
  return mask;
}

/** A lookup table of merchant category codes (1 = in the list). */
export function mccTable(mccs: readonly string[]): Uint8Array {
  const table = new Uint8Array(10_000);
  for (const m of mccs) table[Number(m)] = 1;
  return table;
}
