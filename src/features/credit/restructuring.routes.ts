import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import { registerServiceTypeHooks } from '../services/type-hooks.service.js';
import { RequestIdParams, RestructuringPreviewBody, RestructuringView } from './emergency-loan.schemas.js';
import { previewRestructuring, restructuringHooks, restructuringView } from './restructuring.service.js';

const tags = ['credit'];

/** Restructuring (P7.1.1): docs/credit.md "Restructuring". Also plugs the type's hooks into the service engine. */
export function restructuringRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerServiceTypeHooks('restructuring', restructuringHooks);

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/credit/restructuring-preview',
    summary:
      'A proposed restructuring of one of the case customer’s loans: the old and new schedules and the total cost difference; nothing stored',
    tags,
    auth: 'session',
    permission: 'credit.preview',
    schema: { body: RestructuringPreviewBody, response: { 200: RestructuringView } },
    transaction: 'none',
    handler: async ({ db, actor, body }) => previewRestructuring(ctx, db, actor, body),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/service-requests/:id/restructuring',
    summary: 'A restructuring request: the loan’s old and new schedules side by side, the total cost difference, signature and booking',
    tags,
    auth: 'session',
    permission: 'service.read',
    schema: { params: RequestIdParams, response: { 200: RestructuringView } },
    transaction: 'none',
    handler: async ({ db, actor, params }) => restructuringView(ctx, db, actor, params.id),
  });
}
