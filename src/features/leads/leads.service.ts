import { z } from 'zod';
import { addBusinessDays } from '../../domain/business-days.js';
import { isOverdue, type LeadEvent, type LeadStatus, nextLeadStatus, OPEN_STATUSES } from '../../domain/lead-lifecycle.js';
import { seesAllBranches } from '../../domain/roles.js';
import { type AuditActor, recordAudit } from '../../platform/audit/audit.service.js';
import { withSensitiveReads } from '../../platform/audit/sensitive-read.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { LeadTable } from '../../platform/db/tables/leads.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError, deniedAsNotFound } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import { customerRefsByIds, customersNamedOrBornOn } from '../customers/customers.service.js';
import { branchesByIds, staffNames } from '../staff/staff.service.js';
import {
  findLead,
  findLeadOfCustomer,
  findLeadIdByReferral as findReferral,
  insertLeadEvent,
  type LeadReach,
  latestLeadOfCustomer,
  leadReachable,
  listLeadChecks,
  listLeadEvents,
  listLeads,
  updateLead,
} from './leads.repository.js';
import {
  type Condition,
  ConditionSchema,
  DefinitionView,
  ConsentSchema,
  type LeadAnalysis,
  LeadAnalysisSchema,
  type LeadChannel,
  type LeadSummary,
  type LeadView,
  type ReferralConsent,
  type Subject,
} from './leads.schemas.js';

// ---------------------------------------------------------------------------------------------
// Who sees what
// ---------------------------------------------------------------------------------------------

/** Which leads an actor reaches: inspectors all, supervisors their branch's, everyone what they reported or check. */
export function reachOf(actor: Actor): LeadReach {
  if (seesAllBranches(actor.roles)) return { all: true };
  return { all: false, staffId: actor.id, ...(actor.roles.includes('supervisor') ? { branchId: actor.branchId } : {}) };
}

/**
 * What of a lead's content the actor may read: everything (the branch's supervisors, the
 * colleague asked to check, inspectors who state a reason), what they wrote (the reporter), or nothing.
 */
export type Entitlement = 'full' | 'reporter' | 'none';

export function entitlementOf(actor: Actor, lead: LeadTable, reason?: string): Entitlement {
  // P5.4.2: without a confidentiality agreement in force, no sensitive part of a lead is served.
  if (actor.agreementValid === false) return 'none';
  if (actor.roles.includes('supervisor') && actor.branchId === lead.branch_id) return 'full';
  if (lead.assigned_to === actor.id) return 'full';
  if (actor.roles.includes('inspector') && reason !== undefined) return 'full';
  if (lead.reported_by === actor.id) return 'reporter';
  return 'none';
}

export const NOT_FOUND = () => new AppError('NOT_FOUND', 'no such lead');

/** The lead if the actor reaches it; otherwise 404, so that another branch's lead cannot be told from none. */
export async function reachableLead(db: Executor, actor: Actor, id: string): Promise<LeadRecord> {
  const lead = await findLeadRecord(db, id);
  if (!lead) throw NOT_FOUND();
  if (!(await leadReachable(db, id, reachOf(actor)))) throw deniedAsNotFound('lead', id);
  return lead;
}

