import { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { readSensitive } from '../../platform/audit/sensitive-read.js';
import { newId } from '../../platform/crypto/ids.js';
import { clearLinkedTexts } from '../../platform/crypto/text-purge.js';
import type { Executor } from '../../platform/db/database.js';
import type { IncidentTable } from '../../platform/db/tables/procedures.js';
import { branchScope, visibleInBranch } from '../../platform/http/access.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError, type FieldError } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import { caseForAccess } from '../case-access/case-access.service.js';
import { requestWithCase } from '../services/request-access.service.js';
import { getStaff, staffNames } from '../staff/staff.service.js';
import { findIncident, INCIDENT_CASE_TEXTS, insertIncident, pageIncidents, updateIncident } from './incidents.repository.js';
import type { IncidentBody, IncidentChangeBody, IncidentListQuery, IncidentSummary, IncidentView } from './incidents.schemas.js';

// P7.3.1 (docs/procedures.md): the operational-incident log, kept by each branch (its supervisors,
// risk officers and operations), read by inspectors across branches. Free texts are ciphertext.

type TextColumn = 'what_enc' | 'root_cause_enc' | 'corrective_action_enc';

function seal(ctx: AppContext, column: TextColumn, rowId: string, value: string): string {
  return ctx.cipher.encrypt(value, { table: 'incidents', column, rowId });
}

const bad = (errors: FieldError[]) => new AppError('VALIDATION_FAILED', 'the incident is not valid', { errors });

/** The owner must be an active colleague of the incident's branch. */
async function checkOwner(db: Executor, ownerId: string, branchId: string): Promise<FieldError[]> {
  const owner = await getStaff(db, ownerId).catch(() => undefined);
  return owner && owner.branch_id === branchId && owner.status === 'active'
    ? []
    : [{ path: 'body.ownerId', message: 'not an active colleague of the branch', reason: 'not_allowed' }];
}

/** The request or case an incident is about, if the recorder may see it and it is of their branch. */
async function links(ctx: AppContext, db: Executor, actor: Actor, body: { requestId?: string; caseId?: string }) {
  const errors: FieldError[] = [];
  let requestId: string | null = null;
  let caseId: string | null = null;
  if (body.requestId !== undefined) {
    const found = await requestWithCase(ctx, db, actor, body.requestId).catch(() => undefined);
    if (!found || found.r.branch_id !== actor.branchId)
      errors.push({ path: 'body.requestId', message: 'no such request of the branch', reason: 'unknown' });
    else {
      requestId = found.r.id;
      caseId = found.r.case_id;
    }
  }
  if (body.caseId !== undefined) {
    const found = await caseForAccess(ctx, db, actor, body.caseId).catch(() => undefined);
    if (!found || found.facts.branchId !== actor.branchId)
      errors.push({ path: 'body.caseId', message: 'no such case of the branch', reason: 'unknown' });
    else if (caseId !== null && caseId !== found.facts.id)
      errors.push({ path: 'body.caseId', message: 'not the case of the request', reason: 'invalid' });
    else caseId = found.facts.id;
  }
  return { errors, requestId, caseId };
}

async function summaries(db: Executor, rows: IncidentTable[]): Promise<z.input<typeof IncidentSummary>[]> {
  const names = await staffNames(
    db,
    rows.map((r) => r.owner_id),
  );
  return rows.map((r) => ({
    id: r.id,
    branchId: r.branch_id,
    status: r.status,
    foundAt: r.found_at,
    owner: { id: r.owner_id, name: names.get(r.owner_id) ?? '' },
    requestId: r.request_id,
    caseId: r.case_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  }));
}

/** One incident with its texts: an audited read, of one's branch (inspectors: any). */
export async function incidentView(ctx: AppContext, db: Executor, actor: Actor, id: string): Promise<z.input<typeof IncidentView>> {
  const row = visibleInBranch(actor, await findIncident(db, id), 'incident');
  const [summary] = await summaries(db, [row]);
  if (!summary) throw new AppError('NOT_FOUND', 'no such incident');
  const texts = await readSensitive(db, ctx.cipher, actor, {
    table: 'incidents',
    rowId: row.id,
    branchId: row.branch_id,
    fields: { what_enc: row.what_enc, root_cause_enc: row.root_cause_enc, corrective_action_enc: row.corrective_action_enc },
    purpose: 'incident',
  });
  const names = await staffNames(db, [row.created_by, row.updated_by]);
  return {
    ...summary,
    whatWentWrong: texts.what_enc ?? '',
    rootCause: texts.root_cause_enc,
    correctiveAction: texts.corrective_action_enc,
    createdBy: { id: row.created_by, name: names.get(row.created_by) ?? '' },
    updatedBy: { id: row.updated_by, name: names.get(row.updated_by) ?? '' },
  };
}

const Cursor = z.object({ f: z.string().max(40), id: z.string().max(64) });

/** The incidents of the reader's branch (inspectors: every branch), most recently found first; no texts. */
export async function listIncidents(db: Executor, actor: Actor, q: z.output<typeof IncidentListQuery>) {
  const before = decodeCursor(q.cursor, Cursor);
  const rows = await pageIncidents(db, {
    branchId: branchScope(actor),
    status: q.status,
    before: before ? { foundAt: before.f, id: before.id } : undefined,
    limit: q.limit + 1,
  });
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return {
    items: await summaries(db, items),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ f: last.found_at, id: last.id }) : null,
  };
}

