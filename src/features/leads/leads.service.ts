import { clearLinkedTexts } from '../../platform/crypto/text-purge.js';
import { z } from 'zod';
import { addBusinessDays } from '../../domain/business-days.js';
import { isOpen, isOverdue, type LeadEvent, type LeadStatus, nextLeadStatus, OPEN_STATUSES } from '../../domain/lead-lifecycle.js';
import { MANUAL_STRENGTH, pickMatch } from '../../domain/lead-matching.js';
import { hasPermission, seesAllBranches } from '../../domain/roles.js';
import { type AuditActor, recordAudit } from '../../platform/audit/audit.service.js';
import { readSensitive } from '../../platform/audit/sensitive-read.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { LeadTable } from '../../platform/db/tables/leads.js';
import { canSeeBranch } from '../../platform/http/access.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import { activeCaseForCustomer } from '../case-access/case-access.service.js';
import { customerRefById, customersMatching, customersNamedOrBornOn } from '../customers/customers.service.js';
import { getStaff } from '../staff/staff.service.js';
import {
  findLead,
  findLeadOfCustomer,
  findLeadIdByReferral as findReferral,
  insertLead,
  insertLeadCheck,
  insertLeadEvent,
  type LeadReach,
  type LeadRecord,
  latestLeadOfCustomer,
  leadReachable,
  listLeadChecks,
  listLeadEvents,
  listLeads,
  repointDuplicates,
  updateLead,
  LEAD_TEXTS,
  leadIdsOfCase,
} from './leads.repository.js';
import {
  type Condition,
  ConditionSchema,
  ConsentSchema,
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
function reachOf(actor: Actor): LeadReach {
  if (seesAllBranches(actor.roles)) return { all: true };
  return { all: false, staffId: actor.id, ...(actor.roles.includes('supervisor') ? { branchId: actor.branchId } : {}) };
}

/**
 * What of a lead's content the actor may read: everything (the branch's supervisors, the
 * colleague asked to check, inspectors who state a reason), what they wrote (the reporter), or nothing.
 */
type Entitlement = 'full' | 'reporter' | 'none';

function entitlementOf(actor: Actor, lead: LeadTable, reason?: string): Entitlement {
  // P5.4.2: without a confidentiality agreement in force, no sensitive part of a lead is served.
  if (actor.agreementValid === false) return 'none';
  if (actor.roles.includes('supervisor') && actor.branchId === lead.branch_id) return 'full';
  if (lead.assigned_to === actor.id) return 'full';
  if (actor.roles.includes('inspector') && reason !== undefined) return 'full';
  if (lead.reported_by === actor.id) return 'reporter';
  return 'none';
}

const NOT_FOUND = () => new AppError('NOT_FOUND', 'no such lead');

/** The lead if the actor reaches it; otherwise 404, so that another branch's lead cannot be told from none. */
async function reachableLead(db: Executor, actor: Actor, id: string): Promise<LeadRecord> {
  const lead = await findLead(db, id);
  if (!lead || !(await leadReachable(db, id, reachOf(actor)))) throw NOT_FOUND();
  return lead;
}

/** The lead for a supervisor's step: it must belong to their branch. */
async function branchLead(db: Executor, actor: Actor, id: string): Promise<LeadRecord> {
  const lead = await reachableLead(db, actor, id);
  if (lead.branch_id !== actor.branchId) throw new AppError('FORBIDDEN', 'only the supervisors of the lead’s branch decide on it');
  return lead;
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

const staffRef = (id: string | null, name: string | null) => (id !== null && name !== null ? { id, displayName: name } : null);

function toSummary(lead: LeadRecord, entitlement: Entitlement, now: Date): LeadSummary {
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

function parseJson<T>(text: string | null, schema: z.ZodType<T>): T | undefined {
  if (text === null) return undefined;
  // Written by this service from validated input; a parse failure would be a bug worth a 500.
  return schema.parse(JSON.parse(text));
}

/** Plaintext the caller already holds (it has just written it), so that no decryption is needed. */
interface KnownPlaintext {
  subject?: Subject;
  summary: string;
}

async function buildView(
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

  let subject: LeadView['subject'];
  let summary: string | undefined;
  let condition: Condition | undefined;
  let assignmentNote: string | undefined;
  let decisionReason: string | undefined;
  const findings = new Map<string, string>();
  const notes = new Map<string, string>();

  if (actor && entitlement !== 'none') {
    const purpose = 'lead.view';
    const reason = full && actor.roles.includes('inspector') ? opts.reason : undefined;
    const read = <K extends string>(table: string, rowId: string, fields: Record<K, string | null>) =>
      readSensitive(db, ctx.cipher, actor, { table, rowId, branchId: lead.branch_id, fields, purpose, ...(reason ? { reason } : {}) });
    if (opts.known) {
      subject = opts.known.subject;
      summary = opts.known.summary;
    } else {
      // The reporter reads back what they wrote; the rest only the fully entitled.
      const plain = await read('leads', lead.id, {
        subject_enc: lead.subject_enc,
        summary_enc: lead.summary_enc,
        condition_enc: full ? lead.condition_enc : null,
        assignment_note_enc: full ? lead.assignment_note_enc : null,
        decision_reason_enc: full ? lead.decision_reason_enc : null,
      });
      const identifiers = parseJson(plain.subject_enc ?? null, SubjectIdentifiers);
      subject = lead.subject_name !== null ? { name: lead.subject_name, ...identifiers } : undefined;
      summary = plain.summary_enc ?? undefined;
      condition = parseJson(plain.condition_enc ?? null, ConditionSchema);
      assignmentNote = plain.assignment_note_enc ?? undefined;
      decisionReason = plain.decision_reason_enc ?? undefined;
    }
    if (full) {
      for (const c of checks) {
        if (c.finding_enc === null) continue;
        const plain = await read('lead_checks', c.id, { finding_enc: c.finding_enc });
        if (plain.finding_enc) findings.set(c.id, plain.finding_enc);
      }
      for (const e of events) {
        if (e.note_enc === null) continue;
        const plain = await read('lead_events', e.id, { note_enc: e.note_enc });
        if (plain.note_enc) notes.set(e.id, plain.note_enc);
      }
    }
  }

  const supervisorOfBranch = actor?.roles.includes('supervisor') === true && actor.branchId === lead.branch_id;
  const candidates = actor && supervisorOfBranch && lead.customer_id === null ? await candidatesFor(db, actor, lead, subject) : [];
  const consent = full ? parseJson(lead.referral_consent, ConsentSchema) : undefined;

  return {
    ...toSummary(lead, entitlement, now),
    ...(subject ? { subject } : {}),
    ...(summary !== undefined ? { summary } : {}),
    sourceRef: lead.source_ref,
    referralId: lead.referral_id,
    ...(condition ? { condition } : {}),
    ...(consent ? { consent } : {}),
    ...(assignmentNote !== undefined ? { assignmentNote } : {}),
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
        by: { id: c.checked_by, displayName: c.checker_name },
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
        actor: staffRef(e.actor_id, e.actor_name),
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

async function remember(
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

async function audit(ctx: AppContext, db: Executor, who: AuditActor, action: string, lead: { id: string; branch_id: string }, detail = {}) {
  await recordAudit(db, who, { action, target: { type: 'lead', id: lead.id }, branchId: lead.branch_id, detail }, ctx.now());
}

/** The status after the event, or 409 CONFLICT with the lifecycle's reason. */
function advance(status: LeadStatus, event: LeadEvent): LeadStatus {
  const t = nextLeadStatus(status, event);
  if (!t.ok) throw new AppError('CONFLICT', t.reason);
  return t.status;
}

/** Writes changes if the lead is still as read (and as the client read it, when it sent If-Match). */
async function save(ctx: AppContext, db: Executor, lead: LeadRecord, changes: Parameters<typeof updateLead>[3], expectedVersion?: number) {
  if (expectedVersion !== undefined && expectedVersion !== lead.version) throw new AppError('PRECONDITION_FAILED');
  const saved = await updateLead(db, lead.id, lead.version, { ...changes, updated_at: ctx.now().toISOString() });
  if (!saved) throw new AppError('CONFLICT', 'the lead was changed by someone else meanwhile; reload it');
}

async function reload(db: Executor, id: string): Promise<LeadRecord> {
  const lead = await findLead(db, id);
  if (!lead) throw NOT_FOUND();
  return lead;
}

function deadline(ctx: AppContext, from: Date): string {
  return addBusinessDays(from, ctx.config.leads.verifyBusinessDays, new Set(ctx.config.leads.holidays)).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Creating a lead (P2.2, P2.3.1)
// ---------------------------------------------------------------------------------------------

/** What a lead says, from a staff member's form or a partner hospital's referral. */
export interface CreateLeadInput {
  channel: LeadChannel;
  customerNumber?: string;
  subject?: Subject;
  summary: string;
  sourceRef?: string;
  referral?: { partnerId: string; referralId: string; condition: Condition; consent: ReferralConsent };
}

/** Who records a lead: a signed-in staff member, a partner hospital over its API, or Lifeline's transaction analysis. */
export type LeadSource =
  | { actor: Actor }
  | { partner: { id: string; code: string; name: string; defaultBranchId: string; ip?: string } }
  | { system: 'analysis' };

const MATCH_PROBE = 2;

async function matchCustomer(ctx: AppContext, db: Executor, input: CreateLeadInput) {
  const ids = async (by: Parameters<typeof customersMatching>[2]) => (await customersMatching(ctx, db, by, MATCH_PROBE)).map((c) => c.id);
  const s = input.subject;
  return pickMatch({
    ...(input.customerNumber !== undefined ? { customer_number: await ids({ customerNumber: input.customerNumber }) } : {}),
    ...(s?.nationalId !== undefined ? { national_id: await ids({ nationalId: s.nationalId }) } : {}),
    ...(s?.phone !== undefined ? { phone: await ids({ phone: s.phone }) } : {}),
    ...(s?.dateOfBirth !== undefined ? { name_dob: await ids({ name: s.name, dateOfBirth: s.dateOfBirth }) } : {}),
  });
}

/**
 * Records a lead: matches it to a customer, puts it in the right branch with its verification
 * deadline, links it to the customer's open lead or active case if there is one (a duplicate
 * report is no new inbox item), and keeps the history and the audit trail.
 */
export async function createLead(ctx: AppContext, db: Executor, input: CreateLeadInput, source: LeadSource): Promise<LeadView> {
  const now = ctx.now();
  const at = now.toISOString();
  const actor = 'actor' in source ? source.actor : null;
  const partner = 'partner' in source ? source.partner : null;
  const auditActor: AuditActor =
    actor ??
    ('system' in source
      ? { id: null, username: `system:${source.system}`, ip: null }
      : { id: null, username: `partner:${partner?.code ?? 'unknown'}`, ip: partner?.ip ?? null });

  const match = await matchCustomer(ctx, db, input);
  const customer = match ? await customerRefById(db, match.customerId) : undefined;
  const branchId = customer?.branchId ?? actor?.branchId ?? partner?.defaultBranchId;
  if (branchId === undefined) throw new AppError('INTERNAL', 'a lead needs a branch');

  const id = newId(now.getTime());
  const openLead = customer ? await findLeadOfCustomer(db, customer.id, ['new', 'in_verification', 'confirmed']) : undefined;
  const activeCase = customer && !openLead ? await activeCaseForCustomer(db, customer.id) : undefined;
  const linked = openLead !== undefined || activeCase !== undefined;
  const status = linked ? advance('new', { type: 'link', by: 'system' }) : 'new';

  const seal = (column: string, value: string | undefined) =>
    value === undefined ? null : ctx.cipher.encrypt(value, { table: 'leads', column, rowId: id });
  const s = input.subject;
  const identifiers =
    s && (s.nationalId !== undefined || s.dateOfBirth !== undefined || s.phone !== undefined)
      ? JSON.stringify({ nationalId: s.nationalId, dateOfBirth: s.dateOfBirth, phone: s.phone })
      : undefined;

  await insertLead(db, {
    id,
    channel: input.channel,
    status,
    branch_id: branchId,
    customer_id: customer?.id ?? null,
    match_method: customer && match ? match.method : null,
    match_strength: customer && match ? match.strength : null,
    reported_customer_number: input.customerNumber ?? null,
    subject_name: s?.name ?? null,
    subject_enc: seal('subject_enc', identifiers),
    summary_enc: ctx.cipher.encrypt(input.summary, { table: 'leads', column: 'summary_enc', rowId: id }),
    source_ref: input.sourceRef ?? null,
    partner_id: partner?.id ?? null,
    partner_name: partner?.name ?? null,
    referral_id: input.referral?.referralId ?? null,
    condition_enc: seal('condition_enc', input.referral ? JSON.stringify(input.referral.condition) : undefined),
    referral_consent: input.referral ? JSON.stringify(input.referral.consent) : null,
    reported_by: actor?.id ?? null,
    assigned_to: null,
    assignment_note_enc: null,
    due_at: deadline(ctx, now),
    decision: null,
    decision_reason_enc: null,
    decided_by: null,
    decided_at: null,
    duplicate_of: openLead?.id ?? null,
    linked_case_id: activeCase?.id ?? null,
    case_id: null,
    created_at: at,
    updated_at: at,
    version: 1,
  });

  const lead = { id, branch_id: branchId };
  await remember(ctx, db, id, actor?.id ?? null, 'created', { channel: input.channel, ...(partner ? { partner: partner.name } : {}) });
  await audit(ctx, db, auditActor, 'lead.created', lead, { channel: input.channel, status, ...(partner ? { partnerId: partner.id } : {}) });
  if (customer && match) {
    const detail = { customerId: customer.id, method: match.method, strength: match.strength };
    await remember(ctx, db, id, null, 'matched', detail);
    await audit(ctx, db, auditActor, 'lead.matched', lead, detail);
  }
  if (openLead) {
    await remember(ctx, db, id, null, 'linked', { duplicateOf: openLead.id });
    await remember(ctx, db, openLead.id, actor?.id ?? null, 'duplicate_reported', { leadId: id, channel: input.channel });
    await audit(ctx, db, auditActor, 'lead.duplicate', lead, { duplicateOf: openLead.id, automatic: true });
  } else if (activeCase) {
    await remember(ctx, db, id, null, 'linked', { linkedCaseId: activeCase.id, caseNumber: activeCase.caseNumber });
    await audit(ctx, db, auditActor, 'lead.duplicate', lead, { linkedCaseId: activeCase.id, automatic: true });
  }
  return buildView(ctx, db, actor, await reload(db, id), { known: { subject: input.subject, summary: input.summary } });
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
  const rows = await listLeads(db, {
    reach: reachOf(actor),
    status: q.status,
    overdueAt: q.overdue === 'true' ? now.toISOString() : undefined,
    after: after ? { dueAt: after.d, id: after.i } : undefined,
    limit: q.limit + 1,
  });
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
// Verification (P2.3.2)
// ---------------------------------------------------------------------------------------------

/** Options of every step: the version the client read, when it sent If-Match. */
export interface StepOptions {
  expectedVersion?: number;
}

/** A supervisor's decision: confirm (needs a matched customer), reject, or duplicate (of another lead). */
export async function decideLead(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  body: { decision: 'confirm' | 'reject' | 'duplicate'; reason: string; duplicateOf?: string },
  opts: StepOptions = {},
): Promise<LeadView> {
  const lead = await branchLead(db, actor, id);
  const event: LeadEvent =
    body.decision === 'confirm'
      ? { type: 'confirm', by: 'supervisor', customerMatched: lead.customer_id !== null }
      : { type: body.decision === 'reject' ? 'reject' : 'mark_duplicate', by: 'supervisor' };
  const status = advance(lead.status, event);
  if (body.duplicateOf !== undefined) {
    if (body.duplicateOf === id) throw invalid('body.duplicateOf', 'a lead cannot duplicate itself');
    const target = await findLead(db, body.duplicateOf);
    if (!target || !(await leadReachable(db, target.id, reachOf(actor)))) throw invalid('body.duplicateOf', 'no such lead');
  }
  const at = ctx.now().toISOString();
  await save(
    ctx,
    db,
    lead,
    {
      status,
      decision: body.decision,
      decision_reason_enc: ctx.cipher.encrypt(body.reason, { table: 'leads', column: 'decision_reason_enc', rowId: id }),
      decided_by: actor.id,
      decided_at: at,
      ...(body.decision === 'duplicate' ? { duplicate_of: body.duplicateOf ?? null } : {}),
    },
    opts.expectedVersion,
  );
  const action = { confirm: 'confirmed', reject: 'rejected', duplicate: 'duplicate' }[body.decision];
  const detail = { previousStatus: lead.status, ...(body.duplicateOf !== undefined ? { duplicateOf: body.duplicateOf } : {}) };
  await remember(ctx, db, id, actor.id, action, detail, body.reason);
  await audit(ctx, db, actor, `lead.${action}`, lead, detail);
  return buildView(ctx, db, actor, await reload(db, id));
}

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { errors: [{ path, message }] });
}

/** Hands the check of a lead to a named colleague of the lead's branch (P2.3.2 "organises a verification"). */
export async function assignLead(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  body: { staffId: string; note?: string },
  opts: StepOptions = {},
): Promise<LeadView> {
  const lead = await branchLead(db, actor, id);
  const status = advance(lead.status, { type: 'assign', by: 'supervisor' });
  const colleague = await getStaff(db, body.staffId).catch((e: unknown) => {
    if (e instanceof AppError && e.code === 'NOT_FOUND') return undefined;
    throw e;
  });
  if (colleague?.status !== 'active' || colleague.branch_id !== lead.branch_id) {
    throw invalid('body.staffId', 'no active colleague of the lead’s branch with this id');
  }
  if (!hasPermission(colleague.roles, 'lead.check')) throw invalid('body.staffId', 'this colleague’s roles do not include checking leads');
  await save(
    ctx,
    db,
    lead,
    {
      status,
      assigned_to: colleague.id,
      assignment_note_enc:
        body.note === undefined ? null : ctx.cipher.encrypt(body.note, { table: 'leads', column: 'assignment_note_enc', rowId: id }),
    },
    opts.expectedVersion,
  );
  const detail = { staffId: colleague.id, ...(lead.assigned_to !== null ? { previousStaffId: lead.assigned_to } : {}) };
  await remember(ctx, db, id, actor.id, 'assigned', detail);
  await audit(ctx, db, actor, 'lead.assigned', lead, detail);
  return buildView(ctx, db, actor, await reload(db, id));
}

/** The colleague asked to check a lead records their finding and recommendation. */
export async function checkLead(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  body: { finding: string; recommendation: 'confirm' | 'reject' | 'unsure' },
  opts: StepOptions = {},
): Promise<LeadView> {
  const lead = await reachableLead(db, actor, id);
  if (lead.assigned_to !== actor.id) throw new AppError('FORBIDDEN', 'only the colleague asked to check this lead records a finding');
  advance(lead.status, { type: 'check', by: 'assignee' });
  await save(ctx, db, lead, {}, opts.expectedVersion);
  const checkId = newId(ctx.now().getTime());
  await insertLeadCheck(db, {
    id: checkId,
    lead_id: id,
    checked_by: actor.id,
    checked_at: ctx.now().toISOString(),
    finding_enc: ctx.cipher.encrypt(body.finding, { table: 'lead_checks', column: 'finding_enc', rowId: checkId }),
    recommendation: body.recommendation,
  });
  const detail = { checkId, recommendation: body.recommendation };
  await remember(ctx, db, id, actor.id, 'checked', detail);
  await audit(ctx, db, actor, 'lead.checked', lead, detail);
  return buildView(ctx, db, actor, await reload(db, id));
}

/** A supervisor matches a lead to a customer of their branch by hand (or corrects an automatic match). */
export async function matchLead(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  body: { customerId: string },
  opts: StepOptions = {},
): Promise<LeadView> {
  const lead = await branchLead(db, actor, id);
  advance(lead.status, { type: 'match', by: 'supervisor' });
  const customer = await customerRefById(db, body.customerId);
  if (!customer || !canSeeBranch(actor, customer.branchId)) throw invalid('body.customerId', 'no such customer in your branch');
  await save(
    ctx,
    db,
    lead,
    { customer_id: customer.id, match_method: 'manual', match_strength: MANUAL_STRENGTH, branch_id: customer.branchId },
    opts.expectedVersion,
  );
  const detail = {
    customerId: customer.id,
    method: 'manual',
    strength: MANUAL_STRENGTH,
    ...(lead.customer_id !== null ? { previousCustomerId: lead.customer_id } : {}),
  };
  await remember(ctx, db, id, actor.id, 'matched', detail);
  await audit(ctx, db, actor, 'lead.matched', lead, detail);
  return buildView(ctx, db, actor, await reload(db, id));
}

/**
 * Merges a lead into another open lead of the branch about the same customer: it becomes a
 * duplicate of the other, and so do the leads that were duplicates of it.
 */
export async function mergeLead(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  body: { into: string },
  opts: StepOptions = {},
): Promise<LeadView> {
  if (body.into === id) throw invalid('body.into', 'a lead cannot be merged into itself');
  const lead = await branchLead(db, actor, id);
  const target = await findLead(db, body.into);
  if (!target || !(await leadReachable(db, target.id, reachOf(actor)))) throw invalid('body.into', 'no such lead');
  if (target.branch_id !== lead.branch_id) throw new AppError('CONFLICT', 'leads of different branches cannot be merged');
  if (!isOpen(target.status)) throw new AppError('CONFLICT', `the lead to merge into is ${target.status}`);
  if (lead.customer_id !== null && target.customer_id !== null && lead.customer_id !== target.customer_id) {
    throw new AppError('CONFLICT', 'the two leads are about different customers');
  }
  const status = advance(lead.status, { type: 'merge', by: 'supervisor' });
  const at = ctx.now().toISOString();
  await save(
    ctx,
    db,
    lead,
    { status, duplicate_of: target.id, decision: 'duplicate', decided_by: actor.id, decided_at: at, decision_reason_enc: null },
    opts.expectedVersion,
  );
  const repointed = await repointDuplicates(db, id, target.id, at);
  await remember(ctx, db, id, actor.id, 'merged', { into: target.id });
  await remember(ctx, db, target.id, actor.id, 'merged_from', { leadId: id, ...(repointed.length ? { alsoRepointed: repointed } : {}) });
  await audit(ctx, db, actor, 'lead.merged', lead, { into: target.id, repointed: repointed.length });
  return buildView(ctx, db, actor, await reload(db, id));
}

/** An explicit, audited reopen of a rejected or duplicate lead by a supervisor, with a new deadline. */
export async function reopenLead(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  body: { reason: string },
  opts: StepOptions = {},
): Promise<LeadView> {
  const lead = await branchLead(db, actor, id);
  const status = advance(lead.status, { type: 'reopen', by: 'supervisor' });
  await save(
    ctx,
    db,
    lead,
    {
      status,
      decision: null,
      decision_reason_enc: null,
      decided_by: null,
      decided_at: null,
      duplicate_of: null,
      linked_case_id: null,
      assigned_to: null,
      assignment_note_enc: null,
      due_at: deadline(ctx, ctx.now()),
    },
    opts.expectedVersion,
  );
  const detail = { previousStatus: lead.status };
  await remember(ctx, db, id, actor.id, 'reopened', detail, body.reason);
  await audit(ctx, db, actor, 'lead.reopened', lead, detail);
  return buildView(ctx, db, actor, await reload(db, id));
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

/** Clears the texts of the leads that became a case or were linked to it (retention, P5.3); answers how many values it cleared. */
export async function clearCaseLeadTexts(ctx: AppContext, db: Executor, caseId: string): Promise<number> {
  return clearLinkedTexts(ctx.cipher, db, LEAD_TEXTS, await leadIdsOfCase(db, caseId));
}
