import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { ifMatchVersion } from '../../platform/http/etag.js';
import { defineRoute } from '../../platform/http/route.js';
import {
  AssignBody,
  CheckBody,
  CreateLeadBody,
  DecisionBody,
  LeadIdParams,
  LeadListQuery,
  LeadListResponse,
  LeadViewQuery,
  LeadViewSchema,
  MatchBody,
  MergeBody,
  ReopenBody,
} from './leads.schemas.js';
import { assignLead, checkLead, decideLead, matchLead, mergeLead, reopenLead } from './verification.service.js';
import { createLead } from './intake.service.js';
import { leadView, pageLeads } from './leads.service.js';

const tags = ['leads'];

/** If-Match is optional on lead steps (the lifecycle refuses stale steps anyway); when sent, it must be current. */
function stepOptions(req: FastifyRequest) {
  return req.headers['if-match'] === undefined ? {} : { expectedVersion: ifMatchVersion(req) };
}

/** Leads (P2.2–P2.3.2): recording, the supervisors' inbox, verification and decisions. */
export function leadsRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/leads',
    summary: 'Record a lead (any staff member, P2.3.1): matched to a customer, given a deadline, linked if a duplicate',
    tags,
    auth: 'session',
    permission: 'lead.create',
    schema: { body: CreateLeadBody, response: { 201: LeadViewSchema } },
    transaction: 'write',
    idempotent: true,
    status: 201,
    handler: async ({ db, actor, body }) => createLead(ctx, db, body, { actor }),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/leads',
    summary: 'Leads the reader may see, earliest deadline first: the branch’s for supervisors, all for inspectors, else own',
    tags,
    auth: 'session',
    permission: 'lead.read',
    schema: { querystring: LeadListQuery, response: { 200: LeadListResponse } },
    transaction: 'none',
    handler: async ({ db, actor, query }) => pageLeads(ctx, db, actor, query),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/leads/:id',
    summary: 'One lead with its match, checks and history; sensitive parts only for entitled readers (audited)',
    tags,
    auth: 'session',
    permission: 'lead.read',
    schema: { params: LeadIdParams, querystring: LeadViewQuery, response: { 200: LeadViewSchema } },
    // Reading the sensitive parts is recorded in the audit trail, which must commit.
    transaction: 'write',
    handler: async ({ db, actor, params, query, reply }) => {
      const view = await leadView(ctx, db, actor, params.id, query.reason);
      reply.header('etag', `"${view.version}"`);
      return view;
    },
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/leads/:id/decision',
    summary: 'Decide on a lead (supervisors of its branch): confirm, reject or duplicate, with a reason',
    tags,
    auth: 'session',
    permission: 'lead.verify',
    schema: { params: LeadIdParams, body: DecisionBody, response: { 200: LeadViewSchema } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req }) => decideLead(ctx, db, actor, params.id, body, stepOptions(req)),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/leads/:id/assign',
    summary: 'Hand the check of a lead to a colleague of its branch',
    tags,
    auth: 'session',
    permission: 'lead.verify',
    schema: { params: LeadIdParams, body: AssignBody, response: { 200: LeadViewSchema } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req }) => assignLead(ctx, db, actor, params.id, body, stepOptions(req)),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/leads/:id/check',
    summary: 'Record the finding of the check one was asked to make (only the assignee)',
    tags,
    auth: 'session',
    permission: 'lead.check',
    schema: { params: LeadIdParams, body: CheckBody, response: { 200: LeadViewSchema } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req }) => checkLead(ctx, db, actor, params.id, body, stepOptions(req)),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/leads/:id/match',
    summary: 'Match a lead to a customer of the branch by hand',
    tags,
    auth: 'session',
    permission: 'lead.verify',
    schema: { params: LeadIdParams, body: MatchBody, response: { 200: LeadViewSchema } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req }) => matchLead(ctx, db, actor, params.id, body, stepOptions(req)),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/leads/:id/merge',
    summary: 'Merge a lead into another open lead about the same customer',
    tags,
    auth: 'session',
    permission: 'lead.verify',
    schema: { params: LeadIdParams, body: MergeBody, response: { 200: LeadViewSchema } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req }) => mergeLead(ctx, db, actor, params.id, body, stepOptions(req)),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/leads/:id/reopen',
    summary: 'Reopen a rejected or duplicate lead, with a reason (never a registered one)',
    tags,
    auth: 'session',
    permission: 'lead.verify',
    schema: { params: LeadIdParams, body: ReopenBody, response: { 200: LeadViewSchema } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req }) => reopenLead(ctx, db, actor, params.id, body, stepOptions(req)),
  });
}
