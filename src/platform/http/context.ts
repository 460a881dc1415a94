import type { Config } from '../../config/config.js';
import { dayOf } from '../../domain/case-rules.js';
import type { Role } from '../../domain/roles.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Db, Dialect } from '../db/database.js';

/** What every feature needs from the process: configuration, database and keys. */
export interface AppContext {
  readonly config: Config;
  readonly db: Db;
  readonly dialect: Dialect;
  readonly cipher: FieldCipher;
  /** The clock; tests move it to check time-outs. */
  now(): Date;
}

/** The signed-in staff member a request acts for. */
export interface Actor {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly branchId: string;
  readonly sessionId: string;
  readonly sessionStage: 'full' | 'mfa_enrolment';
  /** A temporary password (new account, admin reset) must be changed before any other work. */
  readonly mustChangePassword: boolean;
  readonly ip: string;
  /**
   * Whether a confidentiality agreement (P5.4.2) is in force today, computed per request by the
   * authenticator. Only `false` withholds sensitive data: actors made by hand in tests and jobs leave it out.
   */
  readonly agreementValid?: boolean;
}

/** Resolves a session token to its actor; the auth feature provides it, app.ts wires it in. */
export interface Authenticator {
  authenticate(token: string, ip: string): Promise<Actor | { error: 'UNAUTHENTICATED' | 'SESSION_EXPIRED' }>;
  /** The CSRF token that belongs to a session token. */
  csrfTokenFor(token: string): string;
}

export const SESSION_COOKIE = 'lifeline_session';

/** The bank's calendar day of an instant (now by default), on its clock (LIFELINE_UTC_OFFSET_MINUTES). */
export function bankDay(ctx: Pick<AppContext, 'config' | 'now'>, at: Date = ctx.now()): string {
  return dayOf(at, ctx.config.businessHours.offsetMinutes);
}
