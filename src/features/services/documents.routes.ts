import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { ifMatchVersion } from '../../platform/http/etag.js';
import { MAX_SCAN_BYTES, SCAN_TYPES } from '../../platform/files/scans.js';
import { defineRoute } from '../../platform/http/route.js';
import { documentList, downloadScan, tickDocument, untickDocument, uploadScan } from './documents.service.js';
import {
  DetailsChangeBody,
  DocumentList,
  ItemParams,
  RequestParams,
  ScanQuery,
  ScanView,
  SignatureList,
  SignatureView,
  SignBody,
  TickBody,
  SummaryQuery,
  SummaryView,
} from './documents.schemas.js';
import { changeDetails, signatureList, signRequest, summaryToSign } from './signatures.service.js';
import { RequestView } from './services.schemas.js';

const tags = ['services'];

/** The body types a scan upload may declare; the bytes decide (documents.service.ts). */
const UPLOAD_TYPES = [...SCAN_TYPES, 'application/octet-stream'];

/** The documents of a service request and the customer's signature (P6.1.1, P6.1.2): docs/service-documents.md. */
export function serviceDocumentsRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/service-requests/:id/documents',
    summary: 'The request’s document checklist: each item’s tick (who, when, evidence) and its scan’s facts',
    tags,
    auth: 'session',
    permission: 'service.read',
    schema: { params: RequestParams, response: { 200: DocumentList } },
    transaction: 'none',
    handler: async ({ db, actor, params }) => documentList(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'PUT',
    url: '/api/v1/service-requests/:id/documents/:code',
    summary: 'Tick a checklist item with the evidence seen (the case’s team and supervisors); audited',
    tags,
    auth: 'session',
    permission: 'service.request',
    schema: { params: ItemParams, body: TickBody, response: { 200: DocumentList } },
    transaction: 'write',
    handler: async ({ db, actor, params, body }) => tickDocument(ctx, db, actor, params.id, params.code, body),
  });

  defineRoute(app, ctx, {
    method: 'DELETE',
    url: '/api/v1/service-requests/:id/documents/:code',
    summary: 'Untick a checklist item (its scan goes with it); audited',
    tags,
    auth: 'session',
    permission: 'service.request',
    schema: { params: ItemParams, response: { 200: DocumentList } },
    transaction: 'write',
    handler: async ({ db, actor, params }) => untickDocument(ctx, db, actor, params.id, params.code),
  });

  // Scans arrive as the raw file (PDF, JPEG or PNG, at most 5 MB): only this route reads such a
  // body, elsewhere it stays a 415. Over the limit Fastify answers 413 before reading it all.
  app.register(async (scope) => {
    scope.addContentTypeParser(UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: MAX_SCAN_BYTES }, (_req, body, done) => done(null, body));
    defineRoute(scope, ctx, {
      method: 'POST',
      url: '/api/v1/service-requests/:id/documents/:code/scan',
      summary: 'Upload the scan of a ticked item (PDF, JPEG or PNG by its bytes, ≤ 5 MB; 415/413 otherwise); stored encrypted',
      tags,
      auth: 'session',
      permission: 'service.request',
      schema: { params: ItemParams, querystring: ScanQuery, response: { 200: DocumentList } },
      transaction: 'write',
      handler: async ({ db, actor, params, query, req }) =>
        uploadScan(ctx, db, actor, params.id, params.code, {
          bytes: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
          contentType: req.headers['content-type'],
          fileName: query.name,
        }),
    });
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/service-requests/:id/documents/:code/scan',
    summary: 'Download an item’s scan (the case’s entitled readers); every download is an audited read',
    tags,
    auth: 'session',
    permission: 'service.read',
    schema: { params: ItemParams, response: { 200: ScanView } },
    // The audit event of the read commits with it.
    transaction: 'write',
    handler: async ({ db, actor, params, reply }) => {
      reply.header('cache-control', 'no-store');
      return downloadScan(ctx, db, actor, params.id, params.code);
    },
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/service-requests/:id/summary',
    summary: 'The summary the customer signs, in a language (?locale=zh-CN|en), and its SHA-256',
    tags,
    auth: 'session',
    permission: 'service.read',
    schema: { params: RequestParams, querystring: SummaryQuery, response: { 200: SummaryView } },
    transaction: 'none',
    handler: async ({ db, actor, params, query }) => summaryToSign(ctx, db, actor, params.id, query.locale),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/service-requests/:id/signatures',
    summary: 'Record the customer’s signature (on the device, or witnessed over video) of the summary shown (409 if it changed)',
    tags,
    auth: 'session',
    permission: 'service.request',
    schema: { params: RequestParams, body: SignBody, response: { 201: SignatureView } },
    transaction: 'write',
    status: 201,
    handler: async ({ db, actor, params, body }) => signRequest(ctx, db, actor, params.id, body),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/service-requests/:id/signatures',
    summary: 'The request’s signatures with their summaries, images and validity (the case’s entitled readers); an audited read',
    tags,
    auth: 'session',
    permission: 'service.read',
    schema: { params: RequestParams, response: { 200: SignatureList } },
    transaction: 'write',
    handler: async ({ db, actor, params, reply }) => {
      reply.header('cache-control', 'no-store');
      return signatureList(ctx, db, actor, params.id);
    },
  });

  defineRoute(app, ctx, {
    method: 'PATCH',
    url: '/api/v1/service-requests/:id',
    summary: 'Change the details of an open request (If-Match); its signatures are voided',
    tags,
    auth: 'session',
    permission: 'service.request',
    schema: { params: RequestParams, body: DetailsChangeBody, response: { 200: RequestView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req, reply }) => {
      const view = await changeDetails(ctx, db, actor, params.id, ifMatchVersion(req), body);
      reply.header('etag', `"${view.version}"`);
      return view;
    },
  });
}
