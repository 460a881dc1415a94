import { z } from 'zod';
import { addBusinessHours, type BusinessHours, businessHoursBetween } from '../../domain/business-hours.js';
import { type HoldingMove, validateServiceDetails } from '../../domain/service-catalogue.js';
import { FINAL_SERVICE_STATUSES, isServiceOverdue } from '../../domain/service-lifecycle.js';
import { checkMoves, type PlanMove } from '../../domain/wealth-plan.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { type ScopedRead, withSensitiveReads } from '../../platform/audit/sensitive-read.js';
import { newId } from '../../platform/crypto/ids.js';
import { clearLinkedTexts } from '../../platform/crypto/text-purge.js';
import type { Executor } from '../../platform/db/database.js';
import type { ServiceRequestTable } from '../../platform/db/tables/services.js';
import { branchScope } from '../../platform/http/access.js';
import { type Actor, type AppContext, bankDay } from '../../platform/http/context.js';
import { AppError, deniedAsNotFound, type FieldError } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import {
  activeTeam,
  type CaseFacts,
  caseFactsByIds,
  caseForAccess,
  casesOfMember,
  caseForTeamWork,
} from '../case-access/case-access.service.js';
import { customerAccounts, customerHoldings } from '../customers/customers.service.js';
import { notify, notifyAll } from '../notifications/notifications.service.js';
import { branchSupervisorIds, staffNames } from '../staff/staff.service.js';
import { type ServiceType, serviceType, serviceTypes } from './catalogue.service.js';
import { hotlineAssignee } from './hotline.service.js';
import {
  documentsOf,
  findRequest,
  insertRequest,
  pageRequests,
  requestsOfCase,
  SERVICE_CASE_TEXTS,
  SERVICE_REQUEST_TEXTS,
} from './services.repository.js';
import type { CreateRequestBody, RequestListQuery, RequestView } from './services.schemas.js';
import { hooksOf } from './type-hooks.service.js';

// Service requests (P4, P6): from the request to its completion, each step dated, audited and timed
// against the type's priority time in business hours (docs/services.md).

/** The bank's opening hours and holidays, which the service times run in. */
export function businessHoursOf(ctx: AppContext): BusinessHours {
  return { ...ctx.config.businessHours, holidays: new Set(ctx.config.leads.holidays) };
}

/** The 400 of details that do not fit their type. */
export function invalid(errors: FieldError[]): AppError {
  return new AppError('VALIDATION_FAILED', 'the request is not valid for its type', { errors });
}

export function seal(ctx: AppContext, column: string, rowId: string, value: string | undefined): string | null {
  return value === undefined ? null : ctx.cipher.encrypt(value, { table: 'service_requests', column, rowId });
}

/** Details as stored: JSON of the type's fields (checked on the way in, so no medical information). */
export function detailsOf(r: ServiceRequestTable): Record<string, unknown> {
  const parsed: unknown = JSON.parse(r.details);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.fromEntries(Object.entries(parsed)) : {};
}

/** The accounts and holdings a request names must be the customer's own. */
export async function checkOwnership(db: Executor, customerId: string, details: Record<string, unknown>): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (typeof details.accountId === 'string') {
    const accounts = await customerAccounts(db, customerId);
    if (!accounts.some((a) => a.id === details.accountId))
      errors.push({ path: 'body.details.accountId', message: 'not an account of the customer', reason: 'not_owned' });
  }
  if (Array.isArray(details.moves)) {
    const holdings = new Map((await customerHoldings(db, customerId)).map((h) => [h.id, h]));
    // validateServiceDetails has checked each move's shape before this runs.
    (details.moves as HoldingMove[]).forEach((m, i) => {
      const h = holdings.get(m.holdingId);
      if (!h) errors.push({ path: `body.details.moves.${i}.holdingId`, message: 'not a holding of the customer', reason: 'not_owned' });
      else if (m.amountMinor > h.marketValueMinor)
        errors.push({ path: `body.details.moves.${i}.amountMinor`, message: 'more than the holding is worth', reason: 'exceeds' });
    });
    // P4.3.1: together no more than each holding, and each towards a conservative level below it (docs/wealth-replanning.md).
    // The cast: validateServiceDetails checked each move's shape; an R3 target, which PlanMove has not, is what checkMoves refuses.
    if (errors.length === 0)
      for (const p of checkMoves(
        [...holdings.values()].map((h) => ({ id: h.id, riskLevel: h.riskLevel, amountMinor: h.marketValueMinor })),
        details.moves as PlanMove[],
      ))
        errors.push({ path: `body.details.moves.${p.path}`, message: p.reason, reason: p.reason });
  }
  return errors;
}

