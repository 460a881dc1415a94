import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import { CustomerIdParams, CustomerPage, RevealBody, RevealResponse, SearchBody, SearchResponse } from './customers.schemas.js';
import { customerPage, findCustomers, revealIdentifiers } from './customer-page.service.js';

const tags = ['customers'];

/** Customer search, the customer page and the audited reveal of identifiers (P5.4). */
export function customersRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/customers/search',
    summary:
      'Find customers by customer number, name, national ID or phone (identifiers only in the body; identifier searches are audited)',
    tags,
    auth: 'session',
    permission: 'customer.read',
    schema: { body: SearchBody, response: { 200: SearchResponse } },
    // An identifier search writes its audit event, which must commit with the request.
    transaction: 'write',
    handler: async ({ db, actor, body }) => findCustomers(ctx, db, actor, body),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/customers/:id',
    summary: 'The customer page: master data with masked identifiers, accounts, loans, holdings and 90 days of cash flow',
    tags,
    auth: 'session',
    permission: 'customer.read',
    schema: { params: CustomerIdParams, response: { 200: CustomerPage } },
    // Decrypting for the masks is a sensitive read, recorded in the audit trail.
    transaction: 'write',
    handler: async ({ db, actor, params }) => customerPage(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/customers/:id/reveal',
    summary: 'The full national ID, phone or address of a customer; audited with the reason (required of inspectors)',
    tags,
    rateLimit: { max: 60, timeWindow: '1 minute' },
    auth: 'session',
    permission: 'customer.reveal',
    schema: { params: CustomerIdParams, body: RevealBody, response: { 200: RevealResponse } },
    transaction: 'write',
    handler: async ({ db, actor, params, body }) => revealIdentifiers(ctx, db, actor, params.id, body),
  });
}
