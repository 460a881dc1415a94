import { z } from 'zod';
import { LEAD_STATUSES } from '../../domain/lead-lifecycle.js';
import { MATCH_METHODS, MATCH_STRENGTHS } from '../../domain/lead-matching.js';
import { EvidenceSchema } from '../../domain/analysis/evidence.js';
import { Id, isoDate, text } from '../../platform/http/text.js';

export const LEAD_CHANNELS = ['self_report', 'hospital', 'analysis', 'external'] as const;
export type LeadChannel = (typeof LEAD_CHANNELS)[number];

/** The lead id in a URL. */
export const LeadIdParams = z.strictObject({ id: Id });

/** Who a lead is about, as the reporter knows them. */
export const SubjectSchema = z.strictObject({
  name: text({ min: 1, max: 100 }),
  nationalId: text({ min: 1, max: 40 }).optional(),
  dateOfBirth: isoDate.optional(),
  phone: text({ min: 1, max: 40 }).optional(),
});
export type Subject = z.output<typeof SubjectSchema>;

/** POST /leads (API.md "Leads and cases"): the short form any staff member fills in. */
export const CreateLeadBody = z
  .strictObject({
    channel: z.enum(LEAD_CHANNELS),
    customerNumber: text({ min: 1, max: 32 }).optional(),
    subject: SubjectSchema.optional(),
    summary: text({ min: 1, max: 4000 }),
    sourceRef: text({ min: 1, max: 500 }).optional(),
  })
  .refine((b) => b.customerNumber !== undefined || b.subject !== undefined, {
    message: 'say who the lead is about: customerNumber or subject',
    path: ['subject'],
  })
  .refine((b) => b.channel !== 'external' || b.sourceRef !== undefined, {
    message: 'an external lead needs its source reference (the article, the post)',
    path: ['sourceRef'],
  });

