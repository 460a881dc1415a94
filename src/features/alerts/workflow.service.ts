import { type AlertEvent, type AlertStatus, type ContactChannel, nextAlertStatus } from '../../domain/alert-lifecycle.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import type { Executor } from '../../platform/db/database.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError, deniedAsNotFound } from '../../platform/http/errors.js';
import { caseFactsByIds } from '../case-access/case-access.service.js';
import { completeTask } from '../work/tasks.service.js';
import { cancelOpenTasks } from '../work/upkeep.service.js';
import { storeInteraction } from '../work/interactions.service.js';
import { updateAlert } from './alerts.repository.js';
import type { ContactInput, ResolveInput } from './alerts.schemas.js';

import { type AlertRecord, buildView, findAlertRecord, NOT_FOUND, reachOf } from './alerts.service.js';

// ---------------------------------------------------------------------------------------------
// The workflow (P7.2.1): contact, verify, resolve
// ---------------------------------------------------------------------------------------------

/** Options of every step: the version the client read, when it sent If-Match. */
export interface StepOptions {
  expectedVersion?: number;
}

/** The alert for a step: 404 unless the reader sees it, 403 unless they work on the case. */
async function workable(ctx: AppContext, db: Executor, actor: Actor, id: string, opts: StepOptions): Promise<AlertRecord> {
  const a = await findAlertRecord(db, id);
  if (!a) throw NOT_FOUND();
  const reach = await reachOf(ctx, db, actor, a);
  if (reach === null) throw deniedAsNotFound('alert', a.id);
  if (reach !== 'work') throw new AppError('FORBIDDEN', 'only the case’s team and the branch’s supervisors work on its alerts');
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== a.version) throw new AppError('PRECONDITION_FAILED');
  return a;
}

function advance(status: AlertStatus, event: AlertEvent): AlertStatus {
  const t = nextAlertStatus(status, event);
  if (!t.ok) throw new AppError('ALERT_STEP_OUT_OF_ORDER', t.reason);
  return t.status;
}

async function save(db: Executor, a: AlertRecord, changes: Parameters<typeof updateAlert>[3]): Promise<void> {
  if (!(await updateAlert(db, a.id, a.version, changes))) {
    throw new AppError('CONFLICT', 'the alert was changed by someone else meanwhile; reload it');
  }
}

async function audit(ctx: AppContext, db: Executor, actor: Actor, action: string, a: AlertRecord, detail: Record<string, unknown>) {
  await recordAudit(
    db,
    actor,
    { action, target: { type: 'fund_alert', id: a.id }, branchId: a.branch_id, detail: { caseId: a.case_id, ...detail } },
    ctx.now(),
  );
}

async function reloadView(ctx: AppContext, db: Executor, actor: Actor, id: string) {
  const a = await findAlertRecord(db, id);
  if (!a) throw NOT_FOUND();
  return buildView(ctx, db, actor, a, 'work');
}

const INTERACTION_KIND: Record<ContactChannel, 'call' | 'visit' | 'message'> = {
  phone: 'call',
  visit: 'visit',
  sms: 'message',
  message: 'message',
};

/**
 * Records a contact with the customer about the alert: reached moves it to `contacted`, not reached
 * keeps it open (the attempt counts). On an active case the contact is also the team's interaction
 * (work feature), and the contact task is done when its assignee records a reached contact.
 */
export async function contactAlert(ctx: AppContext, db: Executor, actor: Actor, id: string, body: ContactInput, opts: StepOptions = {}) {
  const a = await workable(ctx, db, actor, id, opts);
  const status = advance(a.status, { type: 'contact', outcome: body.outcome });
  const at = ctx.now().toISOString();
  const reached = body.outcome === 'reached';
  await save(db, a, {
    status,
    contact_channel: body.channel,
    contact_outcome: body.outcome,
    contact_attempts: a.contact_attempts + 1,
    contact_note_enc:
      body.note === undefined ? null : ctx.cipher.encrypt(body.note, { table: 'fund_alerts', column: 'contact_note_enc', rowId: a.id }),
    contacted_by: actor.id,
    ...(reached ? { contacted_at: at } : {}),
  });
  const facts = (await caseFactsByIds(db, [a.case_id]))[0];
  if (facts?.status === 'active') {
    // Stored only: reading it back would decrypt the note and audit a read nobody made.
    await storeInteraction(ctx, db, actor, a.case_id, {
      kind: INTERACTION_KIND[body.channel],
      occurredAt: at,
      outcome: body.outcome,
      ...(body.note !== undefined ? { notes: body.note } : {}),
    });
    if (reached && a.contact_task_id !== null) await completeOwnTask(ctx, db, actor, a.contact_task_id);
  }
  await audit(ctx, db, actor, 'alert.contacted', a, { channel: body.channel, outcome: body.outcome, attempts: a.contact_attempts + 1 });
  return reloadView(ctx, db, actor, a.id);
}

/** Completes the contact task if it is the actor's and still open; anyone else's task is left to them. */
async function completeOwnTask(ctx: AppContext, db: Executor, actor: Actor, taskId: string): Promise<void> {
  try {
    await completeTask(ctx, db, actor, taskId, {});
  } catch (err) {
    // NOT_FOUND: not the actor's task; CONFLICT: already done. Both are checked before any write.
    if (err instanceof AppError && (err.code === 'NOT_FOUND' || err.code === 'CONFLICT')) return;
    throw err;
  }
}

/** The transaction was verified with the customer (they did it, or they did not). */
export async function verifyAlert(ctx: AppContext, db: Executor, actor: Actor, id: string, body: { note: string }, opts: StepOptions = {}) {
  const a = await workable(ctx, db, actor, id, opts);
  const status = advance(a.status, { type: 'verify' });
  await save(db, a, {
    status,
    verified_at: ctx.now().toISOString(),
    verified_by: actor.id,
    verify_note_enc: ctx.cipher.encrypt(body.note, { table: 'fund_alerts', column: 'verify_note_enc', rowId: a.id }),
  });
  await audit(ctx, db, actor, 'alert.verified', a, {});
  return reloadView(ctx, db, actor, a.id);
}

/** Closes the alert: legitimate, fraud or escalated, with a note (encrypted). */
export async function resolveAlert(ctx: AppContext, db: Executor, actor: Actor, id: string, body: ResolveInput, opts: StepOptions = {}) {
  const a = await workable(ctx, db, actor, id, opts);
  const status = advance(a.status, { type: 'resolve' });
  await save(db, a, {
    status,
    resolution: body.resolution,
    resolution_note_enc: ctx.cipher.encrypt(body.note, { table: 'fund_alerts', column: 'resolution_note_enc', rowId: a.id }),
    resolved_at: ctx.now().toISOString(),
    resolved_by: actor.id,
  });
  await audit(ctx, db, actor, 'alert.resolved', a, { resolution: body.resolution });
  // Closing the alert closes its work: the contact task is not left open for anyone.
  if (a.contact_task_id !== null) await cancelOpenTasks(ctx, db, actor, [a.contact_task_id], 'alert_resolved');
  return reloadView(ctx, db, actor, a.id);
}
