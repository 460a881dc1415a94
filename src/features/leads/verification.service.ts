import { isOpen, type LeadEvent } from '../../domain/lead-lifecycle.js';
import { judgeDefinition } from '../../domain/definition.js';
import { MANUAL_STRENGTH } from '../../domain/lead-matching.js';
import { hasPermission } from '../../domain/roles.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import { canSeeBranch } from '../../platform/http/access.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError, type FieldReason } from '../../platform/http/errors.js';
import { customerRefById } from '../customers/customers.service.js';
import { getStaff } from '../staff/staff.service.js';
import { insertLeadCheck, leadReachable, repointDuplicates } from './leads.repository.js';
import type { Definition, LeadView } from './leads.schemas.js';

import {
  advance,
  audit,
  branchLead,
  buildView,
  deadline,
  findLeadRecord,
  reachableLead,
  reachOf,
  reload,
  remember,
  save,
} from './leads.service.js';

/** The definition's findings as the field reasons clients translate. */
const DEFINITION_REASON = {
  unknown_category: 'invalid_value',
  not_seriously_affected: 'not_seriously_affected',
  life_effect_missing: 'required',
  figures_or_reason_missing: 'required',
} as const satisfies Record<string, FieldReason>;

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
  body: { decision: 'confirm' | 'reject' | 'duplicate'; reason: string; duplicateOf?: string; definition?: Definition },
  opts: StepOptions = {},
): Promise<LeadView> {
  const lead = await branchLead(db, actor, id);
  if (body.decision === 'confirm') {
    // P2.1: confirming is judging the customer against each part of the definition.
    if (!body.definition) throw invalid('body.definition', 'a confirmation records the finding against the definition');
    const problems = judgeDefinition(body.definition);
    if (problems.length > 0) {
      throw new AppError('VALIDATION_FAILED', 'the finding does not meet the definition of a critical-illness customer', {
        errors: problems.map((p) => ({ path: `body.definition.${p.path}`, message: p.reason, reason: DEFINITION_REASON[p.reason] })),
      });
    }
  }
  const event: LeadEvent =
    body.decision === 'confirm'
      ? { type: 'confirm', by: 'supervisor', customerMatched: lead.customer_id !== null }
      : { type: body.decision === 'reject' ? 'reject' : 'mark_duplicate', by: 'supervisor' };
  const status = advance(lead.status, event);
  if (body.duplicateOf !== undefined) {
    if (body.duplicateOf === id) throw invalid('body.duplicateOf', 'a lead cannot duplicate itself');
    const target = await findLeadRecord(db, body.duplicateOf);
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
      ...(body.definition
        ? { definition_enc: ctx.cipher.encrypt(JSON.stringify(body.definition), { table: 'leads', column: 'definition_enc', rowId: id }) }
        : {}),
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
  const target = await findLeadRecord(db, body.into);
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
