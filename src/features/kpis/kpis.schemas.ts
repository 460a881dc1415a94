import { z } from 'zod';
import { KPI_IDS } from '../../domain/kpis.js';
import { isoDate } from '../../platform/http/text.js';

const BranchCode = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'not a branch code');

/** API.md "Indicators": a period of days on the bank's calendar and, for inspectors, a branch (all when left out). */
export const KpiQuery = z
  .strictObject({ from: isoDate, to: isoDate, branch: BranchCode.optional(), locale: z.enum(['zh-CN', 'en']).optional() })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'], params: { reason: 'order' } })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, {
    message: 'at most a year at a time',
    path: ['to'],
    params: { reason: 'too_big' },
  });

const Indicator = z.object({
  id: z.enum(KPI_IDS),
  value: z.number().nullable(),
  numerator: z.number().int().optional(),
  denominator: z.number().int().optional(),
  unit: z.enum(['score', 'ratio', 'hours', 'count']),
  /** Why `value` is null: `not_recorded_yet` (Lifeline does not record its source yet), `no_denominator`, `no_data`. */
  gap: z.enum(['not_recorded_yet', 'no_denominator', 'no_data']).optional(),
});

export const KpiView = z.object({
  from: z.string().meta({ format: 'date' }),
  to: z.string().meta({ format: 'date' }),
  /** The branch's code, or null for every branch together. */
  branch: z.string().nullable(),
  indicators: z.array(Indicator),
});
export type KpiView = z.infer<typeof KpiView>;

/** The workbook is binary: the schema only names it for the OpenAPI document. */
export const KpiWorkbook = z.string().meta({ format: 'binary' });
