import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { ifMatchVersion } from '../../platform/http/etag.js';
import { defineRoute } from '../../platform/http/route.js';
import {
  CaseIdParams,
  CaseListQuery,
  CaseListResponse,
  CaseView,
  CaseViewQuery,
  CloseBody,
  ConditionListResponse,
  ConsentBody,
  ConsentIdParams,
  MaintainerBody,
  RegisterBody,
  ReviewBody,
  UpdateBody,
  WithdrawBody,
} from './cases.schemas.js';
import { CaseIdParams as WorkCaseIdParams, PageQuery, TimelineResponse } from '../work/work.schemas.js';
import { caseView, listCases } from './case-view.service.js';
import { conditionCategories } from './cases.service.js';
import { addConsent, withdrawConsent } from './consent.service.js';
import { registerCase } from './registration.service.js';
import { caseTimeline } from './timeline.service.js';
import { assignMaintainer, closeCase, recordReview, updateCase } from './updates.service.js';

const tags = ['cases'];

/** Registration (P2.3.3), consent (PIPL Art. 28–29) and the case file (P5.2–P5.3): docs/cases.md. */
export function casesRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/conditions',
    summary: 'The condition categories of the registration form: the 28 severe and 3 mild conditions of the 2020 standard, and two more',
    tags,
    auth: 'session',
    permission: 'authenticated',
    schema: { response: { 200: ConditionListResponse } },
    transaction: 'none',
    handler: async () => conditionCategories(),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/cases',
    summary: 'Register a confirmed lead as a case (the registration form); needs consent or a recorded legal basis',
    tags,
    auth: 'session',
    permission: 'case.register',
    schema: { body: RegisterBody, response: { 201: CaseView } },
    transaction: 'write',
    idempotent: true,
    status: 201,
    handler: async ({ db, actor, body, reply }) => {
      const view = await registerCase(ctx, db, actor, body);
      reply.header('etag', `"${view.version}"`);
      return view;
    },
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/cases',
    summary: 'The cases of the reader’s branch with filters; summary fields only, never the illness',
    tags,
    auth: 'session',
    permission: 'case.read',
    schema: { querystring: CaseListQuery, response: { 200: CaseListResponse } },
    transaction: 'none',
    handler: async ({ db, actor, query }) => listCases(ctx, db, actor, query),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/cases/:id',
    summary: 'The case file; condition, finances and value history only for entitled readers (inspectors: with ?reason=)',
    tags,
    auth: 'session',
    permission: 'case.read',
    schema: { params: CaseIdParams, querystring: CaseViewQuery, response: { 200: CaseView } },
    // Decrypting the sensitive sections is audited, in the same transaction.
    transaction: 'write',
    handler: async ({ db, actor, params, query, reply }) => {
      const view = await caseView(ctx, db, actor, params.id, query.reason);
      reply.header('etag', `"${view.version}"`);
      return view;
    },
  });

  defineRoute(app, ctx, {
    method: 'PATCH',
    url: '/api/v1/cases/:id',
    summary: 'Change the case file (a new version with who, when, which fields); needs If-Match',
    tags,
    auth: 'session',
    permission: 'case.update',
    schema: { params: CaseIdParams, body: UpdateBody, response: { 200: CaseView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req, reply }) => {
      const view = await updateCase(ctx, db, actor, params.id, ifMatchVersion(req), body);
      reply.header('etag', `"${view.version}"`);
      return view;
    },
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/cases/:id/review',
    summary: 'Record the periodic update of the file (P5.3.1); the reminder starts again',
    tags,
    auth: 'session',
    permission: 'case.update',
    schema: { params: CaseIdParams, body: ReviewBody, response: { 200: CaseView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body }) => recordReview(ctx, db, actor, params.id, body),
  });

  defineRoute(app, ctx, {
    method: 'PUT',
    url: '/api/v1/cases/:id/maintainer',
    summary: 'Designate the colleague of the branch who maintains the file (P5.3.2)',
    tags,
    auth: 'session',
    permission: 'case.register',
    schema: { params: CaseIdParams, body: MaintainerBody, response: { 200: CaseView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body }) => assignMaintainer(ctx, db, actor, params.id, body.staffId),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/cases/:id/close',
    summary: 'Close a case with its reason; the sensitive fields are purged after the retention period',
    tags,
    auth: 'session',
    permission: 'case.register',
    schema: { params: CaseIdParams, body: CloseBody, response: { 200: CaseView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body }) => closeCase(ctx, db, actor, params.id, body),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/cases/:id/consents',
    summary: 'Record a consent: to process health information, or to share it with a named partner',
    tags,
    auth: 'session',
    permission: 'case.update',
    schema: { params: CaseIdParams, body: ConsentBody, response: { 201: CaseView } },
    transaction: 'write',
    idempotent: true,
    status: 201,
    handler: async ({ db, actor, params, body }) => addConsent(ctx, db, actor, params.id, body),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/cases/:id/consents/:consentId/withdraw',
    summary: 'Withdraw a consent, effective at once: sharing stops, the case stays and is flagged',
    tags,
    auth: 'session',
    permission: 'case.update',
    schema: { params: ConsentIdParams, body: WithdrawBody, response: { 200: CaseView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body }) => withdrawConsent(ctx, db, actor, params.id, params.consentId, body),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/cases/:id/timeline',
    summary: 'Everything on a case in order: file events, interactions, tasks; notes only for entitled readers (inspectors: ?reason=)',
    tags: ['work'],
    auth: 'session',
    permission: 'case.read',
    schema: { params: WorkCaseIdParams, querystring: PageQuery, response: { 200: TimelineResponse } },
    transaction: 'write',
    handler: async ({ db, actor, params, query }) => caseTimeline(ctx, db, actor, params.id, query),
  });
}
