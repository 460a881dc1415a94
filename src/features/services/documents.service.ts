import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { withSensitiveReads } from '../../platform/audit/sensitive-read.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { ServiceDocumentTable, ServiceRequestTable } from '../../platform/db/tables/services.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { MAX_SCAN_BYTES, SCAN_TYPES, type ScanType, scanUpload, sniffScanType } from '../../platform/files/scans.js';
import { staffNames } from '../staff/staff.service.js';
import { deleteDocument, saveScan } from './documents.repository.js';
import type { DocumentList, ScanView, TickBody } from './documents.schemas.js';
import { voidStaleSignatures } from './signatures.service.js';
import { checklistWithTicks, requestInFull, requestToWorkOn, requestWithCase } from './request-access.service.js';
import { findDocument, saveDocument } from './services.repository.js';

// The documents of a service request (P6.1.1): the checklist, each item ticked with the evidence
// seen by a named staff member, and its scan stored encrypted (docs/service-documents.md).

async function listView(db: Executor, r: ServiceRequestTable): Promise<z.input<typeof DocumentList>> {
  const { items, docs } = await checklistWithTicks(db, r);
  const names = await staffNames(
    db,
    docs.flatMap((d) => [d.ticked_by, d.uploaded_by]),
  );
  const ref = (who: string | null) => (who === null ? null : { id: who, displayName: names.get(who) ?? '' });
  return {
    requestId: r.id,
    reduced: true,
    items: items.map(({ doc, ...d }) => ({
      code: d.code,
      zh: d.zh,
      en: d.en,
      ticked: doc ? { by: ref(doc.ticked_by), at: doc.ticked_at, evidenceRef: doc.evidence_ref } : null,
      scan:
        doc && doc.content_enc !== null && doc.content_type !== null && doc.sha256 !== null
          ? {
              contentType: doc.content_type,
              sizeBytes: doc.size_bytes ?? 0,
              sha256: doc.sha256,
              uploadedBy: ref(doc.uploaded_by),
              uploadedAt: doc.uploaded_at,
            }
          : null,
    })),
  };
}

/** The checklist of a request for anyone who may see the request. */
export async function documentList(ctx: AppContext, db: Executor, actor: Actor, id: string) {
  const { r } = await requestWithCase(ctx, db, actor, id);
  return listView(db, r);
}

async function itemOf(db: Executor, r: ServiceRequestTable, code: string) {
  const { items } = await checklistWithTicks(db, r);
  const item = items.find((i) => i.code === code);
  if (!item) throw new AppError('NOT_FOUND', 'no such item in the request’s checklist');
  return item;
}

/** Ticks an item with the evidence seen (or changes the evidence of a tick); its scan stays. Audited. */
export async function tickDocument(ctx: AppContext, db: Executor, actor: Actor, id: string, code: string, body: z.output<typeof TickBody>) {
  const { r } = await requestToWorkOn(ctx, db, actor, id);
  const item = await itemOf(db, r, code);
  const now = ctx.now().toISOString();
  const row: ServiceDocumentTable = item.doc
    ? { ...item.doc, evidence_ref: body.evidenceRef, ticked_by: actor.id, ticked_at: now }
    : {
        id: newId(ctx.now().getTime()),
        request_id: r.id,
        item_code: code,
        evidence_ref: body.evidenceRef,
        ticked_by: actor.id,
        ticked_at: now,
        file_name_enc: null,
        content_type: null,
        size_bytes: null,
        sha256: null,
        content_enc: null,
        uploaded_by: null,
        uploaded_at: null,
      };
  await saveDocument(db, row);
  await recordAudit(
    db,
    actor,
    {
      action: 'service.document_ticked',
      target: { type: 'service_request', id: r.id },
      branchId: r.branch_id,
      detail: { item: code, again: item.doc !== undefined },
    },
    ctx.now(),
  );
  await voidStaleSignatures(ctx, db, actor, r, 'documents_changed');
  return listView(db, r);
}

