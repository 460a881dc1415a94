import { z } from 'zod';
import { Id, isoDate, text } from '../../platform/http/text.js';
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
