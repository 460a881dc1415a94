import { z } from 'zod';
import { COLLECTION_CHANNELS } from '../../domain/collection.js';
import { REPAYMENT_METHODS } from '../../domain/loan-schedule.js';
import { REMINDER_TEMPLATES } from '../../domain/reminder-templates.js';
import { CustomerNumber, Id, isoDate } from '../../platform/http/text.js';

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

const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
/** Customer numbers in the lookup's path, never a national ID or phone (API.md). */
export const CustomerNumberParams = z.strictObject({ customerNumber: CustomerNumber });
export const CaseIdParams = z.strictObject({ id: Id });

export const TreatmentBody = z
  .strictObject({
    gentle: z.boolean(),
    maxContactsPerWeek: z.number().int().min(0).max(14),
    quietHours: z.strictObject({ from: HourMinute, to: HourMinute }),
    channels: z.array(z.enum(COLLECTION_CHANNELS)).max(COLLECTION_CHANNELS.length),
    pausedUntil: isoDate.nullable(),
  })
  .refine((b) => new Set(b.channels).size === b.channels.length, {
    message: 'a channel named twice',
    path: ['channels'],
    params: { reason: 'invalid_value' },
  });

const Treatment = z.object({
  gentle: z.boolean(),
  maxContactsPerWeek: z.number().int(),
  quietHours: z.object({ from: z.string(), to: z.string() }),
  channels: z.array(z.enum(COLLECTION_CHANNELS)),
  pausedUntil: z.string().meta({ format: 'date' }).optional(),
});

/** API.md "Core-banking and branch lookups", scope `collection:read`. */
export const TreatmentLookup = Treatment.extend({ customerNumber: z.string() });

export const CaseTreatmentView = Treatment.extend({
  caseId: z.string(),
  /** False while the case runs on the gentle default, which nobody has set yet. */
  set: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string().nullable(),
  contactsInPastWeek: z.number().int(),
});

export const ContactBody = z.strictObject({ channel: z.enum(COLLECTION_CHANNELS), at: z.iso.datetime({ offset: true }).optional() });
export const ContactView = z.object({ id: z.string(), channel: z.enum(COLLECTION_CHANNELS), contactedAt: z.string() });

/** A repayment reminder by SMS (P7.1.2): one of the reviewed templates, and the instalment's day where it names one. */
export const ReminderBody = z.strictObject({ template: z.enum(REMINDER_TEMPLATES), dueDate: isoDate.optional() });
export const ReminderView = ContactView.extend({
  template: z.enum(REMINDER_TEMPLATES),
  text: z.string(),
  /** False when no SMS gateway is configured: the contact is recorded, the SMS kept unsent. */
  smsQueued: z.boolean(),
});
export const ReminderTemplateList = z.object({
  items: z.array(z.object({ template: z.enum(REMINDER_TEMPLATES), dated: z.boolean(), text: z.string() })),
});