/** Unticks an item: its tick and scan go; the audit trail keeps who did it and that a scan went with it. */
export async function untickDocument(ctx: AppContext, db: Executor, actor: Actor, id: string, code: string) {
  const { r } = await requestToWorkOn(ctx, db, actor, id);
  const item = await itemOf(db, r, code);
  if (!item.doc) throw new AppError('CONFLICT', 'the item is not ticked');
  await deleteDocument(db, r.id, code);
  await recordAudit(
    db,
    actor,
    {
      action: 'service.document_unticked',
      target: { type: 'service_request', id: r.id },
      branchId: r.branch_id,
      detail: { item: code, evidenceRef: item.doc.evidence_ref, hadScan: item.doc.content_enc !== null, tickedBy: item.doc.ticked_by },
    },
    ctx.now(),
  );
  await voidStaleSignatures(ctx, db, actor, r, 'documents_changed');
  return listView(db, r);
}

/** The upload's kind from its bytes; the declared type must agree unless it is the generic one. */
export function scanTypeOf(bytes: Uint8Array, declared: string | undefined): ScanType {
  const sniffed = sniffScanType(bytes);
  const claimed = (declared ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!sniffed) throw new AppError('UNSUPPORTED_MEDIA_TYPE', `a scan is one of ${SCAN_TYPES.join(', ')}`);
  if (claimed !== 'application/octet-stream' && claimed !== sniffed)
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'the content is not of the type it is declared as');
  return sniffed;
}

/**
 * Stores the scan of a ticked item, encrypted like every personal field (AAD: the document's row),
 * after the virus-scan seam (platform/files/scans.ts) has accepted it. Audited, never the content.
 */
export async function uploadScan(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  code: string,
  upload: { bytes: Uint8Array; contentType: string | undefined; fileName: string | undefined },
) {
  if (upload.bytes.length > MAX_SCAN_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `a scan is at most ${MAX_SCAN_BYTES} bytes`);
  const type = scanTypeOf(upload.bytes, upload.contentType);
  const { r } = await requestToWorkOn(ctx, db, actor, id);
  const item = await itemOf(db, r, code);
  if (!item.doc) throw new AppError('CONFLICT', 'tick the item before uploading its scan');
  const verdict = await scanUpload(upload.bytes, type);
  if (!verdict.accept) {
    await recordAudit(
      db,
      actor,
      {
        action: 'service.document_refused',
        target: { type: 'service_request', id: r.id },
        branchId: r.branch_id,
        outcome: 'failure',
        detail: { item: code, reason: verdict.reason },
      },
      ctx.now(),
    );
    throw new AppError('VALIDATION_FAILED', 'the virus scanner refused the file', {
      errors: [{ path: 'body', message: verdict.reason, reason: 'not_allowed' }],
    });
  }
  const at = { table: 'service_documents', rowId: item.doc.id };
  const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
  await saveScan(db, item.doc.id, {
    file_name_enc: upload.fileName === undefined ? null : ctx.cipher.encrypt(upload.fileName, { ...at, column: 'file_name_enc' }),
    content_type: type,
    size_bytes: upload.bytes.length,
    sha256,
    content_enc: ctx.cipher.encrypt(Buffer.from(upload.bytes).toString('base64'), { ...at, column: 'content_enc' }),
    uploaded_by: actor.id,
    uploaded_at: ctx.now().toISOString(),
  });
  await recordAudit(
    db,
    actor,
    {
      action: 'service.document_uploaded',
      target: { type: 'service_request', id: r.id },
      branchId: r.branch_id,
      detail: { item: code, contentType: type, sizeBytes: upload.bytes.length, sha256 },
    },
    ctx.now(),
  );
  return listView(db, r);
}

/** Downloads a scan: only under the case's full access, and every download is an audited read. */
export async function downloadScan(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  code: string,
): Promise<z.input<typeof ScanView>> {
  const { r } = await requestInFull(ctx, db, actor, id);
  const doc = await findDocument(db, r.id, code);
  if (!doc || doc.content_enc === null || doc.content_type === null || doc.sha256 === null)
    throw new AppError('NOT_FOUND', 'no scan for this item');
  const { content_enc: content, content_type: contentType, sha256 } = doc;
  return withSensitiveReads(
    db,
    ctx.cipher,
    actor,
    { target: { type: 'service_request', id: r.id }, branchId: r.branch_id, purpose: 'service_document_download' },
    (read) => {
      const plain = read('service_documents', doc.id, { file_name_enc: doc.file_name_enc, content_enc: content }, code);
      return {
        fileName: plain.file_name_enc,
        contentType,
        sizeBytes: doc.size_bytes ?? 0,
        sha256,
        contentBase64: plain.content_enc ?? '',
      };
    },
  );
}
