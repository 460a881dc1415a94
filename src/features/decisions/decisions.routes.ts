import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import { DecisionBody, DecisionResponse } from './decisions.schemas.js';
import { createDecider } from './decisions.service.js';

/** Decisions per minute one API key may ask for (10,000 a second): a payment system's peak, with room. */
export const DECISIONS_PER_KEY_PER_MINUTE = 600_000;

/** P7.2: real-time decisions on transactions before they are booked, for payment systems. */
export function decisionsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const decider = createDecider(ctx);
  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/transactions/decisions',
    summary: 'allow / review / hold for one transaction about to be booked (fund safety of registered customers, P7.2)',
    tags: ['transactions'],
    rateLimit: { max: DECISIONS_PER_KEY_PER_MINUTE, timeWindow: '1 minute' },
    auth: 'session',
    permission: 'rules.manage',
    apiKey: 'transactions:decide',
    schema: { body: DecisionBody, response: { 200: DecisionResponse } },
    transaction: 'none',
    // Thousands a second: counted in /metrics instead of two log lines each.
    logLevel: 'warn',
    handler: async ({ db, body, actor }) => decider.decide(db, body, actor),
  });
}
