import { type CloseReason, diffFields, type FieldChange, nextUpdateDue } from '../../domain/case-rules.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { readSensitive } from '../../platform/audit/sensitive-read.js';
import type { Executor } from '../../platform/db/database.js';
import { type Actor, type AppContext, bankDay } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { endCaseWaivers } from '../services/lookups.service.js';
import { buildView, viewAfterChange } from './case-view.service.js';
import type { UpdateInput } from './cases.schemas.js';
import {
  assertActive,
  assertEditor,
  assertMaintainer,
  assertReviewOn,
  assertSupervisor,
  bump,
  parseStored,
  reload,
  StoredCondition,
  StoredCorrections,
  StoredFinances,
  sealer,
  sealText,
  toCondition,
  toCorrections,
  toFinances,
  visibleCase,
  writeVersion,
} from './cases.service.js';

/** PATCH: changes the editable sections; one version row with the changed fields' old and new values. */
export async function updateCase(ctx: AppContext, db: Executor, actor: Actor, id: string, expectedVersion: number, input: UpdateInput) {
  const c = await visibleCase(db, actor, id);
  assertEditor(actor, c);
  assertActive(c);
  // Changing the sensitive sections means reading the old values (P5.4.2).
  if (actor.agreementValid === false) throw new AppError('AGREEMENT_REQUIRED');
  if (c.version !== expectedVersion) throw new AppError('PRECONDITION_FAILED');
  const today = bankDay(ctx);
  if (input.reviewOn !== undefined) assertReviewOn(input.reviewOn, today, 'body.reviewOn');

  const wanted = {
    condition_enc: input.condition !== undefined ? c.condition_enc : null,
    finances_enc: input.financialImpact !== undefined ? c.finances_enc : null,
    corrections_enc: input.basic !== undefined ? c.corrections_enc : null,
  };
  // The old values are needed for the version: decrypting them is a read like any other.
  const plain = await readSensitive(db, ctx.cipher, actor, {
    table: 'cases',
    rowId: c.id,
    branchId: c.branch_id,
    fields: wanted,
    purpose: 'case_update',
  });
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (input.condition !== undefined) {
    before.condition = parseStored(plain.condition_enc, StoredCondition);
    after.condition = toCondition(input.condition);
  }
  if (input.financialImpact !== undefined) {
    before.financialImpact = parseStored(plain.finances_enc, StoredFinances);
    after.financialImpact = toFinances(input.financialImpact);
  }
  if (input.basic !== undefined) {
    before['basic.corrections'] = parseStored(plain.corrections_enc, StoredCorrections) ?? {};
    after['basic.corrections'] = toCorrections(input.basic.corrections);
  }
  if (input.severity !== undefined) {
    before.severity = c.severity;
    after.severity = input.severity;
  }
  if (input.mobilityImpaired !== undefined) {
    before.mobilityImpaired = c.mobility_impaired === 1;
    after.mobilityImpaired = input.mobilityImpaired;
  }
  if (input.reviewOn !== undefined) {
    before.reviewOn = c.review_on;
    after.reviewOn = input.reviewOn;
  }
  const changes = diffFields(before, after);
  if (changes.length === 0) return buildView(ctx, db, actor, c, { entitled: true, purpose: 'case_file' });

  const seal = sealer(ctx, 'cases', c.id);
  const changed = new Set(changes.map((ch) => ch.field.split('.')[0]));
  const corrections = input.basic ? toCorrections(input.basic.corrections) : undefined;
  const reviewOn = input.reviewOn ?? c.review_on;
  const version = await bump(db, c, expectedVersion, {
    ...(input.condition && changed.has('condition') ? { condition_enc: seal('condition_enc', toCondition(input.condition)) } : {}),
    ...(input.financialImpact && changed.has('financialImpact')
      ? { finances_enc: seal('finances_enc', toFinances(input.financialImpact)) }
      : {}),
    ...(corrections && changed.has('basic')
      ? { corrections_enc: Object.keys(corrections).length > 0 ? seal('corrections_enc', corrections) : null }
      : {}),
    ...(input.severity !== undefined ? { severity: input.severity } : {}),
    ...(input.mobilityImpaired !== undefined ? { mobility_impaired: input.mobilityImpaired ? 1 : 0 } : {}),
    review_on: reviewOn,
    next_update_due: nextUpdateDue({ lastUpdateOn: c.last_update_on, reviewOn, intervalDays: c.update_interval_days }),
    updated_at: ctx.now().toISOString(),
  });
  const fields = changes.map((ch) => ch.field);
  await writeVersion(ctx, db, { caseId: c.id, version, action: 'updated', by: actor.id, fields, changes });
  await recordAudit(
    db,
    actor,
    { action: 'case.updated', target: { type: 'case', id: c.id }, branchId: c.branch_id, detail: { version, fields } },
    ctx.now(),
  );
  return buildView(ctx, db, actor, await reload(db, c.id), { entitled: true, purpose: 'case_file' });
}

