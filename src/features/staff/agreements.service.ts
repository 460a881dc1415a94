import { agreementValidOn } from '../../domain/access.js';
import { addDays } from '../../domain/case-rules.js';
import { type AuditActor, recordAudit } from '../../platform/audit/audit.service.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import { type Actor, type AppContext, bankDay } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { hasAgreementOn, insertAgreement, latestAgreements } from './agreements.repository.js';
import { listStaff, type StaffRecord } from './staff.repository.js';
import { getStaff } from './staff.service.js';

// Confidentiality agreements (P5.4.2): without one in force, no sensitive data is served (docs/access.md).

/** True when the staff member has an agreement in force today. */
export async function agreementValidFor(ctx: AppContext, db: Executor, staffId: string): Promise<boolean> {
  return hasAgreementOn(db, staffId, bankDay(ctx));
}

/** One signed agreement. */
export interface AgreementInput {
  version: string;
  signedOn: string;
  expiresOn: string;
}

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { errors: [{ path, message }] });
}

/** Every staff member, of every branch, in username order. */
async function allStaff(db: Executor): Promise<StaffRecord[]> {
  const out: StaffRecord[] = [];
  for (;;) {
    const page = await listStaff(db, { afterUsername: out.at(-1)?.username, limit: 500 });
    out.push(...page);
    if (page.length < 500) return out;
  }
}

async function storeAgreement(ctx: AppContext, db: Executor, by: string | null, staffId: string, input: AgreementInput) {
  const id = newId(ctx.now().getTime());
  await insertAgreement(db, {
    id,
    staff_id: staffId,
    version: input.version,
    signed_on: input.signedOn,
    expires_on: input.expiresOn,
    recorded_at: ctx.now().toISOString(),
    recorded_by: by,
  });
  return {
    id,
    staffId,
    version: input.version,
    signedOn: input.signedOn,
    expiresOn: input.expiresOn,
    valid: agreementValidOn(input, bankDay(ctx)),
  };
}

/** Records a staff member's signed agreement (admins); audited. */
export async function recordAgreement(ctx: AppContext, db: Executor, actor: Actor, staffId: string, input: AgreementInput) {
  await getStaff(db, staffId);
  if (input.expiresOn < input.signedOn) throw invalid('body.expiresOn', 'must not be before signedOn');
  if (input.signedOn > bankDay(ctx)) throw invalid('body.signedOn', 'cannot be in the future');
  const out = await storeAgreement(ctx, db, actor.id, staffId, input);
  await recordAudit(
    db,
    actor,
    {
      action: 'agreement.recorded',
      target: { type: 'staff', id: staffId },
      detail: { agreementId: out.id, version: input.version, signedOn: input.signedOn, expiresOn: input.expiresOn },
    },
    ctx.now(),
  );
  return out;
}

/** Records an agreement on set-up (the demo seed, test fixtures): no session, no audit event of a person. */
export async function seedAgreement(ctx: AppContext, db: Executor, staffId: string, input: AgreementInput, by: AuditActor | null = null) {
  return storeAgreement(ctx, db, by?.id ?? null, staffId, input);
}

const DEMO_AGREEMENT_DAYS = 730;

/** Gives the named (demo) users an agreement from today for two years. */
export async function seedDemoAgreements(ctx: AppContext, db: Executor, usernames: readonly string[]): Promise<void> {
  if (usernames.length === 0) return;
  const wanted = new Set(usernames);
  const today = bankDay(ctx);
  for (const s of await allStaff(db)) {
    if (!wanted.has(s.username)) continue;
    await storeAgreement(ctx, db, null, s.id, { version: 'demo-2026', signedOn: today, expiresOn: addDays(today, DEMO_AGREEMENT_DAYS) });
  }
}

/** The active staff without an agreement in force today, with their latest one if any. */
export async function missingAgreements(ctx: AppContext, db: Executor) {
  const staff = (await allStaff(db)).filter((s) => s.status === 'active');
  const latest = await latestAgreements(
    db,
    staff.map((s) => s.id),
  );
  const today = bankDay(ctx);
  const items = [];
  for (const s of staff) {
    const a = latest.get(s.id);
    if (a && agreementValidOn({ signedOn: a.signed_on, expiresOn: a.expires_on }, today)) continue;
    items.push({
      staffId: s.id,
      username: s.username,
      displayName: s.display_name,
      branchCode: s.branch_code,
      roles: s.roles,
      latest: a ? { version: a.version, signedOn: a.signed_on, expiresOn: a.expires_on } : null,
    });
  }
  return { items };
}
