import { z } from 'zod';
import { pageQuery, text } from '../../platform/http/text.js';

// Any offset is accepted; stored instants are UTC, so the bound is compared in UTC.
const instant = z.iso
  .datetime({ offset: true })
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real instant')
  .transform((s) => new Date(s).toISOString());

/** Filters of the audit trail: who, what, which record, when (`from` inclusive, `to` exclusive). */
export const AuditListQuery = pageQuery.extend({
  actorId: text({ min: 1, max: 64 }).optional(),
  action: text({ min: 1, max: 100 }).optional(),
  targetType: text({ min: 1, max: 64 }).optional(),
  targetId: text({ min: 1, max: 200 }).optional(),
  from: instant.optional(),
  to: instant.optional(),
});

/** One event: who did what, when, to which record, from where, with what outcome. */
export const AuditEventSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  occurredAt: z.string(),
  actorId: z.string().nullable(),
  actorUsername: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  branchId: z.string().nullable(),
  ip: z.string().nullable(),
  outcome: z.enum(['success', 'failure']),
  detail: z.record(z.string(), z.unknown()),
});

export const AuditListResponse = z.object({ items: z.array(AuditEventSchema), nextCursor: z.string().nullable() });

const ChainPosition = z.strictObject({
  seq: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex digits'),
});

/** An optional anchor: a `head` exported earlier, which must still be in the chain unchanged. */
// Fastify hands a POST without a body over as null.
export const VerifyBody = z.strictObject({ anchor: ChainPosition.optional() }).nullish();

/** API.md `{ ok, checked, firstBrokenId }`, plus the head to export and the anchor check. */
export const VerifyResponse = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBrokenId: z.string().nullable(),
  head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  anchorMatched: z.boolean().nullable(),
});
