import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import { listBreakGlass, requestBreakGlass, reviewBreakGlass } from './break-glass.service.js';
import {
  BreakGlassBody,
  CaseIdParams,
  GrantIdParams,
  GrantListQuery,
  GrantListResponse,
  GrantView,
  ReviewBody,
} from './case-access.schemas.js';

// Published under the 'teams' tag, where they were first served.
const tags = ['teams'];

/** Need-to-know's break glass (P5.4.1): docs/access.md. */
export function caseAccessRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/cases/:id/break-glass',
    summary: 'Emergency access to a case’s sensitive sections with a written reason; time-limited and flagged for review',
    tags,
    auth: 'session',
    permission: 'breakglass.request',
    schema: { params: CaseIdParams, body: BreakGlassBody, response: { 201: GrantView } },
    transaction: 'write',
    status: 201,
    handler: async ({ db, actor, params, body }) => requestBreakGlass(ctx, db, actor, params.id, body.reason),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/break-glass',
    summary: 'Break-glass grants to review: the branch’s (supervisors) or all (inspectors)',
    tags,
    auth: 'session',
    permission: 'breakglass.review',
    schema: { querystring: GrantListQuery, response: { 200: GrantListResponse } },
    transaction: 'none',
    handler: async ({ db, actor, query }) => listBreakGlass(ctx, db, actor, query),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/break-glass/:id/review',
    summary: 'Mark a break-glass grant reviewed, with a note',
    tags,
    auth: 'session',
    permission: 'breakglass.review',
    schema: { params: GrantIdParams, body: ReviewBody, response: { 200: GrantView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body }) => reviewBreakGlass(ctx, db, actor, params.id, body.note),
  });
}
