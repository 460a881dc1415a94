import { z } from 'zod';
import { ROW_ERROR_CODES } from '../../domain/analysis/row-errors.js';
import { pageQuery, text } from '../../platform/http/text.js';

export const BATCH_STATUSES = ['running', 'done', 'failed', 'interrupted'] as const;

export const BatchIdParams = z.strictObject({ id: z.string().min(1).max(64) });

export const UploadQuery = z.strictObject({
  /** The file's name as the sender knows it, shown in the batch list. */
  name: text({ min: 1, max: 200 }).optional(),
});

export const BatchListQuery = pageQuery.extend({ status: z.enum(BATCH_STATUSES).optional() });

export const BatchView = z.object({
  id: z.string(),
  source: z.enum(['file', 'upload', 'stream']),
  name: z.string(),
  format: z.enum(['csv', 'ndjson', 'camt053']),
  status: z.enum(BATCH_STATUSES),
  bytesTotal: z.number().int().nullable(),
  bytesRead: z.number().int(),
  /** bytesRead of bytesTotal, 0–100; null while the size is unknown. */
  percent: z.number().nullable(),
  rows: z.number().int(),
  inserted: z.number().int(),
  duplicates: z.number().int(),
  badRows: z.number().int(),
  leads: z.number().int(),
  alerts: z.number().int(),
  createdBy: z.string().nullable(),
  clientId: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export const BatchListResponse = z.object({ items: z.array(BatchView), nextCursor: z.string().nullable() });

export const BatchErrorsQuery = pageQuery;
export const BatchErrorsResponse = z.object({
  items: z.array(
    z.object({
      line: z.number().int(),
      /** Why, in English (API.md). */
      reason: z.string(),
      /** The same as a stable code with its parameters, which pages say in the reader's language; `other` for a text of no known kind. */
      code: z.enum([...ROW_ERROR_CODES, 'other']),
      params: z.record(z.string(), z.string()),
    }),
  ),
  /** Only the first ones are kept; badRows of the batch counts them all. */
  kept: z.number().int(),
  nextCursor: z.string().nullable(),
});
