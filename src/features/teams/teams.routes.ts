import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import { CaseIdParams, TeamBody, TeamView, WorkloadView } from './teams.schemas.js';
import { assignTeam, teamOfCase, workload } from './teams.service.js';

const tags = ['teams'];

/** The service team (P3.1) and the branch's workload: docs/access.md. */
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
}
