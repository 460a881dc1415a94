import { z } from 'zod';
import { CLOSE_REASONS, SEVERITIES } from '../../domain/case-rules.js';
import { CONDITION_CODES } from '../../domain/conditions.js';
import { Id, isoDate, text } from '../../platform/http/text.js';

/** Ids in URLs and bodies: what newId() makes, and nothing that could carry a personal identifier. */

/** Money as API.md fixes it: integer minor units (never negative here) and an ISO 4217 currency. */
export const MoneyInput = z.strictObject({
  amountMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY'),
});
export const Money = z.object({ amountMinor: z.number().int(), currency: z.string() });

/** An ISO-8601 UTC instant such as `2026-11-28T09:00:00Z` or `…:00.000Z`. */
const Instant = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, 'an ISO-8601 UTC instant (…Z)')
  .refine((s) => !Number.isNaN(Date.parse(s)) && new Date(s).toISOString().slice(0, 19) === s.slice(0, 19), 'not a real instant');

export const CONSENT_CHANNELS = ['paper', 'electronic', 'recorded_call', 'hospital'] as const;
export const LEGAL_BASES = ['protect_life_health_emergency', 'other_statutory'] as const;

export const ConditionInput = z.strictObject({
  category: z.enum(CONDITION_CODES),
  description: text({ min: 1, max: 4000 }),
  diagnosedOn: isoDate.optional(),
  hospital: text({ min: 1, max: 200 }).optional(),
});

export const FinancialImpactInput = z.strictObject({
  /** Monthly income lost. */
  lostIncome: MoneyInput.optional(),
  expectedMedicalCosts: MoneyInput.optional(),
  debts: MoneyInput.optional(),
  notes: text({ min: 1, max: 4000 }).optional(),
});

export const CorrectionsInput = z.strictObject({
  name: text({ min: 1, max: 100 }).optional(),
  phone: text({ min: 1, max: 40 }).optional(),
  address: text({ min: 1, max: 300 }).optional(),
});

export const BasicInput = z.strictObject({ corrections: CorrectionsInput });

const HealthConsentInput = z.strictObject({
  givenAt: Instant,
  channel: z.enum(CONSENT_CHANNELS),
  evidenceRef: text({ min: 1, max: 200 }),
  scope: text({ min: 1, max: 1000 }).optional(),
});

const SharingConsentInput = z.strictObject({
  partnerId: Id,
  givenAt: Instant,
  channel: z.enum(CONSENT_CHANNELS),
  evidenceRef: text({ min: 1, max: 200 }),
  scope: text({ min: 1, max: 1000 }),
});

/** POST /cases: the registration form (P2.3.3). */
export const RegisterBody = z.strictObject({
  leadId: Id,
  basic: BasicInput.optional(),
  condition: ConditionInput,
  mobilityImpaired: z.boolean(),
  financialImpact: FinancialImpactInput,
  severity: z.enum(SEVERITIES),
  reviewOn: isoDate,
  maintainerId: Id.optional(),
  consent: z.strictObject({
    healthProcessing: HealthConsentInput.optional(),
    legalBasis: z.strictObject({ basis: z.enum(LEGAL_BASES), note: text({ min: 5, max: 1000 }) }).optional(),
    partnerSharing: z
      .array(SharingConsentInput)
      .max(20)
      .refine((a) => new Set(a.map((c) => c.partnerId)).size === a.length, 'each partner at most once')
      .optional(),
  }),
});
export type RegisterInput = z.output<typeof RegisterBody>;

/** PATCH /cases/:id: the editable sections; each given section replaces the stored one. */
export const UpdateBody = z
  .strictObject({
    condition: ConditionInput.optional(),
    financialImpact: FinancialImpactInput.optional(),
    severity: z.enum(SEVERITIES).optional(),
    mobilityImpaired: z.boolean().optional(),
    reviewOn: isoDate.optional(),
    basic: BasicInput.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change');
export type UpdateInput = z.output<typeof UpdateBody>;

/** POST /cases/:id/consents: one more consent record. */
export const ConsentBody = z.discriminatedUnion('kind', [
  HealthConsentInput.extend({ kind: z.literal('health_processing') }),
  SharingConsentInput.extend({ kind: z.literal('partner_sharing') }),
]);
export type ConsentInput = z.output<typeof ConsentBody>;

export const WithdrawBody = z.strictObject({ channel: z.enum(CONSENT_CHANNELS), note: text({ min: 1, max: 1000 }).optional() });
export const ReviewBody = z.strictObject({ note: text({ min: 1, max: 4000 }).optional() });
export const MaintainerBody = z.strictObject({ staffId: Id });
export const CloseBody = z.strictObject({
  reason: z.enum(CLOSE_REASONS),
  note: text({ min: 1, max: 2000 }).optional(),
  /** The day the case's fee waivers end (P4.2.1), as the supervisor confirms it; the closing day if not given. */
  waiversEndOn: isoDate.optional(),
});

export const CaseIdParams = z.strictObject({ id: Id });
export const ConsentIdParams = z.strictObject({ id: Id, consentId: Id });

/** GET /cases/:id: inspectors state why they need the sensitive sections. */
export const CaseViewQuery = z.strictObject({ reason: text({ min: 5, max: 500 }).optional() });

export const CaseListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
  status: z.enum(['active', 'closed', 'purged']).optional(),
  severity: z.enum(SEVERITIES).optional(),
  due: z.enum(['due', 'overdue']).optional(),
  /** A staff id, or `me`. */
  maintainer: Id.optional(),
  branch: Id.optional(),
  q: text({ min: 1, max: 100 }).optional(),
});

