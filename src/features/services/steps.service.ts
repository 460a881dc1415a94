import { type ServiceEvent, type ServiceStatus, nextServiceStatus } from '../../domain/service-lifecycle.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { ServiceRequestTable } from '../../platform/db/tables/services.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError, deniedAsNotFound } from '../../platform/http/errors.js';
import { caseFactsByIds } from '../case-access/case-access.service.js';
import { notifyAll } from '../notifications/notifications.service.js';
import { scheduleFollowUp } from '../work/duties.service.js';
import { serviceType } from './catalogue.service.js';
import { findRequest, insertWaiver, updateRequest } from './services.repository.js';

import { caseForServices, detailsOf, requestView, seal } from './requests.service.js';
import { isSignedByCustomer } from './signatures.service.js';
import { hooksOf } from './type-hooks.service.js';
import { assertMovesDone, cancelMoveTasks, createMoveTasks } from './wealth.service.js';

// ---------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------

const STEP_REASON = {
  not_in_this_status: 'this step is not possible in the request’s current status',
  approval_needed: 'a supervisor approves this service before it starts',
  final: 'the request is finished',
} as const;

function advance(status: ServiceStatus, event: ServiceEvent): ServiceStatus {
  const t = nextServiceStatus(status, event);
  if (!t.ok) throw new AppError('CONFLICT', STEP_REASON[t.reason]);
  return t.status;
}

async function save(db: Executor, r: ServiceRequestTable, changes: Parameters<typeof updateRequest>[3], expectedVersion?: number) {
  if (expectedVersion !== undefined && expectedVersion !== r.version) throw new AppError('PRECONDITION_FAILED');
  // A step changes the request's status, not what the customer signed (its summary): the
  // signature stands (details and documents changes void it: signatures.service.ts).
  if (!(await updateRequest(db, r.id, r.version, changes))) throw new AppError('PRECONDITION_FAILED');
}

async function audit(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  action: string,
  r: ServiceRequestTable,
  detail: Record<string, unknown> = {},
) {
  await recordAudit(
    db,
    actor,
    {
      action,
      target: { type: 'service_request', id: r.id },
      branchId: r.branch_id,
      detail: { caseId: r.case_id, type: r.type_code, ...detail },
    },
    ctx.now(),
  );
}

/** The request for a step by someone who works on the case's services. */
async function workable(ctx: AppContext, db: Executor, actor: Actor, id: string) {
  const r = await findRequest(db, id);
  if (!r) throw new AppError('NOT_FOUND', 'no such service request');
  const facts = await caseForServices(ctx, db, actor, r.case_id).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw deniedAsNotFound('service_request', id);
    throw err;
  });
  return { r, facts };
}

function assertBranchSupervisor(actor: Actor, r: ServiceRequestTable): void {
  if (!(actor.roles.includes('supervisor') && actor.branchId === r.branch_id)) {
    throw new AppError('FORBIDDEN', 'only a supervisor of the request’s branch decides on it');
  }
}

/** A supervisor takes a request into review (P6.2.2: the first look is dated too). */
export async function reviewRequest(ctx: AppContext, db: Executor, actor: Actor, id: string, expectedVersion?: number) {
  const { r } = await workable(ctx, db, actor, id);
  assertBranchSupervisor(actor, r);
  const status = advance(r.status, { type: 'review' });
  await save(db, r, { status, reviewed_by: actor.id, reviewed_at: ctx.now().toISOString() }, expectedVersion);
  await audit(ctx, db, actor, 'service.in_review', r);
  return requestView(ctx, db, actor, id);
}

/**
 * Approves or rejects a request: a supervisor of its branch who did not request it (four eyes,
 * 409 FOUR_EYES). An approved fee relief (P4.2.1) becomes the waiver core banking reads.
 */
