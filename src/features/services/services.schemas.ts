import { z } from 'zod';
import { TEAM_ROLES } from '../../domain/roles.js';
import { SERVICE_CODES } from '../../domain/service-catalogue.js';
import { SERVICE_STATUSES } from '../../domain/service-lifecycle.js';
import { CustomerNumber, Id, isoDate, text } from '../../platform/http/text.js';

export const CaseIdParams = z.strictObject({ id: Id });
export const RequestIdParams = z.strictObject({ id: Id });
export const TypeCodeParams = z.strictObject({ code: z.enum(SERVICE_CODES) });
/** A customer number in the path of the branch lookups (never a national ID or phone: API.md). */
export const CustomerNumberParams = z.strictObject({ customerNumber: CustomerNumber });

const Document = z.object({ code: z.string(), zh: z.string(), en: z.string() });
const DocumentInput = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'snake_case code'),
  zh: text({ min: 1, max: 100 }),
  en: text({ min: 1, max: 100 }),
});

export const ServiceTypeView = z.object({
  code: z.enum(SERVICE_CODES),
  name: z.object({ zh: z.string(), en: z.string() }),
  ownerRole: z.enum(TEAM_ROLES),
  needsApproval: z.boolean(),
  /** The bank's standard handling time and the critical-illness priority time, in business hours (P6.2.2). */
  standardHours: z.number().int(),
  priorityHours: z.number().int(),
  /** The documents asked as standard, and the reduced list asked of critical-illness customers (P6.1.1). */
  documentsStandard: z.array(Document),
  documentsReduced: z.array(Document),
  /** The details a request of the type needs (validated per type). */
  fields: z.array(
    z.object({
      name: z.string(),
      kind: z.enum(['account', 'text', 'enum', 'percent', 'money', 'date', 'count', 'holdings_moves']),
      required: z.boolean(),
      options: z.array(z.string()).optional(),
    }),
  ),
  active: z.boolean(),
  version: z.number().int(),
});
export const ServiceTypeList = z.object({ items: z.array(ServiceTypeView) });

export const ServiceTypeChangeBody = z
  .strictObject({
    nameZh: text({ min: 1, max: 60 }).optional(),
    nameEn: text({ min: 1, max: 80 }).optional(),
    ownerRole: z.enum(TEAM_ROLES).optional(),
    needsApproval: z.boolean().optional(),
    standardHours: z.number().int().min(1).max(2000).optional(),
    priorityHours: z.number().int().min(1).max(2000).optional(),
    documentsStandard: z.array(DocumentInput).max(20).optional(),
    documentsReduced: z.array(DocumentInput).max(20).optional(),
    active: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
export type ServiceTypeChange = z.output<typeof ServiceTypeChangeBody>;

/** API.md: `{ type, details: {...}, note? }`; the details are checked against the type. */
export const CreateRequestBody = z.strictObject({
  type: z.enum(SERVICE_CODES),
  details: z.record(z.string().max(64), z.unknown()).refine((d) => Object.keys(d).length <= 30, 'too many fields'),
  note: text({ min: 1, max: 2000 }).optional(),
});

export const DecisionBody = z.strictObject({ decision: z.enum(['approve', 'reject']), reason: text({ min: 1, max: 2000 }) });
export const CompleteBody = z.strictObject({ outcome: text({ min: 1, max: 2000 }) });
export const CancelBody = z.strictObject({ reason: text({ min: 1, max: 2000 }) });

export const RequestListQuery = z.strictObject({
  status: z.enum(SERVICE_STATUSES).optional(),
  type: z.enum(SERVICE_CODES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  /** `mine`: assigned to the reader; `approval`: waiting for a supervisor's decision. */
  view: z.enum(['mine', 'approval', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

const StaffRef = z.object({ id: z.string(), displayName: z.string() }).nullable();

/** A request as lists show it: no notes. */
export const RequestSummary = z.object({
  id: z.string(),
  type: z.enum(SERVICE_CODES),
  status: z.enum(SERVICE_STATUSES),
  case: z.object({ id: z.string(), caseNumber: z.string(), customerName: z.string() }),
  branchId: z.string(),
  requestedBy: StaffRef,
  requestedAt: z.string(),
  assignee: StaffRef,
  /** The priority time's end (P6.2.2), the standard time's for comparison, and whether the request is late. */
  dueAt: z.string(),
  standardDueAt: z.string(),
  overdue: z.boolean(),
  /** Business hours until the due time, negative once late, null when the request is finished; and the length of a business day, to count in days. */
  businessHoursLeft: z.number().nullable(),
  businessDayHours: z.number(),
  completedAt: z.string().nullable(),
  needsApproval: z.boolean(),
  version: z.number().int(),
});
export const RequestList = z.object({ items: z.array(RequestSummary), nextCursor: z.string().nullable() });

/** One request in full; notes, reasons and the outcome only for readers entitled to the case's confidential sections. */
export const RequestView = RequestSummary.extend({
  details: z.record(z.string(), z.unknown()),
  note: z.string().nullable().optional(),
  steps: z.array(z.object({ step: z.string(), at: z.string(), by: StaffRef, text: z.string().nullable().optional() })),
  checklist: z.array(
    z.object({
      code: z.string(),
      zh: z.string(),
      en: z.string(),
      ticked: z.object({ by: StaffRef, at: z.string(), evidenceRef: z.string().nullable(), file: z.boolean() }).nullable(),
    }),
  ),
  /** The documents a customer outside the policy would bring: the reduced list's gain (P6.1.1). */
  documentsStandard: z.array(Document),
  sensitiveVisible: z.boolean(),
});

export const FeeWaiverList = z.object({
  customerNumber: z.string(),
  items: z.array(
    z.object({
      accountId: z.string(),
      feeType: z.string(),
      kind: z.enum(['full', 'percent', 'amount']),
      percent: z.number().optional(),
      amountMinor: z.number().int().optional(),
      validFrom: z.string(),
      validUntil: z.string(),
    }),
  ),
});

/** Accommodations a branch makes at the counter (P6.2.1): never a condition. */
export const ACCOMMODATIONS = [
  'priority_window',
  'wheelchair_access',
  'seated_service',
  'home_service',
  'sign_language',
  'large_print',
  'companion_allowed',
  'quiet_room',
] as const;
export const AccommodationsBody = z.strictObject({ codes: z.array(z.enum(ACCOMMODATIONS)).max(ACCOMMODATIONS.length) });
export const AccommodationsView = z.object({
  caseId: z.string(),
  codes: z.array(z.enum(ACCOMMODATIONS)),
  updatedAt: z.string().nullable(),
});
export const PriorityView = z.object({
  customerNumber: z.string(),
  priority: z.boolean(),
  accommodations: z.array(z.enum(ACCOMMODATIONS)),
});

/** A case's waivers as its page shows them, in force or not. */
export const CaseWaiverList = z.object({
  items: z.array(
    z.object({
      requestId: z.string(),
      accountId: z.string(),
      feeType: z.string(),
      kind: z.enum(['full', 'percent', 'amount']),
      percent: z.number().nullable(),
      amountMinor: z.number().int().nullable(),
      validFrom: z.string(),
      validUntil: z.string(),
      endedOn: z.string().nullable(),
      inForce: z.boolean(),
    }),
  ),
});

export const EndWaiversBody = z.strictObject({ endOn: isoDate });
