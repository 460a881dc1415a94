import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import { CaseIdParams } from './services.schemas.js';
import { PreviewBody, WealthPlanView } from './wealth.schemas.js';
import { previewWealthPlan, wealthPlan } from './wealth.service.js';

const tags = ['services'];

/** Wealth re-planning (P4.3.1): docs/wealth-replanning.md. */
export function wealthRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/cases/:id/wealth-plan',
    summary: 'The customer’s allocation by risk level, the moves the capital-preservation rule proposes and the allocation after them',
    tags,
    auth: 'session',
    permission: 'service.request',
    schema: { params: CaseIdParams, response: { 200: WealthPlanView } },
    transaction: 'none',
    handler: async ({ db, actor, params }) => wealthPlan(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/cases/:id/wealth-plan/preview',
    summary: 'The allocations before and after adjusted moves (each ≤ its holding, to a conservative level below it); changes nothing',
    tags,
    auth: 'session',
    permission: 'service.request',
    schema: { params: CaseIdParams, body: PreviewBody, response: { 200: WealthPlanView } },
    transaction: 'none',
    handler: async ({ db, actor, params, body }) => previewWealthPlan(ctx, db, actor, params.id, body),
  });
}
