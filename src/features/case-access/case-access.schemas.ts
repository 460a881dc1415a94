import { z } from 'zod';
import { BREAK_GLASS_REASON_MIN } from '../../domain/access.js';
import { Id, text } from '../../platform/http/text.js';

/** Ids in URLs and bodies: what newId() makes, and nothing that could carry a personal identifier. */

export const CaseIdParams = z.strictObject({ id: Id });
export const GrantIdParams = z.strictObject({ id: Id });

export const BreakGlassBody = z.strictObject({ reason: text({ min: BREAK_GLASS_REASON_MIN, max: 1000 }) });
export const ReviewBody = z.strictObject({ note: text({ min: 1, max: 1000 }) });

export const GrantListQuery = z.strictObject({
  status: z.enum(['open', 'reviewed']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const StaffRef = z.object({ id: z.string(), displayName: z.string().nullable() });

export const GrantView = z.object({
  id: z.string(),
  caseId: z.string(),
  caseNumber: z.string().nullable(),
  branchId: z.string(),
  staff: StaffRef,
  reason: z.string(),
  grantedAt: z.string(),
  expiresAt: z.string(),
  inForce: z.boolean(),
  reviewedAt: z.string().nullable(),
  reviewedBy: StaffRef.nullable(),
  reviewNote: z.string().nullable(),
});
export const GrantListResponse = z.object({ items: z.array(GrantView), nextCursor: z.string().nullable() });
