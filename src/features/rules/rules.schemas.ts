import { z } from 'zod';
import { text } from '../../platform/http/text.js';

const kind = z.enum(['illness_signal', 'fund_safety']);
const who = z.object({ id: z.string(), displayName: z.string() }).nullable();

export const VersionParams = z.strictObject({ version: z.string().min(1).max(50) });

/**
 * A rule set as JSON (docs/analysis.md); compileRuleSet validates it, this only describes it and
 * passes on any other setting the rule-set format has (illnessWindowDays…).
 */
export const RuleSetDefinition = z.looseObject({
  version: z.string(),
  scoreCap: z.number(),
  thresholds: z.object({ illness_signal: z.number(), fund_safety: z.number() }),
  plannedMarkers: z.array(z.string()),
  rules: z.array(
    z.looseObject({
      id: z.string(),
      kind,
      description: z.string(),
      params: z.record(z.string(), z.unknown()),
      weight: z.number(),
    }),
  ),
});

export const RuleSetSummary = z.object({
  version: z.string(),
  status: z.enum(['draft', 'active', 'retired']),
  note: z.string().nullable(),
  /** The shipped default (rules.default.json), not made by anyone. */
  builtIn: z.boolean(),
  createdBy: who,
  createdAt: z.string().nullable(),
  activatedBy: who,
  activatedAt: z.string().nullable(),
});
export const RuleSetList = z.object({ items: z.array(RuleSetSummary) });
export const RuleSetDetail = RuleSetSummary.extend({ definition: RuleSetDefinition });

export const CreateRuleSetBody = z.strictObject({
  // Any object: compileRuleSet names each problem (422 RULES_INVALID), which a schema here could not.
  definition: z.record(z.string(), z.unknown()),
  note: text({ max: 500 }).optional(),
});

export const DryRunBody = z.strictObject({ days: z.number().int().min(1).max(180).default(30) });

const DryRunCustomer = z.object({
  customerNumber: z.string(),
  /** The candidate's score of the kind (also below its threshold) and the rules that fired. */
  score: z.number().int(),
  rules: z.array(z.string()),
  activeScore: z.number().int(),
  activeRules: z.array(z.string()),
});
const Change = z.object({ count: z.number().int(), customers: z.array(DryRunCustomer) });

export const DryRunResult = z.object({
  candidate: z.string(),
  active: z.string(),
  days: z.number().int(),
  from: z.string(),
  to: z.string(),
  rows: z.number().int(),
  customers: z.number().int(),
  seconds: z.number(),
  truncated: z.boolean(),
  maxRows: z.number().int(),
  /** Customer numbers are withheld from readers who may not see customers (admins): counts only. */
  customersWithheld: z.boolean(),
  kinds: z.array(z.object({ kind, active: z.number().int(), candidate: z.number().int(), newlyFound: Change, noLongerFound: Change })),
  rules: z.array(z.object({ id: z.string(), kind, description: z.string(), active: z.number().int(), candidate: z.number().int() })),
});
