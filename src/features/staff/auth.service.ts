import { createHash, createHmac } from 'node:crypto';
import { requiresMfa } from '../../domain/roles.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { newId, randomToken } from '../../platform/crypto/ids.js';
import { hashPassword, verifyPassword } from '../../platform/crypto/passwords.js';
import type { Executor } from '../../platform/db/database.js';
import type { Actor, AppContext, Authenticator } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import {
  clearLoginFailures,
  findLoginFailure,
  findSessionByTokenHash,
  insertSession,
  revokeSession,
  saveLoginFailure,
  setSessionStage,
  touchSession,
} from './sessions.repository.js';
import {
  type StaffRecord,
  advanceTotpStep,
  findStaffById,
  findStaffByUsername,
  setPasswordHash,
  setTotpState,
} from './staff.repository.js';
import { agreementValidFor } from './agreements.service.js';
import { checkTotp, newTotpSecret } from './totp.js';

/** Usernames compare case-insensitively and without stray width or spaces. */
export function normaliseUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase();
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The CSRF token of a session: derived from its secret token, so nothing more is stored. */
export function csrfTokenFor(token: string): string {
  return createHmac('sha256', token).update('lifeline-csrf').digest('base64url');
}

const dummyHashes = new Map<number, Promise<string>>();
// Unknown users are checked against a hash of the same cost, so both answers take as long.
function dummyHash(logN: number): Promise<string> {
  let h = dummyHashes.get(logN);
  if (!h) {
    h = hashPassword(randomToken(), logN);
    dummyHashes.set(logN, h);
  }
  return h;
}

/** What a successful sign-in answers (API.md "Staff sessions"). */
export interface LoginResult {
  token: string;
  csrfToken: string;
  staff: StaffRecord;
  mfaEnrolmentRequired: boolean;
}

const totpContext = (staffId: string) => ({ table: 'staff', column: 'totp_secret_enc', rowId: staffId });

function auditActor(staff: StaffRecord, ip: string) {
  return { id: staff.id, username: staff.username, ip };
}

async function recordFailure(ctx: AppContext, db: Executor, username: string, staff: StaffRecord | undefined, ip: string, reason: string) {
  const now = ctx.now();
  const prior = await findLoginFailure(db, username);
  const windowStart = prior && now.getTime() - Date.parse(prior.first_failed_at) < ctx.config.login.lockMs ? prior : undefined;
  const failures = (windowStart?.failures ?? 0) + 1;
  const lock = failures >= ctx.config.login.maxFailures;
  await saveLoginFailure(db, {
    username,
    failures: lock ? 0 : failures,
    first_failed_at: lock ? now.toISOString() : (windowStart?.first_failed_at ?? now.toISOString()),
    locked_until: lock ? new Date(now.getTime() + ctx.config.login.lockMs).toISOString() : null,
  });
  // Unknown user names are not recorded: a mistyped password in the name field must not be kept.
  await recordAudit(
    db,
    staff ? auditActor(staff, ip) : { id: null, username: null, ip },
    {
      action: 'auth.login',
      outcome: 'failure',
      target: staff ? { type: 'staff', id: staff.id } : undefined,
      detail: { reason, locked: lock },
    },
    now,
  );
}

/**
 * Signs a staff member in: uniform 401 for wrong credentials, lockout after repeated failures,
 * TOTP for the roles that need it, a new server-side session storing only a hash of its token.
 */
export async function login(
  ctx: AppContext,
  input: { username: string; password: string; totp?: string },
  client: { ip: string; userAgent: string | null },
): Promise<LoginResult> {
  const now = ctx.now();
  const username = normaliseUsername(input.username);
  const db = ctx.db;
  const failure = await findLoginFailure(db, username);
  if (failure?.locked_until && Date.parse(failure.locked_until) > now.getTime()) {
    const seconds = Math.ceil((Date.parse(failure.locked_until) - now.getTime()) / 1000);
    throw new AppError('LOGIN_LOCKED', undefined, { headers: { 'retry-after': String(seconds) } });
  }
  const staff = await findStaffByUsername(db, username);
  const passwordOk = await verifyPassword(input.password, staff?.password_hash ?? (await dummyHash(ctx.config.scryptLogN)));
  if (!staff || !passwordOk || staff.status !== 'active') {
    const reason = !staff ? 'unknown_user' : !passwordOk ? 'bad_password' : 'disabled';
    // The failure is committed on its own: the request fails, but its record must stay.
    await db.transaction().execute((trx) => recordFailure(ctx, trx, username, staff, client.ip, reason));
    throw new AppError('INVALID_CREDENTIALS');
  }

  let stage: 'full' | 'mfa_enrolment' = 'full';
  if (ctx.config.mfaRequired && requiresMfa(staff.roles)) {
    if (staff.totp_enabled && staff.totp_secret_enc) {
      if (!input.totp) throw new AppError('MFA_REQUIRED');
      const secret = ctx.cipher.decrypt(staff.totp_secret_enc, totpContext(staff.id));
      const check = checkTotp(secret, input.totp, staff.totp_last_step, now);
      if (!check.valid || !(await advanceTotpStep(db, staff.id, check.step))) {
        await db.transaction().execute((trx) => recordFailure(ctx, trx, username, staff, client.ip, 'bad_totp'));
        throw new AppError('MFA_INVALID');
      }
    } else {
      stage = 'mfa_enrolment';
    }
  }
  return db.transaction().execute((trx) => openSession(ctx, trx, staff, stage, username, client));
}

