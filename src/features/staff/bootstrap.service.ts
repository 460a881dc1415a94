import { ROLES, type Role } from '../../domain/roles.js';
import { newId } from '../../platform/crypto/ids.js';
import { hashPassword } from '../../platform/crypto/passwords.js';
import type { Executor } from '../../platform/db/database.js';
import { ensureRoles, findStaffByUsername, insertStaff, upsertBranch } from './staff.repository.js';
import { listBranches } from './staff.repository.js';
import { temporaryPassword } from './staff.service.js';
import { SYSTEM_ACTOR, recordAudit } from '../../platform/audit/audit.service.js';
import type { AppContext } from '../../platform/http/context.js';

/** Makes sure the roles table holds exactly the roles the code knows (start-up, every time). */
export async function syncRoles(db: Executor): Promise<void> {
  await ensureRoles(
    db,
    ROLES.map((name) => ({ name, description: name.replaceAll('_', ' ') })),
  );
}

/** Creates a branch if its code is new; returns its id. */
export async function ensureBranch(db: Executor, code: string, nameZh: string, nameEn: string, now: Date): Promise<string> {
  await upsertBranch(db, { id: `br-${code.toLowerCase()}`, code, name_zh: nameZh, name_en: nameEn, created_at: now.toISOString() });
  const branch = (await listBranches(db)).find((b) => b.code === code);
  if (!branch) throw new Error(`branch ${code} missing after insert`);
  return branch.id;
}

/** Creates a staff account unless the user name exists; true when it was created. */
export async function ensureStaff(
  db: Executor,
  input: { username: string; displayName: string; branchId: string; roles: Role[]; password: string; mustChangePassword: boolean },
  logN: number,
  now: Date,
): Promise<boolean> {
  if (await findStaffByUsername(db, input.username)) return false;
  await insertStaff(
    db,
    {
      id: newId(now.getTime()),
      username: input.username,
      display_name: input.displayName,
      branch_id: input.branchId,
      password_hash: await hashPassword(input.password, logN),
      status: 'active',
      must_change_password: input.mustChangePassword ? 1 : 0,
      totp_secret_enc: null,
      totp_enabled: 0,
      totp_last_step: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      version: 1,
    },
    input.roles,
  );
  return true;
}

/**
 * Creates the first administrator of an installation, with a temporary password to change at
 * first sign-in; the branch is created when it does not exist. Null when the name is taken.
 */
export async function bootstrapAdmin(ctx: AppContext, username: string, branchCode: string): Promise<string | null> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const branchId =
      (await listBranches(trx)).find((b) => b.code === branchCode)?.id ??
      (await ensureBranch(trx, branchCode, branchCode, branchCode, now));
    const password = temporaryPassword();
    const created = await ensureStaff(
      trx,
      { username, displayName: username, branchId, roles: ['admin'], password, mustChangePassword: true },
      ctx.config.scryptLogN,
      now,
    );
    const staff = created ? await findStaffByUsername(trx, username) : undefined;
    if (!staff) return null;
    await recordAudit(trx, SYSTEM_ACTOR, {
      action: 'staff.created',
      target: { type: 'staff', id: staff.id },
      branchId,
      detail: { username, roles: ['admin'], via: 'bootstrap' },
    });
    return password;
  });
}