/** Records the periodic update (P5.3.1): the reminder starts again from today. */
export async function recordReview(ctx: AppContext, db: Executor, actor: Actor, id: string, input: { note?: string }) {
  const c = await visibleCase(db, actor, id);
  assertEditor(actor, c);
  assertActive(c);
  const today = bankDay(ctx);
  const due = nextUpdateDue({ lastUpdateOn: today, reviewOn: c.review_on, intervalDays: c.update_interval_days });
  const version = await bump(db, c, c.version, { last_update_on: today, next_update_due: due, updated_at: ctx.now().toISOString() });
  const changes: FieldChange[] = [
    { field: 'lastUpdateOn', old: c.last_update_on, new: today },
    { field: 'nextUpdateDue', old: c.next_update_due, new: due },
    ...(input.note !== undefined ? [{ field: 'note', old: null, new: input.note }] : []),
  ];
  await writeVersion(ctx, db, { caseId: c.id, version, action: 'reviewed', by: actor.id, fields: changes.map((ch) => ch.field), changes });
  await recordAudit(
    db,
    actor,
    { action: 'case.reviewed', target: { type: 'case', id: c.id }, branchId: c.branch_id, detail: { version, nextUpdateDue: due } },
    ctx.now(),
  );
  return viewAfterChange(ctx, db, actor, c.id);
}

/** Designates the colleague who maintains the file (P5.3.2). */
export async function assignMaintainer(ctx: AppContext, db: Executor, actor: Actor, id: string, staffId: string) {
  const c = await visibleCase(db, actor, id);
  assertSupervisor(actor, c);
  assertActive(c);
  await assertMaintainer(db, staffId, c.branch_id, 'body.staffId');
  if (c.maintainer_id === staffId) return viewAfterChange(ctx, db, actor, c.id);
  const version = await bump(db, c, c.version, { maintainer_id: staffId, updated_at: ctx.now().toISOString() });
  const changes = [{ field: 'maintainer', old: c.maintainer_id, new: staffId }];
  await writeVersion(ctx, db, { caseId: c.id, version, action: 'maintainer_assigned', by: actor.id, fields: ['maintainer'], changes });
  await recordAudit(
    db,
    actor,
    {
      action: 'case.maintainer_assigned',
      target: { type: 'case', id: c.id },
      branchId: c.branch_id,
      detail: { version, from: c.maintainer_id, to: staffId },
    },
    ctx.now(),
  );
  return viewAfterChange(ctx, db, actor, c.id);
}

/** Closes a case with its reason; the retention period starts now. */
export async function closeCase(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  input: { reason: CloseReason; note?: string; waiversEndOn?: string },
) {
  const c = await visibleCase(db, actor, id);
  assertSupervisor(actor, c);
  assertActive(c);
  const now = ctx.now().toISOString();
  const version = await bump(db, c, c.version, {
    status: 'closed',
    closed_at: now,
    closed_by: actor.id,
    close_reason: input.reason,
    close_note_enc: sealText(ctx, 'cases', 'close_note_enc', c.id, input.note),
    updated_at: now,
  });
  const changes: FieldChange[] = [
    { field: 'status', old: 'active', new: 'closed' },
    { field: 'closeReason', old: null, new: input.reason },
    ...(input.note !== undefined ? [{ field: 'closeNote', old: null, new: input.note }] : []),
  ];
  await writeVersion(ctx, db, { caseId: c.id, version, action: 'closed', by: actor.id, fields: changes.map((ch) => ch.field), changes });
  // P4.2.1: the relief ends with the programme, on the day the supervisor confirms.
  const waiversEndOn = input.waiversEndOn ?? bankDay(ctx);
  const waiversEnded = await endCaseWaivers(db, c.id, waiversEndOn);
  await recordAudit(
    db,
    actor,
    {
      action: 'case.closed',
      target: { type: 'case', id: c.id },
      branchId: c.branch_id,
      detail: { version, reason: input.reason, ...(waiversEnded > 0 ? { waiversEnded, waiversEndOn } : {}) },
    },
    ctx.now(),
  );
  return viewAfterChange(ctx, db, actor, c.id);
}
