import { z } from 'zod';
import { SENSITIVITY_LEVELS } from '../../domain/risk-assessment.js';
import { Id, isoDate, text } from '../../platform/http/text.js';

// The risk officer's case assessment (P3.2.3, P7.2.2): docs/risk.md.

export const CaseIdParams = z.strictObject({ id: Id });
export const MeasureIdParams = z.strictObject({ id: Id });

/** Fen; at most ¥1,000,000,000. */
const Limit = z.number().int().min(0).max(100_000_000_000);

const MonitoringMeasure = z.strictObject({ kind: z.literal('monitoring'), sensitivity: z.enum(SENSITIVITY_LEVELS) });
const CreditLimitMeasure = z.strictObject({
  kind: z.literal('credit_limit'),
  /** The loan or credit card (its `id` as the customer page lists it) whose limit is to change. */
  loanId: Id,
  newLimitMinor: Limit,
});

/**
 * The assessment as the risk officer saves it: notes (encrypted), the review date, and the chosen
 * measures — at most one stronger monitoring (none: normal), and credit-limit changes to propose.
 */
export const AssessmentBody = z
  .strictObject({
    notes: text({ max: 4000 }).nullable().optional(),
    reviewOn: isoDate,
    measures: z.array(z.discriminatedUnion('kind', [MonitoringMeasure, CreditLimitMeasure])).max(20),
  })
  .superRefine((b, ctx) => {
    if (b.measures.filter((m) => m.kind === 'monitoring').length > 1)
      ctx.addIssue({ code: 'custom', path: ['measures'], message: 'at most one monitoring measure' });
    const loans = b.measures.flatMap((m) => (m.kind === 'credit_limit' ? [m.loanId] : []));
    if (new Set(loans).size !== loans.length)
      ctx.addIssue({ code: 'custom', path: ['measures'], message: 'at most one credit-limit change per loan' });
  });
export type AssessmentInput = z.output<typeof AssessmentBody>;

export const DecisionBody = z.strictObject({ decision: z.enum(['approve', 'reject']) });

const StaffRef = z.object({ id: z.string(), displayName: z.string().nullable() }).nullable();
const Money = z.number().int();

export const MeasureView = z.object({
  id: z.string(),
  kind: z.enum(['monitoring', 'credit_limit']),
  status: z.enum(['in_force', 'superseded', 'proposed', 'approved', 'rejected', 'withdrawn']),
  sensitivity: z.enum(SENSITIVITY_LEVELS).nullable(),
  loan: z.object({ id: z.string(), loanNumber: z.string().nullable(), product: z.string().nullable() }).nullable(),
  currentLimitMinor: Money.nullable(),
  newLimitMinor: Money.nullable(),
  currency: z.string().nullable(),
  proposedBy: StaffRef,
  proposedAt: z.string(),
  decidedBy: StaffRef,
  decidedAt: z.string().nullable(),
  /** Sent to core banking (through the outbox) once approved. */
  instructed: z.boolean(),
});

const LoanView = z.object({
  id: z.string(),
  loanNumber: z.string(),
  product: z.enum(['mortgage', 'consumer', 'business', 'credit_card']),
  status: z.enum(['performing', 'overdue', 'restructured', 'closed']),
  currency: z.string(),
  /** A credit card's limit; a loan's original principal. */
  principalMinor: Money,
  outstandingMinor: Money,
  daysPastDue: z.number().int(),
});

export const AssessmentView = z.object({
  caseId: z.string(),
  currency: z.string(),
  credit: z.object({
    drawnMinor: Money,
    undrawnCardLimitMinor: Money,
    totalMinor: Money,
    pastDueMinor: Money,
    openLoans: z.number().int(),
    /** Guarantees are not in the imported master data: always null. */
    guaranteesMinor: Money.nullable(),
    loans: z.array(LoanView),
  }),
  fundSafety: z.object({
    unresolvedAlerts: z.number().int(),
    unresolvedMinor: Money,
    confirmedAlerts: z.number().int(),
    confirmedMinor: Money,
    legitimateAlerts: z.number().int(),
  }),
  /** What the exposures suggest; the officer decides. */
  suggestedSensitivity: z.enum(SENSITIVITY_LEVELS),
  /** The sensitivity in force (normal until an assessment sets another). */
  sensitivity: z.enum(SENSITIVITY_LEVELS),
  multiplier: z.number(),
  assessed: z.boolean(),
  notes: z.string().nullable(),
  reviewOn: z.string().nullable(),
  reviewState: z.enum(['overdue', 'due', 'upcoming']).nullable(),
  updatedBy: StaffRef,
  updatedAt: z.string().nullable(),
  version: z.number().int(),
  measures: z.array(MeasureView),
  /** May the reader save the assessment (a risk officer on the case's team, the case active). */
  canEdit: z.boolean(),
});
export type AssessmentViewOut = z.input<typeof AssessmentView>;