const StaffRef = z.object({ id: z.string(), displayName: z.string().nullable() });
const UpdateState = z.enum(['ok', 'due', 'overdue']).nullable();

const ConsentView = z.object({
  id: z.string(),
  kind: z.enum(['health_processing', 'partner_sharing', 'legal_basis']),
  partnerId: z.string().nullable(),
  basis: z.enum(LEGAL_BASES).nullable(),
  channel: z.string().nullable(),
  givenAt: z.string().nullable(),
  evidenceRef: z.string().nullable(),
  source: z.enum(['form', 'referral', 'added']),
  status: z.enum(['active', 'withdrawn']),
  recordedAt: z.string(),
  recordedBy: StaffRef,
  withdrawnAt: z.string().nullable(),
  withdrawnBy: StaffRef.nullable(),
  withdrawalChannel: z.string().nullable(),
  /** Entitled readers only; null once purged. */
  scope: z.string().nullable().optional(),
  note: z.string().nullable().optional(),
  withdrawalNote: z.string().nullable().optional(),
});

const HistoryEntry = z.object({
  version: z.number().int(),
  action: z.string(),
  at: z.string(),
  by: StaffRef.nullable(),
  fields: z.array(z.string()),
  /** Entitled readers only; null once purged or where the action keeps no values. */
  changes: z
    .array(z.object({ field: z.string(), old: z.unknown(), new: z.unknown() }))
    .nullable()
    .optional(),
});

/** GET /cases/:id: the case file; sensitive sections only for entitled readers (absent otherwise). */
export const CaseView = z.object({
  id: z.string(),
  caseNumber: z.string(),
  status: z.enum(['active', 'closed', 'purged']),
  version: z.number().int(),
  consentWithdrawn: z.boolean(),
  updateState: UpdateState,
  /** Whether this reader sees the sensitive sections. */
  sensitiveVisible: z.boolean(),
  /** Why the sensitive sections are absent: no confidentiality agreement, or not on the need-to-know list (docs/access.md). */
  restricted: z.enum(['no_agreement', 'not_entitled']).optional(),
  basic: z.object({
    customer: z.object({ id: z.string(), customerNumber: z.string(), name: z.string() }),
    branch: z.object({ id: z.string(), code: z.string() }),
    leadId: z.string(),
    channel: z.string(),
    partnerId: z.string().nullable(),
    severity: z.enum(SEVERITIES),
    mobilityImpaired: z.boolean(),
    reviewOn: z.string(),
    updateIntervalDays: z.number().int(),
    lastUpdateOn: z.string(),
    nextUpdateDue: z.string(),
    maintainer: StaffRef.nullable(),
    registeredAt: z.string(),
    closedAt: z.string().nullable(),
    closeReason: z.enum(CLOSE_REASONS).nullable(),
    purgedAt: z.string().nullable(),
    corrections: z
      .object({ name: z.string().optional(), phone: z.string().optional(), address: z.string().optional() })
      .nullable()
      .optional(),
  }),
  condition: z
    .object({ category: z.string(), description: z.string(), diagnosedOn: z.string().nullable(), hospital: z.string().nullable() })
    .nullable()
    .optional(),
  finances: z
    .object({
      lostIncome: Money.nullable(),
      expectedMedicalCosts: Money.nullable(),
      debts: Money.nullable(),
      notes: z.string().nullable(),
    })
    .nullable()
    .optional(),
  closing: z.object({ note: z.string().nullable() }).optional(),
  consent: z.object({ sharingPartners: z.array(z.string()), records: z.array(ConsentView) }),
  history: z.array(HistoryEntry),
  purge: z.object({ purgedAt: z.string(), counts: z.record(z.string(), z.number()) }).nullable(),
});

/** A case in the list: summary fields only, never the illness. */
export const CaseSummary = z.object({
  id: z.string(),
  caseNumber: z.string(),
  status: z.enum(['active', 'closed', 'purged']),
  customer: z.object({ id: z.string(), customerNumber: z.string(), name: z.string() }),
  branch: z.object({ id: z.string(), code: z.string() }),
  channel: z.string(),
  severity: z.enum(SEVERITIES),
  mobilityImpaired: z.boolean(),
  maintainer: StaffRef.nullable(),
  nextUpdateDue: z.string(),
  updateState: UpdateState,
  consentWithdrawn: z.boolean(),
  registeredAt: z.string(),
  closedAt: z.string().nullable(),
  version: z.number().int(),
});

export const CaseListResponse = z.object({ items: z.array(CaseSummary), nextCursor: z.string().nullable() });

export const ConditionListResponse = z.object({
  items: z.array(z.object({ code: z.string(), group: z.enum(['severe', 'mild', 'other']), zh: z.string(), en: z.string() })),
});