async function openSession(
  ctx: AppContext,
  db: Executor,
  staff: StaffRecord,
  stage: 'full' | 'mfa_enrolment',
  username: string,
  client: { ip: string; userAgent: string | null },
): Promise<LoginResult> {
  const now = ctx.now();
  await clearLoginFailures(db, username);
  const token = randomToken(32);
  const session = {
    id: newId(now.getTime()),
    token_hash: hashToken(token),
    staff_id: staff.id,
    stage,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + ctx.config.session.absoluteMs).toISOString(),
    revoked_at: null,
    ip: client.ip,
    user_agent: client.userAgent?.slice(0, 300) ?? null,
  };
  await insertSession(db, session);
  await recordAudit(
    db,
    auditActor(staff, client.ip),
    {
      action: 'auth.login',
      target: { type: 'session', id: session.id },
      branchId: staff.branch_id,
      detail: { stage },
    },
    now,
  );
  return { token, csrfToken: csrfTokenFor(token), staff, mfaEnrolmentRequired: stage !== 'full' };
}

/** Ends the session of the actor. */
export async function logout(ctx: AppContext, db: Executor, actor: Actor): Promise<void> {
  const now = ctx.now();
  await revokeSession(db, actor.sessionId, now.toISOString());
  await recordAudit(db, actor, { action: 'auth.logout', target: { type: 'session', id: actor.sessionId } }, now);
}

/** Starts TOTP enrolment: a new secret, stored encrypted, not yet active. */
export async function beginTotpEnrolment(ctx: AppContext, db: Executor, actor: Actor): Promise<{ secret: string; uri: string }> {
  const staff = await findStaffById(db, actor.id);
  if (!staff) throw new AppError('UNAUTHENTICATED');
  if (staff.totp_enabled) throw new AppError('CONFLICT', 'a one-time-code app is already enrolled; an administrator can reset it');
  const { secret, uri } = newTotpSecret(staff.username);
  await setTotpState(db, staff.id, {
    totp_secret_enc: ctx.cipher.encrypt(secret, totpContext(staff.id)),
    totp_enabled: 0,
    totp_last_step: null,
  });
  await recordAudit(db, actor, { action: 'auth.mfa.enrolment_started', target: { type: 'staff', id: staff.id } }, ctx.now());
  return { secret, uri };
}

/** Completes TOTP enrolment with a first code; the session becomes a full one. */
export async function confirmTotpEnrolment(ctx: AppContext, db: Executor, actor: Actor, code: string): Promise<void> {
  const staff = await findStaffById(db, actor.id);
  if (!staff?.totp_secret_enc || staff.totp_enabled) throw new AppError('CONFLICT', 'start the enrolment first');
  const secret = ctx.cipher.decrypt(staff.totp_secret_enc, totpContext(staff.id));
  const check = checkTotp(secret, code, null, ctx.now());
  if (!check.valid) throw new AppError('MFA_INVALID');
  await setTotpState(db, staff.id, { totp_secret_enc: staff.totp_secret_enc, totp_enabled: 1, totp_last_step: check.step });
  await setSessionStage(db, actor.sessionId, 'full');
  await recordAudit(db, actor, { action: 'auth.mfa.enrolled', target: { type: 'staff', id: staff.id } }, ctx.now());
}

/** Changes the actor's own password after checking the current one. */
export async function changeOwnPassword(ctx: AppContext, db: Executor, actor: Actor, current: string, next: string): Promise<void> {
  const staff = await findStaffById(db, actor.id);
  if (!staff || !(await verifyPassword(current, staff.password_hash))) throw new AppError('INVALID_CREDENTIALS');
  if (current === next)
    throw new AppError('VALIDATION_FAILED', 'the new password must differ', {
      errors: [{ path: 'body.newPassword', message: 'same as the current password', reason: 'same_as_current' }],
    });
  const now = ctx.now().toISOString();
  await setPasswordHash(db, staff.id, await hashPassword(next, ctx.config.scryptLogN), false, now);
  await recordAudit(db, actor, { action: 'auth.password_changed', target: { type: 'staff', id: staff.id } }, ctx.now());
}

/** The authenticator app.ts wires into the HTTP pipeline. */
export function createAuthenticator(ctx: AppContext): Authenticator {
  return {
    csrfTokenFor,
    async authenticate(token, ip) {
      if (token.length > 200) return { error: 'UNAUTHENTICATED' };
      const now = ctx.now();
      const session = await findSessionByTokenHash(ctx.db, hashToken(token));
      if (!session) return { error: 'UNAUTHENTICATED' };
      const idleDeadline = Date.parse(session.last_seen_at) + ctx.config.session.idleMs;
      if (Date.parse(session.expires_at) <= now.getTime() || idleDeadline <= now.getTime()) {
        await revokeSession(ctx.db, session.id, now.toISOString());
        return { error: 'SESSION_EXPIRED' };
      }
      const staff = await findStaffById(ctx.db, session.staff_id);
      if (staff?.status !== 'active') return { error: 'UNAUTHENTICATED' };
      // One write a minute per session is enough to keep the idle clock honest.
      if (now.getTime() - Date.parse(session.last_seen_at) > 60_000) await touchSession(ctx.db, session.id, now.toISOString());
      return {
        id: staff.id,
        username: staff.username,
        displayName: staff.display_name,
        roles: staff.roles,
        branchId: staff.branch_id,
        sessionId: session.id,
        sessionStage: session.stage,
        mustChangePassword: staff.must_change_password === 1,
        ip,
        // Asked on every request, so a lapsed or newly recorded agreement counts at once.
        agreementValid: await agreementValidFor(ctx, ctx.db, staff.id),
      };
    },
  };
}