/** The lead for a supervisor's step: it must belong to their branch. */
export async function branchLead(db: Executor, actor: Actor, id: string): Promise<LeadRecord> {
  const lead = await reachableLead(db, actor, id);
  if (lead.branch_id !== actor.branchId) throw new AppError('FORBIDDEN', 'only the supervisors of the lead’s branch decide on it');
  return lead;
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

export const staffRef = (id: string | null, name: string | null) => (id !== null && name !== null ? { id, displayName: name } : null);

export function toSummary(lead: LeadRecord, entitlement: Entitlement, now: Date): LeadSummary {
  return {
    id: lead.id,
    channel: lead.channel,
    status: lead.status,
    branchCode: lead.branch_code,
    customer:
      lead.customer_id !== null && lead.customer_number !== null && lead.customer_name !== null
        ? { id: lead.customer_id, customerNumber: lead.customer_number, name: lead.customer_name }
        : null,
    match: lead.match_method !== null && lead.match_strength !== null ? { method: lead.match_method, strength: lead.match_strength } : null,
    subjectName: entitlement === 'none' ? null : lead.subject_name,
    reportedCustomerNumber: entitlement === 'none' ? null : lead.reported_customer_number,
    reportedBy: staffRef(lead.reported_by, lead.reporter_name),
    partner: lead.partner_id !== null && lead.partner_name !== null ? { id: lead.partner_id, name: lead.partner_name } : null,
    dueAt: lead.due_at,
    overdue: isOverdue(lead.status, lead.due_at, now),
    assignedTo: staffRef(lead.assigned_to, lead.assignee_name),
    createdAt: lead.created_at,
  };
}

const SubjectIdentifiers = z.object({
  nationalId: z.string().optional(),
  dateOfBirth: z.string().optional(),
  phone: z.string().optional(),
});
const HistoryDetail = z.record(z.string(), z.unknown());

export function parseJson<T>(text: string | null, schema: z.ZodType<T>): T | undefined {
  if (text === null) return undefined;
  // Written by this service from validated input; a parse failure would be a bug worth a 500.
  return schema.parse(JSON.parse(text));
}

/** Plaintext the caller already holds (it has just written it), so that no decryption is needed. */
export interface KnownPlaintext {
  subject?: Subject;
  summary: string;
  analysis?: LeadAnalysis;
}

export async function buildView(
  ctx: AppContext,
  db: Executor,
  actor: Actor | null,
  lead: LeadRecord,
  opts: { reason?: string; known?: KnownPlaintext } = {},
): Promise<LeadView> {
  const now = ctx.now();
  const entitlement: Entitlement = actor ? entitlementOf(actor, lead, opts.reason) : 'none';
  const full = entitlement === 'full';
  const checks = await listLeadChecks(db, lead.id);
  const events = await listLeadEvents(db, lead.id);
  const names = await staffNames(db, [...checks.map((c) => c.checked_by), ...events.map((e) => e.actor_id)]);

  let subject: LeadView['subject'];
  let summary: string | undefined;
  let analysis: LeadAnalysis | undefined;
  let condition: Condition | undefined;
  let assignmentNote: string | undefined;
  let decisionReason: string | undefined;
  let definition: z.output<typeof DefinitionView> | undefined;
  const findings = new Map<string, string>();
  const notes = new Map<string, string>();

  if (actor && entitlement !== 'none') {
    const reason = full && actor.roles.includes('inspector') ? opts.reason : undefined;
    // One opening of the lead is one audit event, naming every field it decrypted.
    const scope = { target: { type: 'lead', id: lead.id }, branchId: lead.branch_id, purpose: 'lead.view', ...(reason ? { reason } : {}) };
    await withSensitiveReads(db, ctx.cipher, actor, scope, (read) => {
      if (opts.known) {
        subject = opts.known.subject;
        summary = opts.known.summary;
        analysis = opts.known.analysis;
      } else {
        // The reporter reads back what they wrote; the rest only the fully entitled.
        const plain = read('leads', lead.id, {
          subject_enc: lead.subject_enc,
          summary_enc: lead.summary_enc,
          analysis_enc: lead.analysis_enc,
          condition_enc: full ? lead.condition_enc : null,
          assignment_note_enc: full ? lead.assignment_note_enc : null,
          decision_reason_enc: full ? lead.decision_reason_enc : null,
          definition_enc: full ? lead.definition_enc : null,
        });
        definition = parseJson(plain.definition_enc ?? null, DefinitionView);
        const identifiers = parseJson(plain.subject_enc ?? null, SubjectIdentifiers);
        subject = lead.subject_name !== null ? { name: lead.subject_name, ...identifiers } : undefined;
        summary = plain.summary_enc ?? undefined;
        // A purge (retention) clears it to null; an empty text never parses, so it is read as none.
        analysis = plain.analysis_enc ? parseJson(plain.analysis_enc, LeadAnalysisSchema) : undefined;
        condition = parseJson(plain.condition_enc ?? null, ConditionSchema);
        assignmentNote = plain.assignment_note_enc ?? undefined;
        decisionReason = plain.decision_reason_enc ?? undefined;
      }
      if (full) {
        for (const c of checks) {
          if (c.finding_enc === null) continue;
          const plain = read('lead_checks', c.id, { finding_enc: c.finding_enc });
          if (plain.finding_enc) findings.set(c.id, plain.finding_enc);
        }
        for (const e of events) {
          if (e.note_enc === null) continue;
          const plain = read('lead_events', e.id, { note_enc: e.note_enc });
          if (plain.note_enc) notes.set(e.id, plain.note_enc);
        }
      }
    });
  }

  const supervisorOfBranch = actor?.roles.includes('supervisor') === true && actor.branchId === lead.branch_id;
  const candidates = actor && supervisorOfBranch && lead.customer_id === null ? await candidatesFor(db, actor, lead, subject) : [];
  const consent = full ? parseJson(lead.referral_consent, ConsentSchema) : undefined;

  return {
    ...toSummary(lead, entitlement, now),
    ...(subject ? { subject } : {}),
    ...(summary !== undefined ? { summary } : {}),
    ...(analysis !== undefined ? { analysis } : {}),
    sourceRef: lead.source_ref,
    referralId: lead.referral_id,
    ...(condition ? { condition } : {}),
    ...(consent ? { consent } : {}),
    ...(assignmentNote !== undefined ? { assignmentNote } : {}),
    ...(definition ? { definition } : {}),
    duplicateOf: lead.duplicate_of,
    linkedCaseId: lead.linked_case_id,
    caseId: lead.case_id,
    decision:
      lead.decision !== null && lead.decided_by !== null && lead.decided_at !== null
        ? {
            decision: lead.decision,
            ...(decisionReason !== undefined ? { reason: decisionReason } : {}),
            by: { id: lead.decided_by, displayName: lead.decider_name ?? '' },
            at: lead.decided_at,
          }
        : null,
    checks: checks.map((c) => {
      const finding = findings.get(c.id);
      return {
        id: c.id,
        by: { id: c.checked_by, displayName: names.get(c.checked_by) ?? '' },
        at: c.checked_at,
        ...(finding !== undefined ? { finding } : {}),
        recommendation: c.recommendation,
      };
    }),
    candidates,
    history: events.map((e) => {
      const note = notes.get(e.id);
      return {
        at: e.occurred_at,
        actor: staffRef(e.actor_id, e.actor_id === null ? null : (names.get(e.actor_id) ?? null)),
        action: e.action,
        detail: parseJson(e.detail, HistoryDetail) ?? {},
        ...(note !== undefined ? { note } : {}),
      };
    }),
    version: lead.version,
  };
}

const CANDIDATE_LIMIT = 10;

/** Customers of the supervisor's branch with the subject's name or date of birth, the likeliest first. */
async function candidatesFor(db: Executor, actor: Actor, lead: LeadRecord, subject: LeadView['subject']) {
  const name = lead.subject_name ?? undefined;
  const dateOfBirth = subject?.dateOfBirth;
  if (name === undefined && dateOfBirth === undefined) return [];
  const found = await customersNamedOrBornOn(db, {
    name,
    dateOfBirth,
    branchId: actor.branchId,
    limit: CANDIDATE_LIMIT,
  });
  const rank = { name_and_dob: 0, name: 1, dob: 2 } as const;
  return found
    .map((c) => {
      const sameName = name !== undefined && c.name === name;
      const sameDob = dateOfBirth !== undefined && c.dateOfBirth === dateOfBirth;
      const reason = sameName && sameDob ? ('name_and_dob' as const) : sameName ? ('name' as const) : ('dob' as const);
      return {
        customerId: c.id,
        customerNumber: c.customerNumber,
        name: c.name,
        dateOfBirth: c.dateOfBirth,
        branchCode: c.branchCode,
        reason,
      };
    })
    .sort((a, b) => rank[a.reason] - rank[b.reason]);
}

// ---------------------------------------------------------------------------------------------
// History and audit
// ---------------------------------------------------------------------------------------------

export async function remember(
  ctx: AppContext,
  db: Executor,
  leadId: string,
  actorId: string | null,
  action: string,
  detail: Record<string, unknown>,
  note?: string,
): Promise<void> {
  const id = newId(ctx.now().getTime());
  await insertLeadEvent(db, {
    id,
    lead_id: leadId,
    occurred_at: ctx.now().toISOString(),
    actor_id: actorId,
    action,
    detail: JSON.stringify(detail),
    note_enc: note === undefined ? null : ctx.cipher.encrypt(note, { table: 'lead_events', column: 'note_enc', rowId: id }),
  });
}

export async function audit(
  ctx: AppContext,
  db: Executor,
  who: AuditActor,
  action: string,
  lead: { id: string; branch_id: string },
  detail = {},
) {
  await recordAudit(db, who, { action, target: { type: 'lead', id: lead.id }, branchId: lead.branch_id, detail }, ctx.now());
}

/** The status after the event, or 409 CONFLICT with the lifecycle's reason. */
export function advance(status: LeadStatus, event: LeadEvent): LeadStatus {
  const t = nextLeadStatus(status, event);
  if (!t.ok) throw new AppError('CONFLICT', t.reason);
  return t.status;
}

/** Writes changes if the lead is still as read (and as the client read it, when it sent If-Match). */
export async function save(
  ctx: AppContext,
  db: Executor,
  lead: LeadRecord,
  changes: Parameters<typeof updateLead>[3],
  expectedVersion?: number,
) {
  if (expectedVersion !== undefined && expectedVersion !== lead.version) throw new AppError('PRECONDITION_FAILED');
  const saved = await updateLead(db, lead.id, lead.version, { ...changes, updated_at: ctx.now().toISOString() });
  if (!saved) throw new AppError('CONFLICT', 'the lead was changed by someone else meanwhile; reload it');
}

export async function reload(db: Executor, id: string): Promise<LeadRecord> {
  const lead = await findLeadRecord(db, id);
  if (!lead) throw NOT_FOUND();
  return lead;
}

export function deadline(ctx: AppContext, from: Date): string {
  return addBusinessDays(from, ctx.config.leads.verifyBusinessDays, new Set(ctx.config.leads.holidays)).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Records: leads with the names their views show, asked of the staff and customers features once
// per list (never a join into their tables)
// ---------------------------------------------------------------------------------------------

/** A lead with what its views show beside it: branch code, customer, and the staff it names. */
export interface LeadRecord extends LeadTable {
  branch_code: string;
  customer_number: string | null;
  customer_name: string | null;
  reporter_name: string | null;
  assignee_name: string | null;
  decider_name: string | null;
}

/** The leads with their names. */
export async function leadRecords(db: Executor, rows: readonly LeadTable[]): Promise<LeadRecord[]> {
  const branches = await branchesByIds(
    db,
    rows.map((l) => l.branch_id),
  );
  const customers = await customerRefsByIds(
    db,
    rows.flatMap((l) => (l.customer_id === null ? [] : [l.customer_id])),
  );
  const names = await staffNames(
    db,
    rows.flatMap((l) => [l.reported_by, l.assigned_to, l.decided_by]),
  );
  const name = (id: string | null) => (id === null ? null : (names.get(id) ?? null));
  return rows.map((l) => {
    const customer = l.customer_id === null ? undefined : customers.get(l.customer_id);
    return {
      ...l,
      branch_code: branches.get(l.branch_id)?.code ?? '',
      customer_number: customer?.customerNumber ?? null,
      customer_name: customer?.name ?? null,
      reporter_name: name(l.reported_by),
      assignee_name: name(l.assigned_to),
      decider_name: name(l.decided_by),
    };
  });
}

/** One lead with its names, if it exists. */
export async function findLeadRecord(db: Executor, id: string): Promise<LeadRecord | undefined> {
  const row = await findLead(db, id);
  return row ? (await leadRecords(db, [row]))[0] : undefined;
}

/**
 * What decides whether transaction analysis may report a customer again (docs/alerts.md): their
 * open lead, if any, and their latest lead from analysis with its status and decision time.
 */
export async function analysisLeadFacts(db: Executor, customerId: string) {
  const open = await findLeadOfCustomer(db, customerId, OPEN_STATUSES);
  const last = await latestLeadOfCustomer(db, customerId, 'analysis');
  return { openLeadId: open?.id ?? null, lastAnalysis: last ?? null };
}

/** The lead a partner's referral made, for idempotent referrals. */
export async function findLeadIdByReferral(db: Executor, partnerId: string, referralId: string): Promise<string | undefined> {
  return findReferral(db, partnerId, referralId);
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

const LeadCursor = z.object({ d: z.string().max(40), i: z.string().max(64) });

/** A page of the leads the actor reaches, earliest deadline first (the overdue stand at the top). */
export async function pageLeads(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  q: { status?: LeadStatus; overdue?: 'true' | 'false'; limit: number; cursor?: string },
) {
  const after = decodeCursor(q.cursor, LeadCursor);
  const now = ctx.now();
  const rows = await leadRecords(
    db,
    await listLeads(db, {
      reach: reachOf(actor),
      status: q.status,
      overdueAt: q.overdue === 'true' ? now.toISOString() : undefined,
      after: after ? { dueAt: after.d, id: after.i } : undefined,
      limit: q.limit + 1,
    }),
  );
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return {
    items: items.map((l) => toSummary(l, entitlementOf(actor, l), now)),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ d: last.due_at, i: last.id }) : null,
  };
}

/** One lead as the actor may see it; reading its sensitive parts is audited. */
export async function leadView(ctx: AppContext, db: Executor, actor: Actor, id: string, reason?: string): Promise<LeadView> {
  return buildView(ctx, db, actor, await reachableLead(db, actor, id), { reason });
}

// ---------------------------------------------------------------------------------------------
// For the cases feature (P2.3.3)
// ---------------------------------------------------------------------------------------------

/** What the registration of a case needs to know about its lead. */
export interface LeadForRegistration {
  id: string;
  customerId: string;
  branchId: string;
  channel: LeadChannel;
  partnerId: string | null;
  referralConsent: ReferralConsent | null;
}

/** The lead a case is registered from: 404 unless the actor's branch's, 409 unless confirmed with a customer. */
export async function leadForRegistration(_ctx: AppContext, db: Executor, actor: Actor, leadId: string): Promise<LeadForRegistration> {
  const lead = await branchLead(db, actor, leadId);
  if (lead.status !== 'confirmed' || lead.customer_id === null) {
    throw new AppError('CONFLICT', `only a confirmed lead matched to a customer can be registered; this one is ${lead.status}`);
  }
  return {
    id: lead.id,
    customerId: lead.customer_id,
    branchId: lead.branch_id,
    channel: lead.channel,
    partnerId: lead.partner_id,
    referralConsent: parseJson(lead.referral_consent, ConsentSchema) ?? null,
  };
}

/** Marks a confirmed lead registered once its case exists (same transaction as the case). */
export async function markLeadRegistered(ctx: AppContext, db: Executor, actor: Actor, leadId: string, caseId: string): Promise<void> {
  const lead = await branchLead(db, actor, leadId);
  const status = advance(lead.status, { type: 'register', by: actor.roles.includes('supervisor') ? 'supervisor' : 'reporter' });
  await save(ctx, db, lead, { status, case_id: caseId });
  await remember(ctx, db, leadId, actor.id, 'registered', { caseId });
  await audit(ctx, db, actor, 'lead.registered', lead, { caseId });
}
