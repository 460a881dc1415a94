import { breakGlassExpiry, mayBreakGlass } from '../../domain/access.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { BreakGlassGrantTable } from '../../platform/db/tables/case-access.js';
import { branchScope } from '../../platform/http/access.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError, deniedAsNotFound } from '../../platform/http/errors.js';
import { staffNames } from '../staff/staff.service.js';
import { findGrant, insertGrant, listGrants, markGrantReviewed } from './case-access.repository.js';
import { caseFactsByIds, caseForAccess } from './case-access.service.js';

// ---------------------------------------------------------------------------------------------
// Break glass (P5.4.1)
// ---------------------------------------------------------------------------------------------

function grantView(g: BreakGlassGrantTable, names: Map<string, string>, caseNumbers: Map<string, string>, now: Date) {
  return {
    id: g.id,
    caseId: g.case_id,
    caseNumber: caseNumbers.get(g.case_id) ?? null,
    branchId: g.branch_id,
    staff: { id: g.staff_id, displayName: names.get(g.staff_id) ?? null },
    reason: g.reason,
    grantedAt: g.granted_at,
    expiresAt: g.expires_at,
    inForce: Date.parse(g.expires_at) > now.getTime(),
    reviewedAt: g.reviewed_at,
    reviewedBy: g.reviewed_by === null ? null : { id: g.reviewed_by, displayName: names.get(g.reviewed_by) ?? null },
    reviewNote: g.review_note,
  };
}

async function oneGrantView(ctx: AppContext, db: Executor, grant: BreakGlassGrantTable) {
  const [view] = await grantViews(ctx, db, [grant]);
  if (!view) throw new AppError('NOT_FOUND', 'no such grant');
  return view;
}

async function grantViews(ctx: AppContext, db: Executor, grants: readonly BreakGlassGrantTable[]) {
  const names = await staffNames(
    db,
    grants.flatMap((g) => [g.staff_id, g.reviewed_by]),
  );
  const cases = await caseFactsByIds(db, [...new Set(grants.map((g) => g.case_id))]);
  const numbers = new Map(cases.map((c) => [c.id, c.caseNumber]));
  return grants.map((g) => grantView(g, names, numbers, ctx.now()));
}

/**
 * Emergency access to a case's sensitive sections for a case worker or inspector who sees the case
 * but is not entitled: a grant for the configured hours, audited, listed for the branch's supervisors.
 */
export async function requestBreakGlass(ctx: AppContext, db: Executor, actor: Actor, caseId: string, reason: string) {
  const { facts, decision } = await caseForAccess(ctx, db, actor, caseId);
  if (actor.agreementValid === false) throw new AppError('AGREEMENT_REQUIRED');
  if (decision.access === 'full') throw new AppError('CONFLICT', 'you already see this case’s sensitive sections');
  if (!mayBreakGlass(actor, decision)) throw new AppError('FORBIDDEN', 'break glass is not available to you for this case');
  const now = ctx.now();
  const row: BreakGlassGrantTable = {
    id: newId(now.getTime()),
    case_id: facts.id,
    branch_id: facts.branchId,
    staff_id: actor.id,
    reason,
    granted_at: now.toISOString(),
    expires_at: breakGlassExpiry(now, ctx.config.access.breakGlassHours).toISOString(),
    reviewed_at: null,
    reviewed_by: null,
    review_note: null,
  };
  await insertGrant(db, row);
  await recordAudit(
    db,
    actor,
    {
      action: 'breakglass.granted',
      target: { type: 'case', id: facts.id },
      branchId: facts.branchId,
      detail: { grantId: row.id, reason, expiresAt: row.expires_at },
    },
    now,
  );
  return oneGrantView(ctx, db, row);
}

/** The break-glass grants to review: supervisors their branch's, inspectors all. */
export async function listBreakGlass(ctx: AppContext, db: Executor, actor: Actor, q: { status: 'open' | 'reviewed'; limit: number }) {
  const grants = await listGrants(db, { branchId: branchScope(actor), status: q.status, limit: q.limit });
  return { items: await grantViews(ctx, db, grants), nextCursor: null };
}

/** Marks a grant reviewed with a note (a supervisor of its branch, or an inspector). */
export async function reviewBreakGlass(ctx: AppContext, db: Executor, actor: Actor, id: string, note: string) {
  const g = await findGrant(db, id);
  const scope = branchScope(actor);
  if (!g) throw new AppError('NOT_FOUND', 'no such grant');
  if (scope !== undefined && g.branch_id !== scope) throw deniedAsNotFound('grant', g.id);
  if (g.staff_id === actor.id) throw new AppError('FORBIDDEN', 'a grant is reviewed by someone else');
  const at = ctx.now().toISOString();
  if (!(await markGrantReviewed(db, g.id, at, actor.id, note))) throw new AppError('CONFLICT', 'this grant is already reviewed');
  await recordAudit(
    db,
    actor,
    { action: 'breakglass.reviewed', target: { type: 'case', id: g.case_id }, branchId: g.branch_id, detail: { grantId: g.id } },
    ctx.now(),
  );
  const reviewed = await findGrant(db, g.id);
  if (!reviewed) throw new AppError('NOT_FOUND', 'no such grant');
  return oneGrantView(ctx, db, reviewed);
}
