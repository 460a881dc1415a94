import type { Executor } from '../../platform/db/database.js';
import type { LoginFailureTable, SessionTable } from '../../platform/db/tables/staff.js';

export async function insertSession(db: Executor, row: SessionTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** The live (not revoked) session with this token hash. */
export async function findSessionByTokenHash(db: Executor, tokenHash: string): Promise<SessionTable | undefined> {
  return db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
}

export async function touchSession(db: Executor, id: string, now: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function setSessionStage(db: Executor, id: string, stage: SessionTable['stage']): Promise<void> {
  await db.updateTable('sessions').set({ stage }).where('id', '=', id).execute();
}

export async function revokeSession(db: Executor, id: string, now: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

/** Revokes every live session of a staff member; returns how many there were. */
export async function revokeStaffSessions(db: Executor, staffId: string, now: string): Promise<number> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('staff_id', '=', staffId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function findLoginFailure(db: Executor, username: string): Promise<LoginFailureTable | undefined> {
  return db.selectFrom('login_failures').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function saveLoginFailure(db: Executor, row: LoginFailureTable): Promise<void> {
  await db
    .insertInto('login_failures')
    .values(row)
    .onConflict((oc) =>
      oc.column('username').doUpdateSet({ failures: row.failures, first_failed_at: row.first_failed_at, locked_until: row.locked_until }),
    )
    .execute();
}

export async function clearLoginFailures(db: Executor, username: string): Promise<void> {
  await db.deleteFrom('login_failures').where('username', '=', username).execute();
}
