import { randomInt } from 'node:crypto';
import type { Role } from '../../domain/roles.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { newId } from '../../platform/crypto/ids.js';
import { hashPassword } from '../../platform/crypto/passwords.js';
import type { Executor } from '../../platform/db/database.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import { z } from 'zod';
import { revokeStaffSessions } from './sessions.repository.js';
import {
  type StaffRecord,
  findBranch,
  findStaffById,
  findStaffByUsername,
  insertStaff,
  findActiveStaffIdsWithRole,
  findBranchesByIds,
  findStaffNames,
  listBranches,
  listStaff,
  replaceRoles,
  setPasswordHash,
  setTotpState,
  updateStaff,
} from './staff.repository.js';
import { requestRoles, roleRequestView, splitRoleChange } from './role-requests.service.js';

/** The API view of a staff member: never the password hash or the TOTP secret. */
export function toStaffView(s: StaffRecord) {
  return {
    id: s.id,
    username: s.username,
    displayName: s.display_name,
    branchId: s.branch_id,
    branchCode: s.branch_code,
    roles: s.roles,
    status: s.status,
    mfaEnrolled: s.totp_enabled === 1,
    mustChangePassword: s.must_change_password === 1,
    createdAt: s.created_at,
    updatedAt: s.updated_at,
    version: s.version,
  };
}

/** The user block of sign-in and `me` answers. */
export function toUserView(s: StaffRecord) {
  return { id: s.id, username: s.username, displayName: s.display_name, roles: s.roles, branchId: s.branch_id, branchCode: s.branch_code };
}

// No 0/O, 1/l/I: a temporary password is read out over the phone.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';

