import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { defineRoute } from '../../platform/http/route.js';
import { batchDetail, batchView, pageBatchErrors, pageBatches } from './batches.service.js';
import { findBatch } from './batches.repository.js';
import { UPLOAD_CONTENT_TYPES, formatOfContentType, parserFor } from '../analysis/formats.service.js';
import { ingestStream } from './ingest.service.js';
import {
  BatchErrorsQuery,
  BatchErrorsResponse,
  BatchIdParams,
  BatchListQuery,
  BatchListResponse,
  BatchView,
  UploadQuery,
} from './ingestion.schemas.js';

const tags = ['transactions'];

function isByteStream(body: unknown): body is AsyncIterable<Uint8Array> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

/** P2.2.3: transaction batches (upload, progress, bad rows). */
export function ingestionRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Batch bodies are streamed through the parsers as they arrive, never buffered whole (the JSON
  // body limit does not apply). Only this route reads them: elsewhere such a body stays a 415.
  app.register(async (scope) => {
    scope.addContentTypeParser(UPLOAD_CONTENT_TYPES, (_req, payload, done) => done(null, payload));
    defineRoute(scope, ctx, {
      method: 'POST',
      url: '/api/v1/transactions/batches',
      summary: 'Ingest a transaction file (text/csv, application/x-ndjson or camt.053 XML), streamed; answers the finished batch',
      tags,
      auth: 'session',
      permission: 'transactions.ingest',
      // Core banking sends its files with an API key; operations staff upload from the page.
      apiKey: 'transactions:ingest',
      schema: { querystring: UploadQuery, response: { 201: BatchView } },
      // Each chunk of rows commits on its own with the batch's figures (ingest.service.ts).
      transaction: 'none',
      status: 201,
      handler: async ({ ctx, actor, client, query, req }) => {
        const format = formatOfContentType(req.headers['content-type']);
        if (!format || !isByteStream(req.body)) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send text/csv, application/x-ndjson or application/xml (camt.053)');
        }
        const length = Number(req.headers['content-length']);
        const progress = await ingestStream(ctx, req.body, parserFor(format), {
          source: 'upload',
          name: query.name ?? `upload.${format === 'camt053' ? 'xml' : format}`,
          format,
          createdBy: actor?.id ?? null,
          clientId: client?.id ?? null,
          bytesTotal: Number.isSafeInteger(length) && length > 0 ? length : null,
          auditActor: actor ?? { id: null, username: `apiclient:${client?.name ?? 'unknown'}`, ip: req.ip },
        });
        const batch = await findBatch(ctx.db, progress.batchId);
        if (!batch) throw new AppError('INTERNAL', 'the batch record is gone');
        return batchView(batch);
      },
    });
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/transactions/batches',
    summary: 'Ingestion batches, newest first, with their progress',
    tags,
    auth: 'session',
    permission: 'transactions.read',
    schema: { querystring: BatchListQuery, response: { 200: BatchListResponse } },
    transaction: 'none',
    handler: async ({ db, query }) => pageBatches(db, query),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/transactions/batches/:id',
    summary: 'One batch and its progress',
    tags,
    auth: 'session',
    permission: 'transactions.read',
    schema: { params: BatchIdParams, response: { 200: BatchView } },
    transaction: 'none',
    handler: async ({ db, params }) => batchDetail(db, params.id),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/transactions/batches/:id/errors',
    summary: "A batch's bad rows by line, with the reason each was refused",
    tags,
    auth: 'session',
    permission: 'transactions.read',
    schema: { params: BatchIdParams, querystring: BatchErrorsQuery, response: { 200: BatchErrorsResponse } },
    transaction: 'none',
    handler: async ({ db, params, query }) => pageBatchErrors(db, params.id, query),
  });
}
