import { z } from 'zod';
import { ALERT_RESOLUTIONS, ALERT_STATUSES, CONTACT_CHANNELS, CONTACT_OUTCOMES } from '../../domain/alert-lifecycle.js';
import { EvidenceSchema } from '../../domain/analysis/evidence.js';
import { MonitoringSchema } from '../../domain/risk-assessment.js';
import { Id, text } from '../../platform/http/text.js';

/** An ISO-8601 UTC instant such as `2026-11-28T09:00:00Z`. */
const Instant = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, 'an ISO-8601 UTC instant (…Z)')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real instant');

export const AlertIdParams = z.strictObject({ id: Id });
export const CaseIdParams = z.strictObject({ id: Id });

export const AlertListQuery = z.strictObject({
  status: z.enum(ALERT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(300).optional(),
});

export const AlertViewQuery = z.strictObject({
  /** Inspectors: why they read the notes (P8.1.2); recorded with the read. */
  reason: text({ min: 5, max: 500 }).optional(),
});

export const MetricsQuery = z
  .strictObject({ from: Instant, to: Instant })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: '`from` must be before `to`', path: ['from'] });

export const ContactBody = z.strictObject({
  channel: z.enum(CONTACT_CHANNELS),
  outcome: z.enum(CONTACT_OUTCOMES),
  note: text({ min: 1, max: 4000 }).optional(),
});
export type ContactInput = z.output<typeof ContactBody>;

export const VerifyBody = z.strictObject({ note: text({ min: 1, max: 4000 }) });

export const ResolveBody = z.strictObject({
  resolution: z.enum(ALERT_RESOLUTIONS),
  note: text({ min: 1, max: 4000 }),
});
export type ResolveInput = z.output<typeof ResolveBody>;

const StaffRef = z.object({ id: z.string(), displayName: z.string() }).nullable();

const AlertRule = z.object({
  id: z.string(),
  /** The rule set's description (for machines; pages describe a rule by its id in the reader's language). */
  description: z.string(),
  weight: z.number(),
  /** The numbers in English, for machines; pages render `facts`. */
  detail: z.string(),
  /** The flagged transaction: an alert's rules are about it alone. */
  evidence: z.array(z.string()),
  /** The hit's facts as data (pattern and values, amounts in minor units); null on alerts raised before issue 10. */
  facts: EvidenceSchema.nullable(),
  /** The stronger monitoring the risk officer set for the customer (P7.2.2), if the hit was judged by its tightened thresholds. */
  monitoring: MonitoringSchema.nullable(),
});

export const AlertSummary = z.object({
  id: z.string(),
  status: z.enum(ALERT_STATUSES),
  resolution: z.enum(ALERT_RESOLUTIONS).nullable(),
  score: z.number(),
  case: z.object({ id: z.string(), caseNumber: z.string() }),
  customer: z.object({ id: z.string(), customerNumber: z.string(), name: z.string() }),
  branch: z.object({ id: z.string(), code: z.string() }),
  transaction: z.object({ id: z.string(), bookedAt: z.string(), amountMinor: z.number(), currency: z.string() }),
  ruleIds: z.array(z.string()),
  raisedAt: z.string(),
  contactedAt: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  /** Still open after the contact target (LIFELINE_ALERT_CONTACT_HOURS). */
  overdue: z.boolean(),
  contactDueAt: z.string(),
  version: z.number(),
});

export const AlertListResponse = z.object({ items: z.array(AlertSummary), nextCursor: z.string().nullable() });

const Outflow = z.object({
  id: z.string(),
  bookedAt: z.string(),
  amountMinor: z.number(),
  currency: z.string(),
  channel: z.string(),
  counterpartyName: z.string().nullable(),
  mcc: z.string().nullable(),
  flagged: z.boolean(),
});

export const AlertView = AlertSummary.extend({
  rules: z.array(AlertRule),
  flagged: z.object({
    id: z.string(),
    accountId: z.string(),
    bookedAt: z.string(),
    amountMinor: z.number(),
    currency: z.string(),
    channel: z.string(),
    counterpartyName: z.string().nullable(),
    counterpartyAccount: z.string().nullable(),
    mcc: z.string().nullable(),
    description: z.string().nullable(),
  }),
  /** The customer's outflows of the 30 days up to the flagged one (and the flagged one itself). */
  outflows: z.array(Outflow),
  contact: z.object({
    channel: z.enum(CONTACT_CHANNELS).nullable(),
    outcome: z.enum(CONTACT_OUTCOMES).nullable(),
    attempts: z.number(),
    by: StaffRef,
    note: z.string().nullable().optional(),
  }),
  verification: z.object({ by: StaffRef, note: z.string().nullable().optional() }),
  resolutionDetail: z.object({ by: StaffRef, note: z.string().nullable().optional() }),
  contactTaskId: z.string().nullable(),
  /** Whether the reader may contact, verify and resolve (the case's team and the branch's supervisors). */
  canWork: z.boolean(),
  /** Whether the notes are shown; inspectors see them with `?reason=`. */
  notesVisible: z.boolean(),
});

export const MetricsResponse = z.object({
  from: z.string(),
  to: z.string(),
  total: z.number(),
  byStatus: z.record(z.enum(ALERT_STATUSES), z.number()),
  byResolution: z.record(z.enum(ALERT_RESOLUTIONS), z.number()),
  minutesToContact: z.object({ count: z.number(), median: z.number().nullable(), p90: z.number().nullable() }),
  minutesToResolve: z.object({ count: z.number(), median: z.number().nullable(), p90: z.number().nullable() }),
  contactTargetHours: z.number(),
  /** Alerts still open past the contact target now. */
  overdue: z.number(),
});
