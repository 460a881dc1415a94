import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import { AuditListQuery, AuditListResponse, VerifyBody, VerifyResponse } from './audit.schemas.js';
import { pageAuditEvents, verifyAndRecord } from './audit.service.js';

const tags = ['audit'];

/** The audit trail: list events and verify the hash chain (API.md "Audit", P5.4). */
export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/audit/events',
    summary: 'Audit events, newest first: who did what, when, to which record, from where (the read is recorded)',
    tags,
    auth: 'session',
    permission: 'audit.read',
    schema: { querystring: AuditListQuery, response: { 200: AuditListResponse } },
    // A write: the read is itself an audit event, committed with nothing else.
    transaction: 'write',
    handler: async ({ db, actor, query }) => pageAuditEvents(db, actor, query, ctx.now()),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/audit/verify',
    summary: 'Recompute the hash chain; with an anchor, also check an exported head (the check is recorded)',
    tags,
    // It reads the whole chain: a few per minute are plenty.
    rateLimit: { max: 10, timeWindow: '1 minute' },
    auth: 'session',
    permission: 'audit.verify',
    schema: { body: VerifyBody, response: { 200: VerifyResponse } },
    transaction: 'write',
    handler: async ({ db, actor, body }) => verifyAndRecord(db, actor, body?.anchor, ctx.now()),
  });
}
