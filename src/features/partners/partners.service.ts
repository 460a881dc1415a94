import { type AuditActor, recordAudit } from '../../platform/audit/audit.service.js';
import { newId, randomToken } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { PARTNER_REPLAY_WINDOW_SECONDS, type PartnerKeyStore, type PartnerPrincipal } from '../../platform/http/partner-auth.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import { z } from 'zod';
import { createLead } from '../leads/intake.service.js';
import { branches } from '../staff/staff.service.js';
import {
  type PartnerRecord,
  claimReferral,
  findActiveKey,
  findPartnerByCode,
  findPartnerById,
  findReferral,
  insertPartner,
  insertPartnerKey,
  insertSignature,
  listPartners,
  pruneSignatures,
  revokePartnerKey,
  setReferralLead,
  touchPartnerKey,
  updatePartner,
} from './partners.repository.js';
import { type Referral, SHARE_WITH_BANK } from './partners.schemas.js';

/** How many keys a partner may hold at once: enough to rotate (docs/partner-api.md). */
export const MAX_ACTIVE_KEYS = 5;

/** Where a key's secret is stored: the field cipher's associated data binds it to its key id. */
const secretField = (keyId: string) => ({ table: 'partner_keys', column: 'secret_enc', rowId: keyId });

/** The API view of a partner: its keys' ids, state and use, never their secrets. */
export function toPartnerView(p: PartnerRecord) {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    defaultBranchId: p.default_branch_id,
    status: p.status,
    keys: p.keys.map((k) => ({
      keyId: k.id,
      status: k.status,
      createdAt: k.created_at,
      revokedAt: k.revoked_at,
      lastUsedAt: k.last_used_at,
    })),
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    version: p.version,
  };
}

/** One partner, or 404. */
export async function getPartner(db: Executor, id: string): Promise<PartnerRecord> {
  const partner = await findPartnerById(db, id);
  if (!partner) throw new AppError('NOT_FOUND', 'no such partner');
  return partner;
}

const PartnerCursor = z.object({ c: z.string() });

/** A page of partners ordered by code. */
export async function pagePartners(db: Executor, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor, PartnerCursor);
  const rows = await listPartners(db, { afterCode: after?.c, limit: q.limit + 1 });
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return { items: items.map(toPartnerView), nextCursor: rows.length > q.limit && last ? encodeCursor({ c: last.code }) : null };
}

async function requireBranch(db: Executor, branchId: string): Promise<void> {
  const known = (await branches(db)).items.some((b) => b.id === branchId);
  if (!known) {
    throw new AppError('VALIDATION_FAILED', 'unknown branch', {
      errors: [{ path: 'body.defaultBranchId', message: 'no such branch', reason: 'unknown' }],
    });
  }
}

/** Registers a partner hospital (P2.2.2); it has no key until one is issued. */
export async function createPartner(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  input: { code: string; name: string; defaultBranchId: string },
) {
  await requireBranch(db, input.defaultBranchId);
  if (await findPartnerByCode(db, input.code)) throw new AppError('CONFLICT', 'this partner code is taken');
  const now = ctx.now().toISOString();
  const id = newId();
  const inserted = await insertPartner(db, {
    id,
    code: input.code,
    name: input.name,
    default_branch_id: input.defaultBranchId,
    status: 'active',
    created_at: now,
    updated_at: now,
    version: 1,
  });
  if (!inserted) throw new AppError('CONFLICT', 'this partner code is taken');
  await recordAudit(db, actor, {
    action: 'partner.created',
    target: { type: 'partner', id },
    branchId: input.defaultBranchId,
    detail: { code: input.code },
  });
  return toPartnerView(await getPartner(db, id));
}

/** Changes a partner's name, default branch or status; a disabled partner's keys stop working at once. */
export async function changePartner(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  expectedVersion: number,
  changes: { name?: string; defaultBranchId?: string; status?: 'active' | 'disabled' },
) {
  const partner = await getPartner(db, id);
  if (partner.version !== expectedVersion) throw new AppError('PRECONDITION_FAILED');
  if (changes.defaultBranchId !== undefined) await requireBranch(db, changes.defaultBranchId);
  const updated = await updatePartner(db, id, expectedVersion, {
    ...(changes.name !== undefined ? { name: changes.name } : {}),
    ...(changes.defaultBranchId !== undefined ? { default_branch_id: changes.defaultBranchId } : {}),
    ...(changes.status !== undefined ? { status: changes.status } : {}),
    updated_at: ctx.now().toISOString(),
  });
  if (!updated) throw new AppError('PRECONDITION_FAILED');
  await recordAudit(db, actor, {
    action: 'partner.updated',
    target: { type: 'partner', id },
    branchId: changes.defaultBranchId ?? partner.default_branch_id,
    detail: { code: partner.code, fields: Object.keys(changes), status: changes.status },
  });
  return toPartnerView(await getPartner(db, id));
}

/**
 * Issues a key: its id goes in `X-Lifeline-Key`, its secret signs requests. The secret is shown in
 * this answer only; it is stored encrypted because checking a signature needs the secret itself.
 */
export async function issueKey(ctx: AppContext, db: Executor, actor: Actor, partnerId: string) {
  const partner = await getPartner(db, partnerId);
  if (partner.keys.filter((k) => k.status === 'active').length >= MAX_ACTIVE_KEYS) {
    throw new AppError('CONFLICT', `a partner holds at most ${MAX_ACTIVE_KEYS} active keys; revoke one first`);
  }
  const keyId = newId();
  const secret = randomToken(32);
  await insertPartnerKey(db, {
    id: keyId,
    partner_id: partnerId,
    secret_enc: ctx.cipher.encrypt(secret, secretField(keyId)),
    status: 'active',
    created_at: ctx.now().toISOString(),
    created_by: actor.id,
    revoked_at: null,
    last_used_at: null,
  });
  await recordAudit(db, actor, {
    action: 'partner.key_issued',
    target: { type: 'partner', id: partnerId },
    branchId: partner.default_branch_id,
    detail: { code: partner.code, keyId },
  });
  return { keyId, secret };
}