export async function decideRequest(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  body: { decision: 'approve' | 'reject'; reason: string },
  expectedVersion?: number,
) {
  const { r } = await workable(ctx, db, actor, id);
  assertBranchSupervisor(actor, r);
  if (r.requested_by === actor.id) throw new AppError('FOUR_EYES', 'a supervisor other than the one who requested it decides this');
  const approve = body.decision === 'approve';
  const status = advance(r.status, { type: 'decide', approve });
  // P4.3.1: a re-plan moves the customer's money; it is approved only once they have confirmed it.
  if (approve && r.type_code === 'wealth_replan' && !(await isSignedByCustomer(db, r.id)))
    throw new AppError('SIGNATURE_REQUIRED', 'the customer confirms a wealth re-plan by signing it before it is approved');
  for (const check of hooksOf(r.type_code, 'beforeDecide')) await check(ctx, db, actor, r, approve);
  const at = ctx.now().toISOString();
  await save(
    db,
    r,
    { status, decided_by: actor.id, decided_at: at, decision_reason_enc: seal(ctx, 'decision_reason_enc', r.id, body.reason) },
    expectedVersion,
  );
  if (approve && r.type_code === 'fee_relief') {
    const d = detailsOf(r);
    await insertWaiver(db, {
      id: newId(ctx.now().getTime()),
      request_id: r.id,
      case_id: r.case_id,
      customer_id: r.customer_id,
      account_id: String(d.accountId),
      fee_type: String(d.feeType),
      kind: d.kind === 'percent' || d.kind === 'amount' ? d.kind : 'full',
      percent: typeof d.percent === 'number' ? d.percent : null,
      amount_minor: typeof d.amountMinor === 'number' ? d.amountMinor : null,
      valid_from: String(d.validFrom),
      valid_until: String(d.validUntil),
      ended_on: null,
      created_at: at,
    });
  }
  // P4.3.1: operations execute an approved re-plan, one task per move.
  if (approve && r.type_code === 'wealth_replan') await createMoveTasks(ctx, db, actor, r);
  if (approve)
    for (const then of hooksOf(r.type_code, 'onApproved'))
      await then(ctx, db, actor, { ...r, status, decided_by: actor.id, decided_at: at });
  await audit(ctx, db, actor, approve ? 'service.approved' : 'service.rejected', r);
  const [facts] = await caseFactsByIds(db, [r.case_id]);
  if (facts) {
    await notifyAll(ctx, db, actor, [r.requested_by, ...(r.assignee_id ? [r.assignee_id] : [])], {
      kind: 'service_decided',
      sourceId: r.id,
      case: { id: facts.id, caseNumber: facts.caseNumber },
    });
  }
  return requestView(ctx, db, actor, id);
}

/** Work on the service begins (approved, or straight away for a type that needs no approval). */
export async function startRequest(ctx: AppContext, db: Executor, actor: Actor, id: string, expectedVersion?: number) {
  const { r } = await workable(ctx, db, actor, id);
  const t = await serviceType(db, r.type_code);
  const status = advance(r.status, { type: 'start', needsApproval: t.needsApproval });
  await save(
    db,
    r,
    { status, started_by: actor.id, started_at: ctx.now().toISOString(), ...(r.assignee_id ? {} : { assignee_id: actor.id }) },
    expectedVersion,
  );
  await audit(ctx, db, actor, 'service.started', r);
  return requestView(ctx, db, actor, id);
}

/** The service is delivered: the outcome recorded, and the service agent's follow-up call brought forward (P3.2.5). */
export async function completeRequest(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  body: { outcome: string },
  expectedVersion?: number,
) {
  const { r } = await workable(ctx, db, actor, id);
  const status = advance(r.status, { type: 'complete' });
  await assertMovesDone(db, r);
  for (const check of hooksOf(r.type_code, 'beforeComplete')) await check(ctx, db, actor, r);
  const now = ctx.now();
  await save(
    db,
    r,
    { status, completed_by: actor.id, completed_at: now.toISOString(), outcome_enc: seal(ctx, 'outcome_enc', r.id, body.outcome) },
    expectedVersion,
  );
  await audit(ctx, db, actor, 'service.completed', r, { late: Date.parse(r.due_at) < now.getTime() });
  await scheduleFollowUp(ctx, db, r.case_id, now);
  return requestView(ctx, db, actor, id);
}

/** Withdraws a request with a reason: the one who requested it or a supervisor of its branch. */
export async function cancelRequest(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  body: { reason: string },
  expectedVersion?: number,
) {
  const { r } = await workable(ctx, db, actor, id);
  if (r.requested_by !== actor.id) assertBranchSupervisor(actor, r);
  const status = advance(r.status, { type: 'cancel' });
  await save(
    db,
    r,
    {
      status,
      cancelled_by: actor.id,
      cancelled_at: ctx.now().toISOString(),
      cancel_reason_enc: seal(ctx, 'cancel_reason_enc', r.id, body.reason),
    },
    expectedVersion,
  );
  await cancelMoveTasks(ctx, db, actor, r);
  for (const then of hooksOf(r.type_code, 'onCancelled')) await then(ctx, db, actor, r);
  await audit(ctx, db, actor, 'service.cancelled', r);
  return requestView(ctx, db, actor, id);
}
