import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { ifMatchVersion } from '../../platform/http/etag.js';
import { defineRoute } from '../../platform/http/route.js';
import { changeServiceType, serviceTypes, typeView } from './catalogue.service.js';
import { serviceDocumentsRoutes } from './documents.routes.js';
import { caseAccommodations, caseWaivers, feeWaiversInForce, priorityOf, setAccommodations } from './lookups.service.js';
import { caseRequests, createRequest, listRequests, requestView } from './requests.service.js';
import { cancelRequest, completeRequest, decideRequest, reviewRequest, startRequest } from './steps.service.js';
import {
  AccommodationsBody,
  AccommodationsView,
  CancelBody,
  CaseWaiverList,
  CaseIdParams,
  CompleteBody,
  CreateRequestBody,
  CustomerNumberParams,
  DecisionBody,
  FeeWaiverList,
  PriorityView,
  RequestIdParams,
  RequestList,
  RequestListQuery,
  RequestView,
  ServiceTypeChangeBody,
  ServiceTypeList,
  ServiceTypeView,
  TypeCodeParams,
} from './services.schemas.js';

const tags = ['services'];

/** A step may carry If-Match: then a step taken meanwhile by someone else is a 412, never overwritten. */
const versionOf = (req: Parameters<typeof ifMatchVersion>[0]) => (req.headers['if-match'] === undefined ? undefined : ifMatchVersion(req));

