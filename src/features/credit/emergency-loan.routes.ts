import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import { registerServiceTypeHooks } from '../services/type-hooks.service.js';
import { CaseIdParams } from './credit.schemas.js';
import { AssessmentBody, BookingBody, BookingView, EmergencyLoanView, RequestIdParams, ShortfallView } from './emergency-loan.schemas.js';
import { assessLoan, caseShortfall, emergencyLoanHooks, emergencyLoanView, recordBooking } from './emergency-loan.service.js';

const tags = ['credit'];

/** The emergency loan (P4.1): docs/credit.md "Emergency loans". Also plugs the type's hooks into the service engine. */
export function emergencyLoanRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerServiceTypeHooks('emergency_loan', emergencyLoanHooks);

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/cases/:id/emergency-loan/shortfall',
    summary:
      'The case’s cash shortfall (P4.1.1) from its financial section and the customer’s savings, the cap and the most that may be lent',
    tags,
    auth: 'session',
    permission: 'service.request',
    schema: { params: CaseIdParams, response: { 200: ShortfallView } },
    // Reading the finances is audited: the event is written.
    transaction: 'write',
    handler: async ({ db, actor, params }) => caseShortfall(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/service-requests/:id/emergency-loan',
    summary: 'An emergency loan request for its case’s team: terms, shortfall, risk assessment, booking, hours to decision, schedule',
    tags,
    auth: 'session',
    permission: 'service.read',
    schema: { params: RequestIdParams, response: { 200: EmergencyLoanView } },
    transaction: 'write',
    handler: async ({ db, actor, params }) => emergencyLoanView(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/service-requests/:id/credit-assessment',
    summary: 'The case’s risk officer assesses an emergency loan request (recommendation and reason) before a supervisor decides',
    tags,
    auth: 'session',
    permission: 'credit.assess',
    schema: { params: RequestIdParams, body: AssessmentBody, response: { 200: EmergencyLoanView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body }) => assessLoan(ctx, db, actor, params.id, body),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/service-requests/:id/booking',
    summary: 'Core banking’s booking reference of an approved loan or schedule (API key with scope loans:write, or operations); idempotent',
    tags,
    auth: 'session',
    apiKey: 'loans:write',
    permission: 'loan.book',
    schema: { params: RequestIdParams, body: BookingBody, response: { 200: BookingView } },
    transaction: 'write',
    handler: async ({ db, actor, client, params, body, req }) =>
      recordBooking(ctx, db, actor ? { actor, client: null } : { actor: null, client }, params.id, body, req.ip),
  });
}
