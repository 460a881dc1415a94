import { z } from 'zod';
import { REPAYMENT_METHODS } from '../../domain/loan-schedule.js';
import { isoDate } from '../../platform/http/text.js';

/** At most four decimals: rates are quoted to the basis point's hundredth, and read exactly. */
const fourDecimals = (x: number) => Number(x.toFixed(4)) === x;

export const SchedulePreviewBody = z
  .strictObject({
    /** Fen; at most ¥1,000,000,000. */
    principalMinor: z.number().int().min(1).max(100_000_000_000),
    annualRatePercent: z
      .number()
      .min(0)
      .max(36)
      .refine(fourDecimals, { message: 'at most four decimals', params: { reason: 'invalid_format' } }),
    months: z.number().int().min(1).max(360),
    method: z.enum(REPAYMENT_METHODS),
    startOn: isoDate,
    graceMonths: z.number().int().min(0).max(359).optional(),
  })
  .refine((b) => (b.graceMonths ?? 0) < b.months, {
    message: 'the grace months must leave at least one month to repay',
    path: ['graceMonths'],
    params: { reason: 'order' },
  });

const Instalment = z.object({
  n: z.number().int(),
  dueOn: z.string().meta({ format: 'date' }),
  principalMinor: z.number().int(),
  interestMinor: z.number().int(),
  totalMinor: z.number().int(),
  balanceMinor: z.number().int(),
});

export const ScheduleView = z.object({ instalments: z.array(Instalment), totalInterestMinor: z.number().int() });