/**
 * Who delivers a request: the case's team member of the type's owning role (the primary one
 * first). The wealth hotline's call-back (P4.3.2) goes to the case's wealth manager unless away,
 * else to the least-loaded present wealth manager of the branch (hotline.service.ts).
 */
async function assigneeFor(ctx: AppContext, db: Executor, facts: CaseFacts, t: ServiceType): Promise<string | null> {
  if (t.code === 'wealth_hotline') return hotlineAssignee(ctx, db, facts);
  const team = await activeTeam(db, facts.id);
  const own = team.filter((m) => m.role === t.ownerRole).sort((a, b) => Number(b.primary) - Number(a.primary))[0];
  return own?.staffId ?? null;
}

/** The case for work on its services: its team and its branch's supervisors, while it is active. */
export async function caseForServices(ctx: AppContext, db: Executor, actor: Actor, caseId: string): Promise<CaseFacts> {
  const facts = await caseForTeamWork(ctx, db, actor, caseId, 'only the case’s team and its branch’s supervisors work on its services');
  if (facts.status !== 'active') throw new AppError('CONFLICT', `the case is ${facts.status}`);
  return facts;
}

/**
 * Requests a service for a case's customer (P4): the details are checked against the type, the
 * priority time starts (P6.2.2) with the standard time kept beside it, the deliverer is named and
 * told, and the branch's supervisors are told when the type needs their approval.
 */