/** A random temporary password of 16 characters (about 93 bits). */
export function temporaryPassword(): string {
  let out = '';
  for (let i = 0; i < 16; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export async function getStaff(db: Executor, id: string): Promise<StaffRecord> {
  const staff = await findStaffById(db, id);
  if (!staff) throw new AppError('NOT_FOUND', 'no such staff member');
  return staff;
}

const StaffCursor = z.object({ u: z.string() });

/** A page of staff ordered by username. */
export async function pageStaff(db: Executor, q: { limit: number; cursor?: string; q?: string; branchId?: string }) {
  return pageOf(db, q, toStaffView);
}

/** The active colleagues of the actor's branch, for choosing whom to hand work to (names and roles only). */
export async function pageColleagues(db: Executor, actor: Actor, q: { limit: number; cursor?: string; q?: string }) {
  return pageOf(db, { ...q, branchId: actor.branchId, activeOnly: true }, (s) => ({
    id: s.id,
    username: s.username,
    displayName: s.display_name,
    roles: s.roles,
  }));
}

async function pageOf<T>(
  db: Executor,
  q: { limit: number; cursor?: string; q?: string; branchId?: string; activeOnly?: boolean },
  view: (s: StaffRecord) => T,
) {
  const after = decodeCursor(q.cursor, StaffCursor);
  const rows = await listStaff(db, {
    afterUsername: after?.u,
    search: q.q,
    branchId: q.branchId,
    activeOnly: q.activeOnly,
    limit: q.limit + 1,
  });
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return { items: items.map(view), nextCursor: rows.length > q.limit && last ? encodeCursor({ u: last.username }) : null };
}

async function requireBranch(db: Executor, branchId: string): Promise<void> {
  if (!(await findBranch(db, branchId))) {
    throw new AppError('VALIDATION_FAILED', 'unknown branch', {
      errors: [{ path: 'body.branchId', message: 'no such branch', reason: 'unknown' }],
    });
  }
}

/**
 * Creates a staff account. Every password an administrator sets is temporary (changed at first
 * sign-in); without one a temporary password is made, shown once. Roles that read medical data wait
 * for a second administrator: the account starts with the others (or plain `staff`).
 */
export async function createStaff(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  input: { username: string; displayName: string; branchId: string; roles: Role[]; password?: string },
) {
  await requireBranch(db, input.branchId);
  if (await findStaffByUsername(db, input.username)) throw new AppError('CONFLICT', 'this user name is taken');
  const temporary = input.password ? null : temporaryPassword();
  const roles = splitRoleChange([], input.roles);
  const now = ctx.now().toISOString();
  const id = newId();
  await insertStaff(
    db,
    {
      id,
      username: input.username,
      display_name: input.displayName,
      branch_id: input.branchId,
      password_hash: await hashPassword(input.password ?? temporary ?? '', ctx.config.scryptLogN),
      status: 'active',
      must_change_password: 1,
      totp_secret_enc: null,
      totp_enabled: 0,
      totp_last_step: null,
      created_at: now,
      updated_at: now,
      version: 1,
    },
    roles.now,
  );
  await recordAudit(db, actor, {
    action: 'staff.created',
    target: { type: 'staff', id },
    branchId: input.branchId,
    detail: { username: input.username, roles: roles.now },
  });
  const pending = roles.pending ? await requestRoles(ctx, db, actor, id, roles.pending) : null;
  return {
    staff: toStaffView(await getStaff(db, id)),
    temporaryPassword: temporary,
    pendingRoleRequest: pending ? await roleRequestView(db, pending) : null,
  };
}

/**
 * Changes name, branch, roles or status; disabling ends every session of the account at once. No one
 * changes their own roles or branch; new roles that read medical data wait for a second administrator.
 */
export async function changeStaff(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  expectedVersion: number,
  changes: { displayName?: string; branchId?: string; roles?: Role[]; status?: 'active' | 'disabled' },
) {
  const staff = await getStaff(db, id);
  if (staff.version !== expectedVersion) throw new AppError('PRECONDITION_FAILED');
  if (changes.branchId) await requireBranch(db, changes.branchId);
  if (id === actor.id && (changes.roles !== undefined || changes.branchId !== undefined)) {
    throw new AppError('FORBIDDEN', 'no one changes their own roles or branch: another administrator does');
  }
  if (id === actor.id && changes.status === 'disabled') throw new AppError('CONFLICT', 'you cannot disable yourself');
  const roles = changes.roles ? splitRoleChange(staff.roles, changes.roles) : null;
  const now = ctx.now().toISOString();
  const updated = await updateStaff(db, id, expectedVersion, {
    ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
    ...(changes.branchId !== undefined ? { branch_id: changes.branchId } : {}),
    ...(changes.status !== undefined ? { status: changes.status } : {}),
    updated_at: now,
  });
  if (!updated) throw new AppError('PRECONDITION_FAILED');
  if (roles) await replaceRoles(db, id, roles.now);
  const pending = roles?.pending ? await requestRoles(ctx, db, actor, id, roles.pending) : null;
  const killed = changes.status === 'disabled' ? await revokeStaffSessions(db, id, now) : 0;
  await recordAudit(db, actor, {
    action: changes.status === 'disabled' ? 'staff.disabled' : 'staff.updated',
    target: { type: 'staff', id },
    branchId: changes.branchId ?? staff.branch_id,
    detail: { fields: Object.keys(changes), roles: roles?.now, status: changes.status, sessionsEnded: killed },
  });
  return { ...toStaffView(await getStaff(db, id)), pendingRoleRequest: pending ? await roleRequestView(db, pending) : null };
}

/** Sets a temporary password, to be changed at next sign-in, and ends the account's sessions. */
export async function resetPassword(ctx: AppContext, db: Executor, actor: Actor, id: string) {
  const staff = await getStaff(db, id);
  const temporary = temporaryPassword();
  const now = ctx.now().toISOString();
  await setPasswordHash(db, id, await hashPassword(temporary, ctx.config.scryptLogN), true, now);
  const killed = await revokeStaffSessions(db, id, now);
  await recordAudit(db, actor, {
    action: 'staff.password_reset',
    target: { type: 'staff', id },
    branchId: staff.branch_id,
    detail: { sessionsEnded: killed },
  });
  return { temporaryPassword: temporary };
}

/** Removes an account's TOTP enrolment so it enrols again at next sign-in. */
export async function resetMfa(ctx: AppContext, db: Executor, actor: Actor, id: string) {
  const staff = await getStaff(db, id);
  await setTotpState(db, id, { totp_secret_enc: null, totp_enabled: 0, totp_last_step: null });
  const killed = await revokeStaffSessions(db, id, ctx.now().toISOString());
  await recordAudit(db, actor, {
    action: 'staff.mfa_reset',
    target: { type: 'staff', id },
    branchId: staff.branch_id,
    detail: { sessionsEnded: killed },
  });
  return toStaffView(await getStaff(db, id));
}

/** A branch as other features show it. */
export interface BranchRef {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
}

// Lists show names beside ids: one query per list, never one per row, and never a join into this
// feature's tables (docs/architecture.md).
const distinct = (ids: Iterable<string | null | undefined>): string[] => [
  ...new Set([...ids].filter((id): id is string => typeof id === 'string')),
];

/** The branches of these ids, by id (unknown ids are left out). */
export async function branchesByIds(db: Executor, ids: Iterable<string | null | undefined>): Promise<Map<string, BranchRef>> {
  const rows = await findBranchesByIds(db, distinct(ids));
  return new Map(rows.map((b) => [b.id, { id: b.id, code: b.code, nameZh: b.name_zh, nameEn: b.name_en }]));
}

/** The display names of staff members, by id (unknown and null ids are left out). */
export async function staffNames(db: Executor, ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
  const rows = await findStaffNames(db, distinct(ids));
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** The user and display names of staff members, by id (unknown and null ids are left out). */
export async function staffRefsByIds(
  db: Executor,
  ids: Iterable<string | null | undefined>,
): Promise<Map<string, { id: string; username: string; displayName: string }>> {
  const rows = await findStaffNames(db, distinct(ids));
  return new Map(rows.map((r) => [r.id, { id: r.id, username: r.username, displayName: r.display_name }]));
}

/** The active staff of a branch who hold a role (e.g. any wealth manager for a hotline call-back). */
export async function activeStaffIdsWithRole(db: Executor, branchId: string, role: Role): Promise<string[]> {
  return findActiveStaffIdsWithRole(db, branchId, role);
}

/** The active supervisors of a branch: who is told of its new and overdue work. */
export async function branchSupervisorIds(db: Executor, branchId: string): Promise<string[]> {
  return findActiveStaffIdsWithRole(db, branchId, 'supervisor');
}

/** Every branch, by code. */
export async function branches(db: Executor) {
  const rows = await listBranches(db);
  return { items: rows.map((b) => ({ id: b.id, code: b.code, nameZh: b.name_zh, nameEn: b.name_en })), nextCursor: null };
}
