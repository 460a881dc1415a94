import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { ifMatchVersion } from '../../platform/http/etag.js';
import { defineRoute } from '../../platform/http/route.js';
import { IncidentBody, IncidentChangeBody, IncidentIdParams, IncidentList, IncidentListQuery, IncidentView } from './incidents.schemas.js';
import { changeIncident, incidentView, listIncidents, recordIncident } from './incidents.service.js';
import {
  ProcedureBody,
  RequestIdParams,
  RequestProcedureView,
  StepParams,
  TypeCodeParams,
  TypeProcedureView,
} from './procedures.schemas.js';
import { completeStep, publishProcedure, registerProcedureHooks, requestProcedure, typeProcedure } from './procedures.service.js';

const tags = ['procedures'];

/** P7.3.1: service procedures, their steps on each request, and the operational-incident log (docs/procedures.md). */
export function proceduresRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerProcedureHooks();

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/service-types/:code/procedure',
    summary: 'The procedure in force for a service type (steps, roles, control steps) and its earlier versions',
    tags,
    auth: 'session',
    permission: 'service.read',
    schema: { params: TypeCodeParams, response: { 200: TypeProcedureView } },
    transaction: 'none',
    handler: async ({ db, params, reply }) => {
      const view = await typeProcedure(db, params.code);
      reply.header('etag', `"${view.version ?? 0}"`);
      return view;
    },
  });

  defineRoute(app, ctx, {
    method: 'PUT',
    url: '/api/v1/admin/service-types/:code/procedure',
    summary: 'Publish a new version of a service type’s procedure (admins); old versions are kept; needs If-Match',
    tags,
    auth: 'session',
    permission: 'service.admin',
    schema: { params: TypeCodeParams, body: ProcedureBody, response: { 200: TypeProcedureView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req, reply }) => {
      const view = await publishProcedure(ctx, db, actor, params.code, ifMatchVersion(req), body);
      reply.header('etag', `"${view.version ?? 0}"`);
      return view;
    },
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/service-requests/:id/procedure',
    summary: 'A request’s procedure: its steps, who took each and when, and which the reader may take',
    tags,
    auth: 'session',
    permission: 'service.read',
    schema: { params: RequestIdParams, response: { 200: RequestProcedureView } },
    // The first read pins the request to the version in force when it was made.
    transaction: 'write',
    handler: async ({ db, actor, params }) => requestProcedure(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/service-requests/:id/procedure-steps/:step/complete',
    summary: 'Take a step of a request’s procedure: a holder of its role, in order; a control step not by its maker',
    tags,
    auth: 'session',
    permission: 'service.request',
    schema: { params: StepParams, response: { 200: RequestProcedureView } },
    transaction: 'write',
    handler: async ({ db, actor, params }) => completeStep(ctx, db, actor, params.id, params.step),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/incidents',
    summary: 'Operational incidents of the reader’s branch (inspectors: every branch), most recently found first',
    tags,
    auth: 'session',
    permission: 'incident.read',
    schema: { querystring: IncidentListQuery, response: { 200: IncidentList } },
    transaction: 'none',
    handler: async ({ db, actor, query }) => listIncidents(db, actor, query),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/incidents',
    summary: 'Record an operational incident of one’s branch, linked to a service request or case',
    tags,
    auth: 'session',
    permission: 'incident.record',
    schema: { body: IncidentBody, response: { 201: IncidentView } },
    transaction: 'write',
    idempotent: true,
    status: 201,
    handler: async ({ db, actor, body, reply }) => {
      const view = await recordIncident(ctx, db, actor, body);
      reply.header('etag', `"${view.version}"`);
      return view;
    },
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/incidents/:id',
    summary: 'One operational incident with its texts (an audited read)',
    tags,
    auth: 'session',
    permission: 'incident.read',
    schema: { params: IncidentIdParams, response: { 200: IncidentView } },
    // Reading the texts is an audited read, in the same transaction.
    transaction: 'write',
    handler: async ({ db, actor, params, reply }) => {
      const view = await incidentView(ctx, db, actor, params.id);
      reply.header('etag', `"${view.version}"`);
      return view;
    },
  });

  defineRoute(app, ctx, {
    method: 'PATCH',
    url: '/api/v1/incidents/:id',
    summary: 'Follow an incident up: root cause, corrective action, owner, status; needs If-Match',
    tags,
    auth: 'session',
    permission: 'incident.record',
    schema: { params: IncidentIdParams, body: IncidentChangeBody, response: { 200: IncidentView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req, reply }) => {
      const view = await changeIncident(ctx, db, actor, params.id, ifMatchVersion(req), body);
      reply.header('etag', `"${view.version}"`);
      return view;
    },
  });
}
