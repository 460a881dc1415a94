import type { z } from 'zod';
import { validateServiceDetails } from '../../domain/service-catalogue.js';
import { isSummaryLocale, type SummaryLocale } from '../../domain/service-summary.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { withSensitiveReads } from '../../platform/audit/sensitive-read.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { ServiceRequestTable, ServiceSignatureTable } from '../../platform/db/tables/services.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { sniffScanType } from '../../platform/files/scans.js';
import { staffNames } from '../staff/staff.service.js';
import { serviceType } from './catalogue.service.js';
import { voidSignature } from './documents.repository.js';
import type { DetailsChangeBody, SignatureView, SignBody } from './documents.schemas.js';
import { currentSummary, requestInFull, requestToWorkOn, requestWithCase } from './request-access.service.js';
import { checkOwnership, invalid, requestView } from './requests.service.js';
import { findRequest, insertSignature, signaturesOf, updateRequest } from './services.repository.js';

// The customer's electronic signature of a service request (P6.1.2): what is signed is the
// request's rendered summary; the record keeps its SHA-256, and the signature is valid only while
// the request still renders to that hash (docs/service-documents.md).

/** The summary a customer is shown before signing, for anyone who may see the request. */
export async function summaryToSign(ctx: AppContext, db: Executor, actor: Actor, id: string, locale: SummaryLocale) {
  const { r } = await requestWithCase(ctx, db, actor, id);
  return currentSummary(db, r, locale);
}

const localeOf = (s: ServiceSignatureTable): SummaryLocale => (isSummaryLocale(s.locale) ? s.locale : 'zh-CN');

/**
 * Voids the request's valid signatures whose summary no longer matches the request (a change of
 * its details or its documents), each with the reason and an audit event; answers how many.
 */
export async function voidStaleSignatures(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  r: ServiceRequestTable,
  reason: 'request_changed' | 'documents_changed',
): Promise<number> {
  // The request as it is now (the caller may hold the row from before its change).
  const now = (await findRequest(db, r.id)) ?? r;
  let voided = 0;
  const hashes = new Map<SummaryLocale, string>();
  for (const s of await signaturesOf(db, r.id)) {
    if (s.voided_at !== null) continue;
    const locale = localeOf(s);
    const hash = hashes.get(locale) ?? (await currentSummary(db, now, locale)).sha256;
    hashes.set(locale, hash);
    if (hash === s.summary_sha256) continue;
    if (await voidSignature(db, s.id, ctx.now().toISOString(), actor.id, reason)) {
      voided += 1;
      await recordAudit(
        db,
        actor,
        {
          action: 'service.signature_voided',
          target: { type: 'service_request', id: r.id },
          branchId: r.branch_id,
          detail: { signatureId: s.id, reason },
        },
        ctx.now(),
      );
    }
  }
  return voided;
}

/**
 * True when the customer's signature of the request stands: one not voided (a change of the
 * request voids it, so a standing signature is of the request as it is).
 */
export async function isSignedByCustomer(db: Executor, requestId: string): Promise<boolean> {
  return (await signaturesOf(db, requestId)).some((s) => s.voided_at === null);
}

const PNG_PREFIX = 'data:image/png;base64,';

/**
 * Records the customer's signature, witnessed by the staff member signed in: on their device (the
 * pad's PNG) or over video (the session and the spoken consent). The hash the customer was shown
 * must be the request's now (409 otherwise: it changed meanwhile). A new signature supersedes the
 * request's earlier valid ones.
 */