/** Records an incident of the recorder's branch, linked to a request or case of it. */
export async function recordIncident(ctx: AppContext, db: Executor, actor: Actor, body: z.output<typeof IncidentBody>) {
  const now = ctx.now();
  const linked = await links(ctx, db, actor, body);
  const errors = [...linked.errors, ...(await checkOwner(db, body.ownerId, actor.branchId))];
  if (Date.parse(body.foundAt) > now.getTime()) errors.push({ path: 'body.foundAt', message: 'in the future', reason: 'future' });
  if (errors.length > 0) throw bad(errors);
  const id = newId(now.getTime());
  const at = now.toISOString();
  await insertIncident(db, {
    id,
    branch_id: actor.branchId,
    request_id: linked.requestId,
    case_id: linked.caseId,
    what_enc: seal(ctx, 'what_enc', id, body.whatWentWrong),
    root_cause_enc: body.rootCause === undefined ? null : seal(ctx, 'root_cause_enc', id, body.rootCause),
    corrective_action_enc: body.correctiveAction === undefined ? null : seal(ctx, 'corrective_action_enc', id, body.correctiveAction),
    found_at: new Date(body.foundAt).toISOString(),
    owner_id: body.ownerId,
    status: 'open',
    created_by: actor.id,
    created_at: at,
    updated_by: actor.id,
    updated_at: at,
    version: 1,
  });
  await recordAudit(
    db,
    actor,
    {
      action: 'incident.recorded',
      target: { type: 'incident', id },
      branchId: actor.branchId,
      detail: { requestId: linked.requestId, caseId: linked.caseId, ownerId: body.ownerId },
    },
    now,
  );
  return incidentView(ctx, db, actor, id);
}

/**
 * Follows an incident up (its branch's recorders; If-Match): texts, owner, status. A closed
 * incident stays closed; it is resolved or closed only with its root cause and corrective action.
 */
export async function changeIncident(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  expectedVersion: number,
  body: z.output<typeof IncidentChangeBody>,
) {
  const row = visibleInBranch(actor, await findIncident(db, id), 'incident');
  if (row.branch_id !== actor.branchId) throw new AppError('FORBIDDEN', 'only the incident’s branch follows it up');
  if (row.version !== expectedVersion) throw new AppError('PRECONDITION_FAILED');
  if (row.status === 'closed') throw new AppError('CONFLICT', 'the incident is closed');
  const errors = body.ownerId === undefined ? [] : await checkOwner(db, body.ownerId, row.branch_id);
  const finishing = body.status === 'resolved' || body.status === 'closed';
  if (finishing && body.rootCause === undefined && row.root_cause_enc === null)
    errors.push({ path: 'body.rootCause', message: 'the root cause comes before resolving', reason: 'required' });
  if (finishing && body.correctiveAction === undefined && row.corrective_action_enc === null)
    errors.push({ path: 'body.correctiveAction', message: 'the corrective action comes before resolving', reason: 'required' });
  if (errors.length > 0) throw bad(errors);
  const now = ctx.now();
  const changes: Partial<IncidentTable> = { updated_by: actor.id, updated_at: now.toISOString() };
  if (body.whatWentWrong !== undefined) changes.what_enc = seal(ctx, 'what_enc', id, body.whatWentWrong);
  if (body.rootCause !== undefined) changes.root_cause_enc = seal(ctx, 'root_cause_enc', id, body.rootCause);
  if (body.correctiveAction !== undefined) changes.corrective_action_enc = seal(ctx, 'corrective_action_enc', id, body.correctiveAction);
  if (body.ownerId !== undefined) changes.owner_id = body.ownerId;
  if (body.status !== undefined) changes.status = body.status;
  if (!(await updateIncident(db, id, row.version, changes))) throw new AppError('PRECONDITION_FAILED');
  await recordAudit(
    db,
    actor,
    {
      action: 'incident.updated',
      target: { type: 'incident', id },
      branchId: row.branch_id,
      // Which fields changed, never their values.
      detail: { fields: Object.keys(body), ...(body.status ? { status: body.status } : {}) },
    },
    now,
  );
  return incidentView(ctx, db, actor, id);
}

/** Clears the texts of the incidents about a case (retention, P5.3); answers how many values it cleared. */
export async function clearIncidentTexts(ctx: AppContext, db: Executor, caseId: string): Promise<number> {
  return clearLinkedTexts(ctx.cipher, db, INCIDENT_CASE_TEXTS, [caseId]);
}
