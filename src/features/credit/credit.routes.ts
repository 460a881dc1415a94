import type { FastifyInstance } from 'fastify';
import { repaymentSchedule } from '../../domain/loan-schedule.js';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import { SchedulePreviewBody, ScheduleView } from './credit.schemas.js';

const tags = ['credit'];

/** Credit care (P4.1, P7.1): docs/credit.md. */
export function creditRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/credit/schedule-preview',
    summary: 'A loan’s repayment schedule, annuity or equal principal, with grace months, in fen (API.md “Loan schedules”)',
    tags,
    auth: 'session',
    permission: 'credit.preview',
    schema: { body: SchedulePreviewBody, response: { 200: ScheduleView } },
    transaction: 'none',
    // A calculation of the figures sent, nothing stored: the body is the whole input.
    handler: async ({ body }) => repaymentSchedule(body),
  });
}
