import { z } from 'zod';
import { Id, isoDate, text } from '../../platform/http/text.js';
import { RESTRUCTURING_CHANGES } from '../../domain/service-catalogue.js';
import { ScheduleView } from './credit.schemas.js';

export const RequestIdParams = z.strictObject({ id: Id });

/** The shortfall of a case (P4.1.1) and what may be lent against it. */
export const ShortfallView = z.object({
  caseId: z.string(),
  expectedMedicalCostsMinor: z.number().int(),
  lostIncomeMinor: z.number().int(),
  liquidSavingsMinor: z.number().int(),
  horizonMonths: z.number().int(),
  shortfallMinor: z.number().int(),
  capMinor: z.number().int(),
  /** The lower of the cap and the shortfall: the most the loan may be. */
  maximumMinor: z.number().int(),
  annualRatePercent: z.number(),
  maxTermMonths: z.number().int(),
});

export const AssessmentBody = z.strictObject({
  recommendation: z.enum(['approve', 'decline']),
  reason: text({ min: 1, max: 2000 }),
});

const StaffRef = z.object({ id: z.string(), displayName: z.string() });

export const AssessmentView = z.object({
  recommendation: z.enum(['approve', 'decline']),
  reason: z.string().nullable(),
  assessedBy: StaffRef,
  assessedAt: z.string(),
});

export const BookingBody = z.strictObject({
  /** Core banking's reference of the booking (a loan or contract number). */
  reference: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'letters, digits and . _ / -'),
  bookedOn: isoDate,
});

export const BookingView = z.object({
  requestId: z.string(),
  reference: z.string(),
  bookedOn: z.string().meta({ format: 'date' }),
  recordedAt: z.string(),
});

/** An emergency loan request as its case's team sees it (P4.1). */
export const EmergencyLoanView = z.object({
  requestId: z.string(),
  caseId: z.string(),
  status: z.string(),
  amountMinor: z.number().int(),
  termMonths: z.number().int(),
  annualRatePercent: z.number(),
  account: z.object({ id: z.string(), accountNumber: z.string() }).nullable(),
  shortfall: ShortfallView,
  assessment: AssessmentView.nullable(),
  booking: BookingView.nullable(),
  /** Business hours from the request to the supervisor's decision (P6.2.2), null until decided. */
  hoursToDecision: z.number().nullable(),
  priorityHours: z.number().int(),
  schedule: ScheduleView,
});

// ---------------------------------------------------------------------------------------------
// Restructuring (P7.1.1)
// ---------------------------------------------------------------------------------------------

const fourDecimals = (x: number) => Number(x.toFixed(4)) === x;

/** A proposal to work out before requesting it: the case, one of its customer's loans and the change. */
export const RestructuringPreviewBody = z.strictObject({
  caseId: Id,
  loanId: Id,
  change: z.enum(RESTRUCTURING_CHANGES),
  months: z.number().int().min(1).max(360).optional(),
  annualRatePercent: z
    .number()
    .min(0)
    .max(36)
    .refine(fourDecimals, { message: 'at most four decimals', params: { reason: 'invalid_format' } })
    .optional(),
  instalmentMinor: z.number().int().min(1).max(100_000_000_000).optional(),
});

const Side = ScheduleView.extend({
  months: z.number().int(),
  annualRatePercent: z.number(),
  instalmentMinor: z.number().int(),
  totalPaidMinor: z.number().int(),
});

/** The old and the new schedule of a restructuring, side by side, and the difference in total cost. */
export const RestructuringView = z.object({
  requestId: z.string().nullable(),
  caseId: z.string(),
  status: z.string().nullable(),
  loan: z.object({
    id: z.string(),
    loanNumber: z.string(),
    product: z.string(),
    outstandingMinor: z.number().int(),
    interestRateBp: z.number().int(),
    maturityDate: z.string(),
    nextPaymentDate: z.string().nullable(),
  }),
  change: z.enum(RESTRUCTURING_CHANGES),
  months: z.number().int().nullable(),
  annualRatePercent: z.number().nullable(),
  instalmentMinor: z.number().int().nullable(),
  before: Side,
  after: Side,
  /** New total interest − old, in fen (negative: the customer pays less). */
  costDifferenceMinor: z.number().int(),
  signed: z.boolean(),
  booking: BookingView.nullable(),
});