/** Revokes a key at once; revoking a revoked key changes nothing and records nothing. */
export async function revokeKey(ctx: AppContext, db: Executor, actor: Actor, partnerId: string, keyId: string) {
  const partner = await getPartner(db, partnerId);
  if (!partner.keys.some((k) => k.id === keyId)) throw new AppError('NOT_FOUND', 'no such key of this partner');
  if (await revokePartnerKey(db, partnerId, keyId, ctx.now().toISOString())) {
    await recordAudit(db, actor, {
      action: 'partner.key_revoked',
      target: { type: 'partner', id: partnerId },
      branchId: partner.default_branch_id,
      detail: { code: partner.code, keyId },
    });
  }
  return toPartnerView(await getPartner(db, partnerId));
}

/** The partners feature's side of HMAC authentication (platform/http/partner-auth.ts). */
export function createPartnerKeyStore(ctx: AppContext): PartnerKeyStore {
  return {
    async findActiveKey(keyId) {
      const row = await findActiveKey(ctx.db, keyId);
      if (!row) return undefined;
      return {
        principal: { partnerId: row.partner_id, code: row.code, name: row.name, defaultBranchId: row.default_branch_id, keyId: row.key_id },
        secret: ctx.cipher.decrypt(row.secret_enc, secretField(row.key_id)),
      };
    },
    async recordSignature(db, principal, signatureHash, now) {
      await pruneSignatures(db, new Date(now.getTime() - PARTNER_REPLAY_WINDOW_SECONDS * 1000).toISOString());
      if (!(await insertSignature(db, { signature_hash: signatureHash, key_id: principal.keyId, seen_at: now.toISOString() })))
        return false;
      await touchPartnerKey(db, principal.keyId, now.toISOString());
      return true;
    },
  };
}

function notAfter(value: string | undefined, limit: Date, path: string): void {
  if (value !== undefined && Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value) > limit.getTime()) {
    throw new AppError('VALIDATION_FAILED', 'a date lies in the future', {
      errors: [{ path, message: 'must not be in the future', reason: 'future' }],
    });
  }
}

/**
 * Accepts a referral of a partner hospital (P2.2.2) as a lead of the hospital channel. Without the
 * patient's consent to share with the bank it is refused (422); the same referral id of the same
 * partner answers the lead it made the first time, also when two copies arrive at once.
 */
export async function receiveReferral(ctx: AppContext, db: Executor, partner: PartnerPrincipal, body: Referral, ip: string) {
  if (!body.consent.scope.includes(SHARE_WITH_BANK)) {
    throw new AppError('CONSENT_REQUIRED', `the patient's consent scope must include ${SHARE_WITH_BANK}`);
  }
  const now = ctx.now();
  // A day of slack: the hospital's calendar day may already be tomorrow in UTC.
  const today = new Date(now.getTime() + 86_400_000);
  notAfter(body.patient.dateOfBirth, today, 'body.patient.dateOfBirth');
  notAfter(body.condition.diagnosedOn, today, 'body.condition.diagnosedOn');
  notAfter(body.consent.obtainedAt, new Date(now.getTime() + 300_000), 'body.consent.obtainedAt');

  const claim = {
    id: newId(),
    partner_id: partner.partnerId,
    referral_id: body.referralId,
    lead_id: null,
    key_id: partner.keyId,
    received_at: now.toISOString(),
  };
  let leadId: string;
  let referralRecord = claim.id;
  const repeated = !(await claimReferral(db, claim));
  if (repeated) {
    const prior = await findReferral(db, partner.partnerId, body.referralId);
    if (!prior?.lead_id) throw new AppError('CONFLICT', 'this referral is being processed; send it again shortly');
    leadId = prior.lead_id;
    referralRecord = prior.id;
  } else {
    const { patient, condition, consent } = body;
    const lead = await createLead(
      ctx,
      db,
      {
        channel: 'hospital',
        subject: {
          name: patient.name,
          nationalId: patient.nationalId,
          dateOfBirth: patient.dateOfBirth,
          ...(patient.phone !== undefined ? { phone: patient.phone } : {}),
        },
        summary: condition.summary,
        referral: {
          partnerId: partner.partnerId,
          referralId: body.referralId,
          condition: {
            category: condition.category,
            ...(condition.icd10 !== undefined ? { icd10: condition.icd10 } : {}),
            ...(condition.diagnosedOn !== undefined ? { diagnosedOn: condition.diagnosedOn } : {}),
            summary: condition.summary,
          },
          consent: {
            obtainedAt: new Date(consent.obtainedAt).toISOString(),
            scope: [...new Set(consent.scope)],
            evidenceRef: consent.evidenceRef,
          },
        },
      },
      { partner: { id: partner.partnerId, code: partner.code, name: partner.name, defaultBranchId: partner.defaultBranchId, ip } },
    );
    leadId = lead.id;
    await setReferralLead(db, claim.id, leadId);
  }
  const actor: AuditActor = { id: null, username: `partner:${partner.code}`, ip };
  // No patient data: ids only (the referral id may carry a hospital's record number, so not even that).
  await recordAudit(db, actor, {
    action: 'partner.referral_received',
    target: { type: 'lead', id: leadId },
    detail: { partnerId: partner.partnerId, keyId: partner.keyId, referralRecord, repeated },
  });
  return { leadId };
}