export const LeadListQuery = z.strictObject({
  status: z.enum(LEAD_STATUSES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

/** GET /leads/{id}: inspectors see the sensitive parts only with a stated reason (DESIGN.md "Roles"). */
export const LeadViewQuery = z.strictObject({ reason: text({ min: 5, max: 500 }).optional() });

const DefinitionMoney = z.strictObject({
  amountMinor: z.number().int().min(0).max(1_000_000_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code'),
});

/** The supervisor's finding against each part of P2.1's definition (domain/definition.ts). */
export const DefinitionSchema = z.strictObject({
  conditionCategory: z.string().min(1).max(64),
  lifeAffected: z.boolean(),
  lifeEffect: text({ min: 1, max: 1000 }).optional(),
  financesAffected: z.boolean(),
  finances: z
    .strictObject({ lostIncome: DefinitionMoney.optional(), medicalCosts: DefinitionMoney.optional(), debts: DefinitionMoney.optional() })
    .optional(),
  financesUnknownReason: text({ min: 1, max: 1000 }).optional(),
});
export type Definition = z.output<typeof DefinitionSchema>;

const MoneyView = z.object({ amountMinor: z.number().int(), currency: z.string() });
/** The finding as a lead shows it (the stored one, as it was validated). */
export const DefinitionView = z.object({
  conditionCategory: z.string(),
  lifeAffected: z.boolean(),
  lifeEffect: z.string().optional(),
  financesAffected: z.boolean(),
  finances: z.object({ lostIncome: MoneyView.optional(), medicalCosts: MoneyView.optional(), debts: MoneyView.optional() }).optional(),
  financesUnknownReason: z.string().optional(),
});

export const DecisionBody = z
  .strictObject({
    decision: z.enum(['confirm', 'reject', 'duplicate']),
    reason: text({ min: 1, max: 2000 }),
    duplicateOf: Id.optional(),
    /** Required to confirm: the finding against each part of the definition (P2.1). */
    definition: DefinitionSchema.optional(),
  })
  .refine((b) => b.duplicateOf === undefined || b.decision === 'duplicate', {
    message: 'duplicateOf goes only with the decision duplicate',
    path: ['duplicateOf'],
  })
  .refine((b) => (b.decision === 'confirm') === (b.definition !== undefined), {
    message: 'a confirmation records the finding against the definition (and only a confirmation)',
    path: ['definition'],
  });

export const AssignBody = z.strictObject({ staffId: Id, note: text({ min: 1, max: 1000 }).optional() });
export const CheckBody = z.strictObject({ finding: text({ min: 1, max: 4000 }), recommendation: z.enum(['confirm', 'reject', 'unsure']) });
export const MatchBody = z.strictObject({ customerId: Id });
export const MergeBody = z.strictObject({ into: Id });
export const ReopenBody = z.strictObject({ reason: text({ min: 1, max: 2000 }) });

const StaffRef = z.object({ id: z.string(), displayName: z.string() });

/** A lead in a list (the inbox). */
export const LeadSummarySchema = z.object({
  id: z.string(),
  channel: z.enum(LEAD_CHANNELS),
  status: z.enum(LEAD_STATUSES),
  branchCode: z.string(),
  customer: z.object({ id: z.string(), customerNumber: z.string(), name: z.string() }).nullable(),
  match: z.object({ method: z.enum(MATCH_METHODS), strength: z.enum(MATCH_STRENGTHS) }).nullable(),
  /** Only for readers entitled to the lead's content; null otherwise. */
  subjectName: z.string().nullable(),
  /** The customer number as reported, whether or not it matched a customer (null when none was given, or for readers not entitled). */
  reportedCustomerNumber: z.string().nullable(),
  reportedBy: StaffRef.nullable(),
  partner: z.object({ id: z.string(), name: z.string() }).nullable(),
  dueAt: z.string(),
  overdue: z.boolean(),
  assignedTo: StaffRef.nullable(),
  createdAt: z.string(),
});

/**
 * What transaction analysis found, as data, on a lead of channel `analysis` (issue 10): the score
 * against the threshold, and each rule with its weight, its facts (rendered in the reader's
 * language) and the transactions it fired on. Leads recorded before issue 10 have none (their
 * summary holds the same as text).
 */
export const LeadAnalysisSchema = z.object({
  score: z.number(),
  threshold: z.number(),
  ruleSetVersion: z.string(),
  rules: z.array(
    z.object({
      id: z.string(),
      weight: z.number(),
      facts: EvidenceSchema,
      transactions: z.array(
        z.object({
          id: z.string(),
          bookedAt: z.string(),
          direction: z.enum(['debit', 'credit']),
          amountMinor: z.number(),
          currency: z.string(),
          counterpartyName: z.string().nullable(),
        }),
      ),
    }),
  ),
});
export type LeadAnalysis = z.output<typeof LeadAnalysisSchema>;

export const ConditionSchema = z.object({
  category: z.string(),
  icd10: z.string().optional(),
  diagnosedOn: z.string().optional(),
  summary: z.string(),
});
export type Condition = z.output<typeof ConditionSchema>;

export const ConsentSchema = z.object({ obtainedAt: z.string(), scope: z.array(z.string()), evidenceRef: z.string() });
export type ReferralConsent = z.output<typeof ConsentSchema>;

/**
 * One lead in full. The sensitive parts (subject, summary, condition, consent, assignment note,
 * decision reason, findings, notes) are present only for readers entitled to them, absent otherwise.
 */
export const LeadViewSchema = LeadSummarySchema.extend({
  subject: z
    .object({ name: z.string(), nationalId: z.string().optional(), dateOfBirth: z.string().optional(), phone: z.string().optional() })
    .optional(),
  summary: z.string().optional(),
  /** Analysis leads: the finding as data (present with the summary, for readers entitled to it). */
  analysis: LeadAnalysisSchema.optional(),
  sourceRef: z.string().nullable(),
  referralId: z.string().nullable(),
  condition: ConditionSchema.optional(),
  consent: ConsentSchema.optional(),
  assignmentNote: z.string().optional(),
  /** The confirming supervisor's finding against the definition (P2.1); for entitled readers only. */
  definition: DefinitionView.optional(),
  duplicateOf: z.string().nullable(),
  linkedCaseId: z.string().nullable(),
  caseId: z.string().nullable(),
  decision: z
    .object({ decision: z.enum(['confirm', 'reject', 'duplicate']), reason: z.string().optional(), by: StaffRef, at: z.string() })
    .nullable(),
  checks: z.array(
    z.object({
      id: z.string(),
      by: StaffRef,
      at: z.string(),
      finding: z.string().optional(),
      recommendation: z.enum(['confirm', 'reject', 'unsure']),
    }),
  ),
  /** Suggestions for an unmatched lead, for supervisors: customers of the same name or date of birth. */
  candidates: z.array(
    z.object({
      customerId: z.string(),
      customerNumber: z.string(),
      name: z.string(),
      dateOfBirth: z.string().nullable(),
      branchCode: z.string(),
      reason: z.enum(['name_and_dob', 'name', 'dob']),
    }),
  ),
  history: z.array(
    z.object({
      at: z.string(),
      actor: StaffRef.nullable(),
      action: z.string(),
      detail: z.record(z.string(), z.unknown()),
      note: z.string().optional(),
    }),
  ),
  version: z.number().int(),
});
export type LeadView = z.input<typeof LeadViewSchema>;
export type LeadSummary = z.input<typeof LeadSummarySchema>;

export const LeadListResponse = z.object({ items: z.array(LeadSummarySchema), nextCursor: z.string().nullable() });
