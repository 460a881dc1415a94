import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { ifMatchVersion } from '../../platform/http/etag.js';
import { defineRoute } from '../../platform/http/route.js';
import {
  AlertIdParams,
  AlertListQuery,
  AlertListResponse,
  AlertView,
  AlertViewQuery,
  CaseIdParams,
  ContactBody,
  MetricsQuery,
  MetricsResponse,
  ResolveBody,
  VerifyBody,
} from './alerts.schemas.js';
import { alertMetrics, alertView, caseAlerts, pageAlerts } from './alerts.service.js';
import { contactAlert, resolveAlert, verifyAlert } from './workflow.service.js';

const tags = ['alerts'];

/** If-Match is optional on alert steps (the lifecycle refuses stale steps anyway); when sent, it must be current. */
function stepOptions(req: FastifyRequest) {
  return req.headers['if-match'] === undefined ? {} : { expectedVersion: ifMatchVersion(req) };
}

function withEtag<T extends { version: number }>(reply: FastifyReply, view: T): T {
  reply.header('etag', `"${view.version}"`);
  return view;
}

/** P7.2.1: fund-safety alerts and their workflow (docs/alerts.md). */
export function alertsRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/alerts',
    summary: 'Fund-safety alerts the reader may see (their branch, need-to-know; inspectors every branch), open and oldest first',
    tags,
    auth: 'session',
    permission: 'alert.read',
    schema: { querystring: AlertListQuery, response: { 200: AlertListResponse } },
    transaction: 'none',
    handler: async ({ db, actor, query }) => pageAlerts(ctx, db, actor, query),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/alerts/metrics',
    summary: 'Alerts raised in [from, to): counts by status and resolution, median and p90 minutes to contact and to resolve',
    tags,
    auth: 'session',
    permission: 'alert.read',
    schema: { querystring: MetricsQuery, response: { 200: MetricsResponse } },
    transaction: 'none',
    handler: async ({ db, actor, query }) => alertMetrics(ctx, db, actor, query),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/alerts/:id',
    summary: 'One alert with its evidence: the flagged transaction, the 30 days of outflows before it, the rules and their numbers',
    tags,
    auth: 'session',
    permission: 'alert.read',
    schema: { params: AlertIdParams, querystring: AlertViewQuery, response: { 200: AlertView } },
    // Reading the notes is audited, in the same transaction.
    transaction: 'write',
    handler: async ({ db, actor, params, query, reply }) => withEtag(reply, await alertView(ctx, db, actor, params.id, query.reason)),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/alerts/:id/contact',
    summary: 'Record a contact with the customer about the alert (reached: the alert is contacted; not reached: it stays open)',
    tags,
    auth: 'session',
    permission: 'alert.work',
    schema: { params: AlertIdParams, body: ContactBody, response: { 200: AlertView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req, reply }) =>
      withEtag(reply, await contactAlert(ctx, db, actor, params.id, body, stepOptions(req))),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/alerts/:id/verify',
    summary: 'Record that the flagged transaction was verified with the customer',
    tags,
    auth: 'session',
    permission: 'alert.work',
    schema: { params: AlertIdParams, body: VerifyBody, response: { 200: AlertView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req, reply }) =>
      withEtag(reply, await verifyAlert(ctx, db, actor, params.id, body, stepOptions(req))),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/alerts/:id/resolve',
    summary: 'Resolve a verified alert: legitimate, fraud or escalated, with a note',
    tags,
    auth: 'session',
    permission: 'alert.work',
    schema: { params: AlertIdParams, body: ResolveBody, response: { 200: AlertView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req, reply }) =>
      withEtag(reply, await resolveAlert(ctx, db, actor, params.id, body, stepOptions(req))),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/cases/:id/alerts',
    summary: 'The fund-safety alerts of one case, for its page (need-to-know as for every alert)',
    tags,
    auth: 'session',
    permission: 'alert.read',
    schema: { params: CaseIdParams, response: { 200: AlertListResponse.pick({ items: true }) } },
    transaction: 'none',
    handler: async ({ db, actor, params }) => caseAlerts(ctx, db, actor, params.id),
  });
}
