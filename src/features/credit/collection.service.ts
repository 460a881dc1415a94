import type { z } from 'zod';
import {
  type CollectionChannel,
  type CollectionTreatment,
  COLLECTION_CHANNELS,
  checkContact,
  GENTLE_TREATMENT,
  STANDARD_TREATMENT,
} from '../../domain/collection.js';
import { DATED_TEMPLATES, REMINDER_TEMPLATES, renderReminder } from '../../domain/reminder-templates.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { CollectionTreatmentTable } from '../../platform/db/tables/credit.js';
import { enqueueSms } from '../../platform/jobs/sms.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError, type ErrorCode } from '../../platform/http/errors.js';
import { activeCaseForCustomer, type CaseFacts, caseForTeamWork } from '../case-access/case-access.service.js';
import { customerIdByNumber } from '../customers/customers.service.js';
import { contactsSince, findTreatment, insertContact, saveTreatment } from './credit.repository.js';
import type { ContactBody, ReminderBody, TreatmentBody } from './credit.schemas.js';

// Gentle collection (P7.1.2, docs/credit.md): the risk officer sets how a case's customer may be
// contacted about what they owe; the bank's collection system reads it by customer number, and a
// contact recorded here that would break it is refused.

const WEEK_MS = 7 * 86_400_000;

const REFUSALS: Record<ReturnType<typeof checkContact> & string, ErrorCode> = {
  paused: 'COLLECTION_PAUSED',
  channel: 'COLLECTION_CHANNEL_NOT_ALLOWED',
  quiet_hours: 'COLLECTION_QUIET_HOURS',
  weekly_limit: 'COLLECTION_WEEKLY_LIMIT',
};

function treatmentOfRow(row: CollectionTreatmentTable | undefined): CollectionTreatment {
  if (!row) return GENTLE_TREATMENT;
  const parsed: unknown = JSON.parse(row.channels);
  return {
    gentle: row.gentle === 1,
    maxContactsPerWeek: row.max_contacts_per_week,
    quietHours: { from: row.quiet_from, to: row.quiet_to },
    channels: COLLECTION_CHANNELS.filter((c) => Array.isArray(parsed) && parsed.includes(c)),
    pausedUntil: row.paused_until,
  };
}

/** The answer's shape: `pausedUntil` only when there is a pause (API.md). */
function asAnswer(t: CollectionTreatment) {
  const { pausedUntil, ...rest } = t;
  return { ...rest, ...(pausedUntil !== null ? { pausedUntil } : {}) };
}

/** The case for its collection treatment: its team and its branch's supervisors. */
function caseForCollection(ctx: AppContext, db: Executor, actor: Actor, caseId: string) {
  return caseForTeamWork(ctx, db, actor, caseId, 'only the case’s team and its branch’s supervisors see its collection treatment');
}

/** A case's treatment as its page shows it: the one set, or the gentle default, with the past week's contacts. */
export async function caseTreatment(ctx: AppContext, db: Executor, actor: Actor, caseId: string) {
  const facts = await caseForCollection(ctx, db, actor, caseId);
  const row = await findTreatment(db, facts.id);
  const recent = await contactsSince(db, facts.id, new Date(ctx.now().getTime() - WEEK_MS).toISOString());
  return {
    caseId: facts.id,
    ...asAnswer(treatmentOfRow(row)),
    set: row !== undefined,
    version: row?.version ?? 0,
    updatedAt: row?.updated_at ?? null,
    contactsInPastWeek: recent.length,
  };
}

/** Sets a case's treatment (risk officers and supervisors, P7.1.2); `expectedVersion` guards a concurrent change. */
export async function setTreatment(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  caseId: string,
  body: z.output<typeof TreatmentBody>,
  expectedVersion: number | undefined,
) {
  const facts = await caseForCollection(ctx, db, actor, caseId);
  if (facts.status !== 'active') throw new AppError('CONFLICT', `the case is ${facts.status}`);
  const current = await findTreatment(db, facts.id);
  if (expectedVersion !== undefined && expectedVersion !== (current?.version ?? 0)) throw new AppError('PRECONDITION_FAILED');
  const saved = await saveTreatment(
    db,
    {
      case_id: facts.id,
      gentle: body.gentle ? 1 : 0,
      max_contacts_per_week: body.maxContactsPerWeek,
      quiet_from: body.quietHours.from,
      quiet_to: body.quietHours.to,
      channels: JSON.stringify(body.channels),
      paused_until: body.pausedUntil,
      updated_by: actor.id,
      updated_at: ctx.now().toISOString(),
      version: (current?.version ?? 0) + 1,
    },
    current?.version ?? null,
  );
  if (!saved) throw new AppError('PRECONDITION_FAILED');
  await recordAudit(
    db,
    actor,
    { action: 'collection.treatment_set', target: { type: 'case', id: facts.id }, branchId: facts.branchId, detail: { ...body } },
    ctx.now(),
  );
  return caseTreatment(ctx, db, actor, caseId);
}