export async function signRequest(ctx: AppContext, db: Executor, actor: Actor, id: string, body: z.output<typeof SignBody>) {
  const { r } = await requestToWorkOn(ctx, db, actor, id);
  const summary = await currentSummary(db, r, body.locale);
  if (summary.sha256 !== body.summarySha256)
    throw new AppError('CONFLICT', 'the request has changed since its summary was shown: show it again and sign again');
  if (body.kind === 'on_device' && sniffScanType(Buffer.from(body.imagePng.slice(PNG_PREFIX.length), 'base64')) !== 'image/png') {
    throw new AppError('VALIDATION_FAILED', 'the signature is not a PNG image', {
      errors: [{ path: 'body.imagePng', message: 'not a PNG image', reason: 'invalid_format' }],
    });
  }
  const now = ctx.now();
  const sid = newId(now.getTime());
  const seal = (column: string, value: string) => ctx.cipher.encrypt(value, { table: 'service_signatures', column, rowId: sid });
  for (const earlier of await signaturesOf(db, r.id)) {
    if (earlier.voided_at === null) await voidSignature(db, earlier.id, now.toISOString(), actor.id, 'superseded');
  }
  await insertSignature(db, {
    id: sid,
    request_id: r.id,
    method: body.kind,
    request_version: r.version,
    summary_sha256: summary.sha256,
    summary_enc: seal('summary_enc', summary.text),
    image_enc: body.kind === 'on_device' ? seal('image_enc', body.imagePng) : null,
    witness_id: actor.id,
    signed_at: now.toISOString(),
    place: body.place ?? null,
    video_session_ref: body.kind === 'remote_video' ? body.videoSessionRef : null,
    spoken_consent_ref: body.kind === 'remote_video' ? body.spokenConsentRef : null,
    voided_at: null,
    void_reason: null,
    voided_by: null,
    locale: body.locale,
  });
  await recordAudit(
    db,
    actor,
    {
      action: 'service.signed',
      target: { type: 'service_request', id: r.id },
      branchId: r.branch_id,
      detail: { signatureId: sid, kind: body.kind, sha256: summary.sha256 },
    },
    now,
  );
  const list = await signatureList(ctx, db, actor, id);
  const signed = list.items.find((s) => s.id === sid);
  if (!signed) throw new AppError('INTERNAL', 'the signature just stored is gone');
  return signed;
}

/**
 * A request's signatures, newest first, with their summaries and images: under the case's full
 * access only, as one audited read. Each says whether it is still valid: voided, or the request
 * no longer renders to the hash signed.
 */
export async function signatureList(ctx: AppContext, db: Executor, actor: Actor, id: string) {
  const { r } = await requestInFull(ctx, db, actor, id);
  const rows = await signaturesOf(db, r.id);
  const names = await staffNames(
    db,
    rows.map((s) => s.witness_id),
  );
  const hashes = new Map<SummaryLocale, string>();
  for (const s of rows) {
    const locale = localeOf(s);
    if (!hashes.has(locale)) hashes.set(locale, (await currentSummary(db, r, locale)).sha256);
  }
  const items = await withSensitiveReads(
    db,
    ctx.cipher,
    actor,
    { target: { type: 'service_request', id: r.id }, branchId: r.branch_id, purpose: 'service_signature' },
    (read) =>
      rows.map((s): z.input<typeof SignatureView> => {
        const plain = read('service_signatures', s.id, { summary_enc: s.summary_enc, image_enc: s.image_enc });
        const locale = localeOf(s);
        const current = hashes.get(locale) ?? '';
        const stale = s.voided_at === null && current !== s.summary_sha256;
        return {
          id: s.id,
          kind: s.method,
          status: s.voided_at === null && !stale ? 'valid' : 'voided',
          voidReason: s.void_reason ?? (stale ? 'request_changed' : null),
          voidedAt: s.voided_at,
          locale,
          summarySha256: s.summary_sha256,
          currentSha256: current,
          summaryText: plain.summary_enc ?? '',
          imagePng: plain.image_enc,
          witness: { id: s.witness_id, displayName: names.get(s.witness_id) ?? '' },
          signedAt: s.signed_at,
          place: s.place,
          videoSessionRef: s.video_session_ref,
          spokenConsentRef: s.spoken_consent_ref,
        };
      }),
  );
  return { requestId: r.id, items };
}

/**
 * Changes the details of an open request (needs the version read: If-Match). They are checked
 * as at creation; the request's signatures no longer match it and are voided (P6.1.2).
 */
export async function changeDetails(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  expectedVersion: number,
  body: z.output<typeof DetailsChangeBody>,
) {
  const { r, facts } = await requestToWorkOn(ctx, db, actor, id);
  if (r.version !== expectedVersion) throw new AppError('PRECONDITION_FAILED');
  const t = await serviceType(db, r.type_code);
  const problems = validateServiceDetails(t.code, body.details);
  if (problems.length > 0)
    throw invalid(
      problems.map((p) => ({ path: `body.details.${p.path}`, message: p.reason, reason: p.reason === 'too_long' ? 'too_big' : p.reason })),
    );
  const owned = await checkOwnership(db, facts.customerId, body.details);
  if (owned.length > 0) throw invalid(owned);
  if (!(await updateRequest(db, r.id, expectedVersion, { details: JSON.stringify(body.details) })))
    throw new AppError('PRECONDITION_FAILED');
  await recordAudit(
    db,
    actor,
    {
      action: 'service.details_changed',
      target: { type: 'service_request', id: r.id },
      branchId: r.branch_id,
      detail: { fields: Object.keys(body.details).sort() },
    },
    ctx.now(),
  );
  await voidStaleSignatures(ctx, db, actor, r, 'request_changed');
  return requestView(ctx, db, actor, r.id);
}
