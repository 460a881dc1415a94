import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import { KpiQuery, KpiView, KpiWorkbook } from './kpis.schemas.js';
import { kpis, kpiWorkbook } from './kpis.service.js';

const tags = ['kpis'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The indicators of P8.2: docs/kpis.md. */
export function kpiRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/kpis',
    summary: 'The indicators of a period for a branch, or every branch (inspectors); a rate with no denominator is null',
    tags,
    auth: 'session',
    permission: 'kpis.read',
    schema: { querystring: KpiQuery, response: { 200: KpiView } },
    transaction: 'none',
    handler: async ({ db, actor, query }) => kpis(ctx, db, actor, query),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/kpis/export',
    summary: 'The same indicators as an XLSX workbook, one sheet per month and branch (locale=zh-CN|en)',
    tags,
    auth: 'session',
    permission: 'kpis.read',
    schema: { querystring: KpiQuery, response: { 200: KpiWorkbook } },
    transaction: 'none',
    handler: async ({ db, actor, query, reply }) => {
      const book = await kpiWorkbook(ctx, db, actor, query);
      reply.type(XLSX).header('content-disposition', `attachment; filename="lifeline-kpis-${query.from}-${query.to}.xlsx"`);
      // A Buffer is sent as it is: Fastify serialises only objects, and the schema names the binary for the document.
      return book as unknown as string;
    },
  });
}
