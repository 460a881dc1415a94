import type { FastifyInstance } from 'fastify';
import { pingDatabase } from '../../platform/db/database.js';
import { Histogram, Registry, collectDefaultMetrics, register as processRegistry } from 'prom-client';
import { z } from 'zod';
import type { AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { defineRoute } from '../../platform/http/route.js';

const tags = ['system'];

/** Health, Prometheus metrics and the OpenAPI document (API.md "Conventions"). */
export function systemRoutes(app: FastifyInstance, ctx: AppContext): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lifeline_' });
  const duration = new Histogram({
    name: 'lifeline_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    // The route pattern, never the raw URL: ids must not become label values.
    const route = req.routeOptions.url ?? 'unmatched';
    duration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/health',
    summary: 'Liveness and database reachability',
    tags,
    auth: 'none',
    permission: 'public',
    schema: { response: { 200: z.object({ status: z.literal('ok') }) } },
    transaction: 'none',
    handler: async ({ db }) => {
      try {
        await pingDatabase(db);
      } catch {
        throw new AppError('SERVICE_UNAVAILABLE', 'the database is not reachable');
      }
      return { status: 'ok' as const };
    },
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/metrics',
    summary: 'Prometheus metrics (no personal data: labels are route patterns and status codes)',
    tags,
    auth: 'none',
    permission: 'public',
    schema: { response: { 200: z.string() } },
    transaction: 'none',
    handler: async ({ reply }) => {
      // Counters that features keep for the whole process (e.g. transaction decisions) live in
      // prom-client's default registry; this app's own metrics in its registry.
      const merged = Registry.merge([registry, processRegistry]);
      reply.type(merged.contentType);
      return merged.metrics();
    },
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/openapi.json',
    summary: 'The OpenAPI 3.1 document, generated from the route schemas',
    tags,
    auth: 'none',
    permission: 'public',
    schema: { response: { 200: z.record(z.string(), z.unknown()) } },
    transaction: 'none',
    handler: async () => {
      // The swagger plugin's document is a plain JSON object.
      return app.swagger() as unknown as Record<string, unknown>;
    },
  });
}