/** The exclusive services (P4) and how fast they are delivered (P6): docs/services.md. */
export function servicesRoutes(app: FastifyInstance, ctx: AppContext): void {
  serviceDocumentsRoutes(app, ctx);
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/service-types',
    summary: 'The service catalogue: each service with its owner, approval, standard and priority times and documents',
    tags,
    auth: 'session',
    permission: 'service.read',
    schema: { response: { 200: ServiceTypeList } },
    transaction: 'none',
    handler: async ({ db }) => ({ items: (await serviceTypes(db)).map(typeView) }),
  });

  defineRoute(app, ctx, {
    method: 'PATCH',
    url: '/api/v1/admin/service-types/:code',
    summary: 'Change a service type (admins); switch it off, never delete it; needs If-Match',
    tags,
    auth: 'session',
    permission: 'service.admin',
    schema: { params: TypeCodeParams, body: ServiceTypeChangeBody, response: { 200: ServiceTypeView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req, reply }) => {
      const t = await changeServiceType(ctx, db, actor, params.code, ifMatchVersion(req), body);
      reply.header('etag', `"${t.version}"`);
      return t;
    },
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/cases/:id/service-requests',
    summary: 'Request a service for the case’s customer (its team and its branch’s supervisors)',
    tags,
    auth: 'session',
    permission: 'service.request',
    schema: { params: CaseIdParams, body: CreateRequestBody, response: { 201: RequestView } },
    transaction: 'write',
    idempotent: true,
    status: 201,
    handler: async ({ db, actor, params, body }) => createRequest(ctx, db, actor, params.id, body),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/cases/:id/service-requests',
    summary: 'The service requests of a case (no notes)',
    tags,
    auth: 'session',
    permission: 'service.read',
    schema: { params: CaseIdParams, response: { 200: RequestList } },
    transaction: 'none',
    handler: async ({ db, actor, params }) => caseRequests(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/service-requests',
    summary:
      'Service requests by due time: the branch’s (supervisors, inspectors) or those of one’s cases; ?view=mine|approval, ?overdue=true',
    tags,
    auth: 'session',
    permission: 'service.read',
    schema: { querystring: RequestListQuery, response: { 200: RequestList } },
    transaction: 'none',
    handler: async ({ db, actor, query }) => listRequests(ctx, db, actor, query),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/service-requests/:id',
    summary: 'One service request with its steps and checklist; notes only for the case’s entitled readers',
    tags,
    auth: 'session',
    permission: 'service.read',
    schema: { params: RequestIdParams, response: { 200: RequestView } },
    // Reading the notes is an audited read, in the same transaction.
    transaction: 'write',
    handler: async ({ db, actor, params, reply }) => {
      const view = await requestView(ctx, db, actor, params.id);
      reply.header('etag', `"${view.version}"`);
      return view;
    },
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/service-requests/:id/review',
    summary: 'A supervisor takes the request into review',
    tags,
    auth: 'session',
    permission: 'service.decide',
    schema: { params: RequestIdParams, response: { 200: RequestView } },
    transaction: 'write',
    handler: async ({ db, actor, params, req }) => reviewRequest(ctx, db, actor, params.id, versionOf(req)),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/service-requests/:id/decision',
    summary: 'Approve or reject: a supervisor of the branch other than the requester (409 FOUR_EYES)',
    tags,
    auth: 'session',
    permission: 'service.decide',
    schema: { params: RequestIdParams, body: DecisionBody, response: { 200: RequestView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req }) => decideRequest(ctx, db, actor, params.id, body, versionOf(req)),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/service-requests/:id/start',
    summary: 'Work on the service begins',
    tags,
    auth: 'session',
    permission: 'service.request',
    schema: { params: RequestIdParams, response: { 200: RequestView } },
    transaction: 'write',
    handler: async ({ db, actor, params, req }) => startRequest(ctx, db, actor, params.id, versionOf(req)),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/service-requests/:id/complete',
    summary: 'The service is delivered, with its outcome; the follow-up call is dated',
    tags,
    auth: 'session',
    permission: 'service.request',
    schema: { params: RequestIdParams, body: CompleteBody, response: { 200: RequestView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req }) => completeRequest(ctx, db, actor, params.id, body, versionOf(req)),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/service-requests/:id/cancel',
    summary: 'Withdraw the request, with a reason (the requester or a supervisor)',
    tags,
    auth: 'session',
    permission: 'service.request',
    schema: { params: RequestIdParams, body: CancelBody, response: { 200: RequestView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req }) => cancelRequest(ctx, db, actor, params.id, body, versionOf(req)),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/cases/:id/accommodations',
    summary: 'What the branch does for the customer at the counter (P6.2.1)',
    tags,
    auth: 'session',
    permission: 'service.read',
    schema: { params: CaseIdParams, response: { 200: AccommodationsView } },
    transaction: 'none',
    handler: async ({ db, actor, params }) => caseAccommodations(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'PUT',
    url: '/api/v1/cases/:id/accommodations',
    summary: 'Record the accommodations the branch makes for the customer (the case’s team and supervisors)',
    tags,
    auth: 'session',
    permission: 'service.request',
    schema: { params: CaseIdParams, body: AccommodationsBody, response: { 200: AccommodationsView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body }) => setAccommodations(ctx, db, actor, params.id, body.codes),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/cases/:id/fee-waivers',
    summary: 'The fee waivers of a case, in force or not (P4.2.1)',
    tags,
    auth: 'session',
    permission: 'service.read',
    schema: { params: CaseIdParams, response: { 200: CaseWaiverList } },
    transaction: 'none',
    handler: async ({ db, actor, params }) => caseWaivers(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/customers/:customerNumber/fee-waivers',
    summary: 'Core banking: the approved fee waivers in force today (API key with scope waivers:read); nothing else',
    tags,
    auth: 'session',
    apiKey: 'waivers:read',
    permission: 'service.read',
    schema: { params: CustomerNumberParams, response: { 200: FeeWaiverList } },
    transaction: 'none',
    handler: async ({ db, params }) => feeWaiversInForce(ctx, db, params.customerNumber),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/priority/:customerNumber',
    summary:
      'Branch queue: whether the customer goes to the priority window, and the accommodations (API key with scope priority:read); never medical information',
    tags,
    auth: 'session',
    apiKey: 'priority:read',
    permission: 'service.read',
    schema: { params: CustomerNumberParams, response: { 200: PriorityView } },
    transaction: 'none',
    logLevel: 'warn',
    handler: async ({ db, params }) => priorityOf(db, params.customerNumber),
  });
}
