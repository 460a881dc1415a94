import { likeText } from '../../platform/db/like.js';
import type { Executor } from '../../platform/db/database.js';
import type { Role } from '../../domain/roles.js';
import type { BranchTable, StaffTable } from '../../platform/db/tables/staff.js';

/** A staff row with its roles and branch code. */
export interface StaffRecord extends StaffTable {
  roles: Role[];
  branch_code: string;
}

async function withRoles(db: Executor, rows: (StaffTable & { branch_code: string })[]): Promise<StaffRecord[]> {
  if (rows.length === 0) return [];
  const roles = await db
    .selectFrom('staff_roles')
    .select(['staff_id', 'role'])
    .where(
      'staff_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('role')
    .execute();
  return rows.map((r) => ({
    ...r,
    // staff_roles.role references roles.name, which only holds the roles of domain/roles.ts.
    roles: roles.filter((x) => x.staff_id === r.id).map((x) => x.role as Role),
  }));
}

function staffQuery(db: Executor) {
  return db
    .selectFrom('staff')
    .innerJoin('branches', 'branches.id', 'staff.branch_id')
    .selectAll('staff')
    .select('branches.code as branch_code');
}

export async function findStaffByUsername(db: Executor, username: string): Promise<StaffRecord | undefined> {
  const row = await staffQuery(db).where('staff.username', '=', username).executeTakeFirst();
  return row ? (await withRoles(db, [row]))[0] : undefined;
}

export async function findStaffById(db: Executor, id: string): Promise<StaffRecord | undefined> {
  const row = await staffQuery(db).where('staff.id', '=', id).executeTakeFirst();
  return row ? (await withRoles(db, [row]))[0] : undefined;
}

/** Staff ordered by username, after `afterUsername`, optionally filtered by a name fragment. */
export async function listStaff(
  db: Executor,
  q: { afterUsername?: string; search?: string; branchId?: string; activeOnly?: boolean; limit: number },
): Promise<StaffRecord[]> {
  let query = staffQuery(db);
  if (q.activeOnly) query = query.where('staff.status', '=', 'active');
  if (q.afterUsername) query = query.where('staff.username', '>', q.afterUsername);
  if (q.branchId) query = query.where('staff.branch_id', '=', q.branchId);
  if (q.search) {
    const search = q.search;
    query = query.where((eb) => eb.or([likeText('staff.username', search), likeText('staff.display_name', search)]));
  }
  return withRoles(db, await query.orderBy('staff.username').limit(q.limit).execute());
}

export async function insertStaff(db: Executor, row: StaffTable, roles: readonly Role[]): Promise<void> {
  await db.insertInto('staff').values(row).execute();
  await replaceRoles(db, row.id, roles);
}

export async function replaceRoles(db: Executor, staffId: string, roles: readonly Role[]): Promise<void> {
  await db.deleteFrom('staff_roles').where('staff_id', '=', staffId).execute();
  if (roles.length > 0) {
    await db
      .insertInto('staff_roles')
      .values(roles.map((role) => ({ staff_id: staffId, role })))
      .execute();
  }
}

/** Updates a staff row if it still has `expectedVersion`; false when someone else changed it first. */
export async function updateStaff(
  db: Executor,
  id: string,
  expectedVersion: number,
  changes: Partial<Omit<StaffTable, 'id' | 'version' | 'created_at'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('staff')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Sets the TOTP state of a staff member without touching the admin-visible version. */
export async function setTotpState(
  db: Executor,
  id: string,
  state: Pick<StaffTable, 'totp_secret_enc' | 'totp_enabled' | 'totp_last_step'>,
): Promise<void> {
  await db.updateTable('staff').set(state).where('id', '=', id).execute();
}

/** Records the last accepted TOTP time step only if it is newer, so a code works once. */
export async function advanceTotpStep(db: Executor, id: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('staff')
    .set({ totp_last_step: step })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setPasswordHash(db: Executor, id: string, hash: string, mustChange: boolean, now: string): Promise<void> {
  await db
    .updateTable('staff')
    .set((eb) => ({ password_hash: hash, must_change_password: mustChange ? 1 : 0, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function listBranches(db: Executor): Promise<BranchTable[]> {
  return db.selectFrom('branches').selectAll().orderBy('code').execute();
}

/** The branches of these ids; unknown ids are left out. */
export async function findBranchesByIds(db: Executor, ids: readonly string[]): Promise<BranchTable[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('branches').selectAll().where('id', 'in', ids).execute();
}

/** The active staff of a branch who hold a role. */
export async function findActiveStaffIdsWithRole(db: Executor, branchId: string, role: Role): Promise<string[]> {
  const rows = await db
    .selectFrom('staff')
    .innerJoin('staff_roles', 'staff_roles.staff_id', 'staff.id')
    .select('staff.id')
    .where('staff.branch_id', '=', branchId)
    .where('staff.status', '=', 'active')
    .where('staff_roles.role', '=', role)
    .orderBy('staff.id')
    .execute();
  return rows.map((r) => r.id);
}

/** The names of these staff members; unknown ids are left out. */
export async function findStaffNames(
  db: Executor,
  ids: readonly string[],
): Promise<{ id: string; username: string; display_name: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('staff').select(['id', 'username', 'display_name']).where('id', 'in', ids).execute();
}

export async function findBranch(db: Executor, id: string): Promise<BranchTable | undefined> {
  return db.selectFrom('branches').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function upsertBranch(db: Executor, row: BranchTable): Promise<void> {
  await db
    .insertInto('branches')
    .values(row)
    .onConflict((oc) => oc.column('code').doUpdateSet({ name_zh: row.name_zh, name_en: row.name_en }))
    .execute();
}

export async function ensureRoles(db: Executor, roles: readonly { name: string; description: string }[]): Promise<void> {
  for (const r of roles) {
    await db
      .insertInto('roles')
      .values(r)
      .onConflict((oc) => oc.column('name').doUpdateSet({ description: r.description }))
      .execute();
  }
}
