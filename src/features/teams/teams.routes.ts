import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import {
  BreakGlassBody,
  CaseIdParams,
  GrantIdParams,
  GrantListQuery,
  GrantListResponse,
  GrantView,
  ReviewBody,
  TeamBody,
  TeamView,
  WorkloadView,
} from './teams.schemas.js';
import { assignTeam, listBreakGlass, requestBreakGlass, reviewBreakGlass, teamOfCase, workload } from './teams.service.js';

const tags = ['teams'];

/** The service team (P3.1), need-to-know's break glass (P5.4.1): docs/access.md. */
export function teamsRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/cases/:id/team',
    summary: 'The case’s current service team',
    tags,
    auth: 'session',
    permission: 'case.read',
    schema: { params: CaseIdParams, response: { 200: TeamView } },
    transaction: 'none',
    handler: async ({ db, actor, params }) => teamOfCase(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'PUT',
    url: '/api/v1/cases/:id/team',
    summary: 'Set the case’s service team (supervisors of its branch): staff of the branch in the five roles, one primary customer manager',
    tags,
    auth: 'session',
    permission: 'team.assign',
    schema: { params: CaseIdParams, body: TeamBody, response: { 200: TeamView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body }) => assignTeam(ctx, db, actor, params.id, body.members),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/teams/workload',
    summary: 'Open cases by role and overdue work of each case worker of the supervisor’s branch',
    tags,
    auth: 'session',
    permission: 'team.assign',
    schema: { response: { 200: WorkloadView } },
    transaction: 'none',
    handler: async ({ db, actor }) => workload(ctx, db, actor),
  });

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
