import { addedMedicalRoles, ROLES, type Role } from '../../domain/roles.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { StaffRoleRequestTable } from '../../platform/db/tables/staff.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import {
  decideRoleRequest,
  findRoleRequest,
  insertRoleRequest,
  listRoleRequests,
  withdrawPendingRequests,
} from './role-requests.repository.js';
import { findStaffById, findStaffNames, replaceRoles } from './staff.repository.js';

// Four eyes on roles that read medical data (P5.4.1): one administrator asks, another approves.
// docs/access.md "Who may grant what".

async function staffOrNotFound(db: Executor, id: string) {
  const staff = await findStaffById(db, id);
  if (!staff) throw new AppError('NOT_FOUND', 'no such staff member');
  return staff;
}

function rolesOf(json: string): Role[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? ROLES.filter((r) => parsed.includes(r)) : [];
}

/** The roles to grant now and the request left pending, for a change from `current` to `wanted`. */
export function splitRoleChange(current: readonly Role[], wanted: readonly Role[]): { now: Role[]; pending: Role[] | null } {
  const medical = addedMedicalRoles(current, wanted);
  if (medical.length === 0) return { now: [...new Set(wanted)], pending: null };
  // Until a second administrator approves, the account keeps what it had, less what is taken away.
  const kept = current.filter((r) => wanted.includes(r));
  return { now: kept.length > 0 ? kept : ['staff'], pending: [...new Set(wanted)] };
}

/** Records a request to give a staff member these roles (replacing any pending one); audited. */
export async function requestRoles(ctx: AppContext, db: Executor, actor: Actor, staffId: string, roles: readonly Role[]) {
  const staff = await staffOrNotFound(db, staffId);
  const at = ctx.now().toISOString();
  await withdrawPendingRequests(db, staffId, at, actor.id);
  const row: StaffRoleRequestTable = {
    id: newId(ctx.now().getTime()),
    staff_id: staffId,
    roles: JSON.stringify([...new Set(roles)]),
    status: 'pending',
    requested_by: actor.id,
    requested_at: at,
    decided_by: null,
    decided_at: null,
    note: null,
  };
  await insertRoleRequest(db, row);
  await recordAudit(
    db,
    actor,
    {
      action: 'staff.roles_requested',
      target: { type: 'staff', id: staffId },
      branchId: staff.branch_id,
      detail: { requestId: row.id, roles },
    },
    ctx.now(),
  );
  return row;
}

async function requestViews(db: Executor, rows: readonly StaffRoleRequestTable[]) {
  const ids = [...new Set(rows.flatMap((r) => [r.staff_id, r.requested_by, ...(r.decided_by === null ? [] : [r.decided_by])]))];
  const people = new Map((await findStaffNames(db, ids)).map((p) => [p.id, { username: p.username, displayName: p.display_name }]));
  const ref = (id: string | null) => (id === null ? null : { id, displayName: people.get(id)?.displayName ?? '' });
  return rows.map((r) => ({
    id: r.id,
    staff: { id: r.staff_id, username: people.get(r.staff_id)?.username ?? '', displayName: people.get(r.staff_id)?.displayName ?? '' },
    roles: rolesOf(r.roles),
    status: r.status,
    requestedBy: ref(r.requested_by),
    requestedAt: r.requested_at,
    decidedBy: ref(r.decided_by),
    decidedAt: r.decided_at,
    note: r.note,
  }));
}

/** The role requests of a status, oldest first. */
export async function pageRoleRequests(db: Executor, q: { status: StaffRoleRequestTable['status']; limit: number }) {
  return { items: await requestViews(db, await listRoleRequests(db, q.status, q.limit)), nextCursor: null };
}

/** The staff member's pending request, if any, as the staff views show it. */
export async function roleRequestView(db: Executor, row: StaffRoleRequestTable) {
  const [view] = await requestViews(db, [row]);
  if (!view) throw new AppError('NOT_FOUND', 'no such role request');
  return view;
}

/**
 * A second administrator approves (the roles are granted at once) or rejects a pending request.
 * Neither the one who asked nor the one who would get the roles may decide it (409 FOUR_EYES).
 */
export async function decideRoles(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  input: { decision: 'approve' | 'reject'; note?: string },
) {
  const request = await findRoleRequest(db, id);
  if (!request) throw new AppError('NOT_FOUND', 'no such role request');
  if (request.status !== 'pending') throw new AppError('CONFLICT', `the request is ${request.status}`);
  if (request.requested_by === actor.id || request.staff_id === actor.id) {
    throw new AppError('FOUR_EYES', 'a second administrator, neither the one who asked nor the one concerned, decides this');
  }
  const staff = await staffOrNotFound(db, request.staff_id);
  const at = ctx.now().toISOString();
  const status = input.decision === 'approve' ? 'approved' : 'rejected';
  if (!(await decideRoleRequest(db, id, { status, decided_by: actor.id, decided_at: at, note: input.note ?? null }))) {
    throw new AppError('CONFLICT', 'the request was decided meanwhile');
  }
  const roles = rolesOf(request.roles);
  if (status === 'approved') await replaceRoles(db, staff.id, roles);
  await recordAudit(
    db,
    actor,
    {
      action: status === 'approved' ? 'staff.roles_approved' : 'staff.roles_rejected',
      target: { type: 'staff', id: staff.id },
      branchId: staff.branch_id,
      detail: { requestId: id, roles, requestedBy: request.requested_by },
    },
    ctx.now(),
  );
  const decided = await findRoleRequest(db, id);
  if (!decided) throw new AppError('NOT_FOUND', 'no such role request');
  return roleRequestView(db, decided);
}