/**
 * Records a collection contact with the case's customer, refused (409, one code per rule) when it
 * would break the treatment: paused, a channel not allowed, quiet hours, or the week's number used.
 */
export async function recordContact(ctx: AppContext, db: Executor, actor: Actor, caseId: string, body: z.output<typeof ContactBody>) {
  const facts = await caseForCollection(ctx, db, actor, caseId);
  return contactWithin(ctx, db, actor, facts, body.channel, body.at ? new Date(body.at) : ctx.now());
}

/** Checks a contact against the case's treatment and records it, or refuses it (409, one code per rule). */
async function contactWithin(ctx: AppContext, db: Executor, actor: Actor, facts: CaseFacts, channel: CollectionChannel, at: Date) {
  const treatment = treatmentOfRow(await findTreatment(db, facts.id));
  const recent = await contactsSince(db, facts.id, new Date(at.getTime() - WEEK_MS).toISOString());
  const refusal = checkContact(treatment, { channel, at, contactsInPastWeek: recent.length }, ctx.config.businessHours.offsetMinutes);
  if (refusal) throw new AppError(REFUSALS[refusal], `the contact would break the case’s collection treatment: ${refusal}`);
  const id = newId(ctx.now().getTime());
  await insertContact(db, {
    id,
    case_id: facts.id,
    channel,
    contacted_at: at.toISOString(),
    recorded_by: actor.id,
    created_at: ctx.now().toISOString(),
  });
  await recordAudit(
    db,
    actor,
    { action: 'collection.contact_recorded', target: { type: 'case', id: facts.id }, branchId: facts.branchId, detail: { channel } },
    ctx.now(),
  );
  return { id, channel, contactedAt: at.toISOString() };
}

/** The reviewed reminder templates as the customer would read them, the bank's name filled in. */
export function reminderTemplates(ctx: AppContext) {
  return {
    items: REMINDER_TEMPLATES.map((template) => ({
      template,
      dated: DATED_TEMPLATES.includes(template),
      text: renderReminder(template, { bankName: ctx.config.alerts.smsBankName }),
    })),
  };
}

/**
 * Sends a repayment reminder by SMS (P7.1.2): a reviewed template only, never free text. It is a
 * collection contact like any other, so the treatment is checked first (an SMS in the quiet hours,
 * during a pause or over the week's number is refused with 409), and it goes out through the
 * outbox with the contact's transaction.
 */
export async function sendReminder(ctx: AppContext, db: Executor, actor: Actor, caseId: string, body: z.output<typeof ReminderBody>) {
  const facts = await caseForCollection(ctx, db, actor, caseId);
  const contact = await contactWithin(ctx, db, actor, facts, 'sms', ctx.now());
  const text = renderReminder(body.template, { bankName: ctx.config.alerts.smsBankName, dueDate: body.dueDate });
  // Without a gateway the row is kept as `skipped` (sms.ts): the page says so rather than "queued".
  const smsQueued = ctx.config.alerts.smsGatewayUrl !== null;
  await enqueueSms(db, { customerId: facts.customerId, text }, { enabled: smsQueued, now: ctx.now() });
  await recordAudit(
    db,
    actor,
    {
      action: 'collection.reminder_sent',
      target: { type: 'case', id: facts.id },
      branchId: facts.branchId,
      detail: { template: body.template },
    },
    ctx.now(),
  );
  return { ...contact, template: body.template, text, smsQueued };
}

/**
 * The collection system's question (scope `collection:read`): how may this customer be contacted.
 * A customer with an active case gets the case's treatment, anyone else the bank's standard one;
 * never a condition, a case number or a note.
 */
export async function treatmentForCustomer(db: Executor, customerNumber: string) {
  const customerId = await customerIdByNumber(db, customerNumber);
  const active = customerId ? await activeCaseForCustomer(db, customerId) : undefined;
  const treatment = active ? treatmentOfRow(await findTreatment(db, active.id)) : STANDARD_TREATMENT;
  return { customerNumber: customerNumber.toUpperCase(), ...asAnswer(treatment) };
}