export async function createRequest(ctx: AppContext, db: Executor, actor: Actor, caseId: string, body: z.output<typeof CreateRequestBody>) {
  const facts = await caseForServices(ctx, db, actor, caseId);
  const t = await serviceType(db, body.type);
  if (!t.active) throw new AppError('CONFLICT', 'this service is switched off in the catalogue');
  const problems = validateServiceDetails(t.code, body.details);
  if (problems.length > 0)
    throw invalid(
      problems.map((p) => ({ path: `body.details.${p.path}`, message: p.reason, reason: p.reason === 'too_long' ? 'too_big' : p.reason })),
    );
  const owned = await checkOwnership(db, facts.customerId, body.details);
  for (const validate of hooksOf(t.code, 'validate')) owned.push(...(await validate(ctx, db, facts, body.details, actor)));
  if (owned.length > 0) throw invalid(owned);
  const now = ctx.now();
  const bh = businessHoursOf(ctx);
  const id = newId(now.getTime());
  const row: ServiceRequestTable = {
    id,
    case_id: facts.id,
    customer_id: facts.customerId,
    branch_id: facts.branchId,
    type_code: t.code,
    status: 'requested',
    details: JSON.stringify(body.details),
    note_enc: seal(ctx, 'note_enc', id, body.note),
    assignee_id: await assigneeFor(ctx, db, facts, t),
    requested_by: actor.id,
    requested_at: now.toISOString(),
    due_at: addBusinessHours(now, t.priorityHours, bh).toISOString(),
    standard_due_at: addBusinessHours(now, t.standardHours, bh).toISOString(),
    reviewed_by: null,
    reviewed_at: null,
    decided_by: null,
    decided_at: null,
    decision_reason_enc: null,
    started_by: null,
    started_at: null,
    completed_by: null,
    completed_at: null,
    outcome_enc: null,
    cancelled_by: null,
    cancelled_at: null,
    cancel_reason_enc: null,
    version: 1,
  };
  await insertRequest(db, row);
  await recordAudit(
    db,
    actor,
    {
      action: 'service.requested',
      target: { type: 'service_request', id },
      branchId: facts.branchId,
      detail: { caseId: facts.id, type: t.code },
    },
    now,
  );
  const about = { sourceId: id, case: { id: facts.id, caseNumber: facts.caseNumber } };
  if (row.assignee_id) await notify(ctx, db, actor, { ...about, recipientId: row.assignee_id, kind: 'service_requested' });
  if (t.needsApproval)
    await notifyAll(ctx, db, actor, await branchSupervisorIds(db, facts.branchId), { ...about, kind: 'service_approval' });
  return requestView(ctx, db, actor, id);
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

type Summary = z.input<typeof RequestView>;

async function summaries(ctx: AppContext, db: Executor, rows: readonly ServiceRequestTable[]) {
  const cases = new Map(
    (
      await caseFactsByIds(
        db,
        rows.map((r) => r.case_id),
      )
    ).map((c) => [c.id, c]),
  );
  const names = await staffNames(
    db,
    rows.flatMap((r) => [r.requested_by, r.assignee_id]),
  );
  const ref = (id: string | null) => (id === null ? null : { id, displayName: names.get(id) ?? '' });
  const types = new Map<string, ServiceType>();
  for (const code of new Set(rows.map((r) => r.type_code))) types.set(code, await serviceType(db, code));
  const now = ctx.now();
  const bh = businessHoursOf(ctx);
  // The web shows the time left in business hours (P6.2.2); only the server knows the bank's calendar.
  const hoursLeft = (r: ServiceRequestTable): number | null => {
    if (FINAL_SERVICE_STATUSES.includes(r.status)) return null;
    const due = new Date(r.due_at);
    const left = now < due ? businessHoursBetween(now, due, bh) : -businessHoursBetween(due, now, bh);
    return Math.round(left * 10) / 10;
  };
  return rows.map((r) => {
    const c = cases.get(r.case_id);
    const t = types.get(r.type_code);
    return {
      id: r.id,
      type: t?.code ?? 'fee_relief',
      status: r.status,
      case: { id: r.case_id, caseNumber: c?.caseNumber ?? '', customerName: c?.customerName ?? '' },
      branchId: r.branch_id,
      requestedBy: ref(r.requested_by),
      requestedAt: r.requested_at,
      assignee: ref(r.assignee_id),
      dueAt: r.due_at,
      standardDueAt: r.standard_due_at,
      overdue: isServiceOverdue({ status: r.status, dueAt: r.due_at }, now),
      businessHoursLeft: hoursLeft(r),
      businessDayHours: bh.closeHour - bh.openHour,
      completedAt: r.completed_at,
      needsApproval: t?.needsApproval ?? true,
      version: r.version,
    };
  });
}

async function requestOf(ctx: AppContext, db: Executor, actor: Actor, id: string) {
  const r = await findRequest(db, id);
  if (!r) throw new AppError('NOT_FOUND', 'no such service request');
  try {
    const access = await caseForAccess(ctx, db, actor, r.case_id);
    return { r, ...access };
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw deniedAsNotFound('service_request', id);
    throw err;
  }
}

/** One request as this reader may see it: its notes, reasons and outcome only for readers of the case's confidential sections. */
export async function requestView(ctx: AppContext, db: Executor, actor: Actor, id: string, outer?: ScopedRead): Promise<Summary> {
  const { r, decision } = await requestOf(ctx, db, actor, id);
  const full = decision.access === 'full';
  const [summary] = await summaries(ctx, db, [r]);
  if (!summary) throw new AppError('NOT_FOUND', 'no such service request');
  const t = await serviceType(db, r.type_code);
  const docs = await documentsOf(db, r.id);
  const names = await staffNames(db, [
    r.requested_by,
    r.reviewed_by,
    r.decided_by,
    r.started_by,
    r.completed_by,
    r.cancelled_by,
    ...docs.map((d) => d.ticked_by),
  ]);
  const ref = (who: string | null) => (who === null ? null : { id: who, displayName: names.get(who) ?? '' });
  const build = (read: ScopedRead) => {
    const plain = full
      ? read('service_requests', r.id, {
          note_enc: r.note_enc,
          decision_reason_enc: r.decision_reason_enc,
          outcome_enc: r.outcome_enc,
          cancel_reason_enc: r.cancel_reason_enc,
        })
      : null;
    const step = (name: string, at: string | null, by: string | null, text?: string | null) =>
      at === null ? [] : [{ step: name, at, by: ref(by), ...(full ? { text: text ?? null } : {}) }];
    return {
      ...summary,
      details: detailsOf(r),
      ...(full ? { note: plain?.note_enc ?? null } : {}),
      steps: [
        ...step('requested', r.requested_at, r.requested_by),
        ...step('in_review', r.reviewed_at, r.reviewed_by),
        ...step(r.status === 'rejected' ? 'rejected' : 'approved', r.decided_at, r.decided_by, plain?.decision_reason_enc),
        ...step('in_progress', r.started_at, r.started_by),
        ...step('completed', r.completed_at, r.completed_by, plain?.outcome_enc),
        ...step('cancelled', r.cancelled_at, r.cancelled_by, plain?.cancel_reason_enc),
      ],
      // P6.1.1: a registered customer brings the reduced list.
      checklist: t.documentsReduced.map((d) => {
        const ticked = docs.find((x) => x.item_code === d.code);
        return {
          ...d,
          ticked: ticked
            ? { by: ref(ticked.ticked_by), at: ticked.ticked_at, evidenceRef: ticked.evidence_ref, file: ticked.content_enc !== null }
            : null,
        };
      }),
      documentsStandard: t.documentsStandard,
      sensitiveVisible: full,
    };
  };
  if (outer) return build(outer);
  return withSensitiveReads(
    db,
    ctx.cipher,
    actor,
    { target: { type: 'service_request', id: r.id }, branchId: r.branch_id, purpose: 'service_request' },
    build,
  );
}

const RequestCursor = z.object({ d: z.string().max(40), i: z.string().max(64) });

/**
 * The requests a reader works with: supervisors and inspectors those of their branch (inspectors:
 * all), everyone else those of the cases whose team they are on. `mine` narrows to those assigned
 * to the reader, `approval` to those waiting for a supervisor's decision.
 */
export async function listRequests(ctx: AppContext, db: Executor, actor: Actor, q: z.output<typeof RequestListQuery>) {
  const after = decodeCursor(q.cursor, RequestCursor);
  const seesBranch = actor.roles.includes('supervisor') || actor.roles.includes('inspector');
  const caseIds = seesBranch ? undefined : await casesOfMember(db, actor.id);
  if (caseIds !== undefined && caseIds.length === 0 && q.view !== 'mine') return { items: [], nextCursor: null };
  const rows = await pageRequests(db, {
    branchId: seesBranch ? branchScope(actor) : undefined,
    ...(caseIds !== undefined && q.view !== 'mine' ? { caseIds } : {}),
    status: q.status,
    ...(q.view === 'approval'
      ? { statuses: ['requested', 'in_review'] as const, types: (await serviceTypes(db)).filter((t) => t.needsApproval).map((t) => t.code) }
      : {}),
    type: q.type,
    ...(q.view === 'mine' ? { assigneeId: actor.id } : {}),
    ...(q.overdue === 'true' ? { overdueAt: ctx.now().toISOString() } : {}),
    after: after ? { dueAt: after.d, id: after.i } : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const items = await summaries(ctx, db, page);
  const last = page.at(-1);
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor({ d: last.due_at, i: last.id }) : null };
}

// ---------------------------------------------------------------------------------------------
// For the case file: its page, its timeline, its retention
// ---------------------------------------------------------------------------------------------

/** The requests of a case for its page (no notes). */
export async function caseRequests(ctx: AppContext, db: Executor, actor: Actor, caseId: string) {
  await caseForAccess(ctx, db, actor, caseId);
  return { items: await summaries(ctx, db, await requestsOfCase(db, caseId)), nextCursor: null };
}

/** A case's services as timeline entries (requested, decided, started, completed, cancelled); never a note. */
export async function serviceTimelineEntries(db: Executor, caseId: string) {
  const rows = await requestsOfCase(db, caseId);
  const names = await staffNames(
    db,
    rows.flatMap((r) => [r.requested_by, r.decided_by, r.started_by, r.completed_by, r.cancelled_by]),
  );
  const actor = (id: string | null) => (id === null ? null : { id, displayName: names.get(id) ?? null });
  return rows.flatMap((r) =>
    (
      [
        ['requested', r.requested_at, r.requested_by],
        [r.status === 'rejected' ? 'rejected' : 'approved', r.decided_at, r.decided_by],
        ['in_progress', r.started_at, r.started_by],
        ['completed', r.completed_at, r.completed_by],
        ['cancelled', r.cancelled_at, r.cancelled_by],
      ] as const
    ).flatMap(([step, at, by]) =>
      at === null
        ? []
        : [{ at, kind: `service.${step}`, actor: actor(by), summary: r.type_code, ref: { type: 'service_request' as const, id: r.id } }],
    ),
  );
}

/** Clears the notes, reasons, outcomes, scans and signatures of a case's requests (retention, P5.3); answers how many values it cleared. */
export async function clearServiceTexts(ctx: AppContext, db: Executor, caseId: string): Promise<number> {
  const requestIds = (await requestsOfCase(db, caseId)).map((r) => r.id);
  return (
    (await clearLinkedTexts(ctx.cipher, db, SERVICE_CASE_TEXTS, [caseId])) +
    (await clearLinkedTexts(ctx.cipher, db, SERVICE_REQUEST_TEXTS, requestIds))
  );
}

/** The day a supervisor closing a case would end its waivers: today, unless they confirm another. */
export function defaultWaiverEnd(ctx: AppContext): string {
  return bankDay(ctx);
}
