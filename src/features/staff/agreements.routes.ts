import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import { AgreementBody, AgreementStaffParams, AgreementView, MissingAgreementsResponse } from './agreements.schemas.js';
import { agreementValidFor, missingAgreements, recordAgreement } from './agreements.service.js';

// Published under the 'teams' tag since they were first served with the team's need-to-know.
const tags = ['teams'];

/** Confidentiality agreements (P5.4.2): docs/access.md. */
export function agreementsRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/agreements/mine',
    summary: 'Whether the reader’s confidentiality agreement is in force (pages say why sensitive data is withheld)',
    tags,
    auth: 'session',
    permission: 'authenticated',
    schema: { response: { 200: z.object({ valid: z.boolean() }) } },
    transaction: 'none',
    handler: async ({ db, actor }) => ({ valid: await agreementValidFor(ctx, db, actor.id) }),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/admin/staff/:id/agreements',
    summary: 'Record a staff member’s signed confidentiality agreement (P5.4.2)',
    tags,
    auth: 'session',
    permission: 'agreement.admin',
    schema: { params: AgreementStaffParams, body: AgreementBody, response: { 201: AgreementView } },
    transaction: 'write',
    idempotent: true,
    status: 201,
    handler: async ({ db, actor, params, body }) => recordAgreement(ctx, db, actor, params.id, body),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/admin/agreements/missing',
    summary: 'Active staff without a confidentiality agreement in force today',
    tags,
    auth: 'session',
    permission: 'agreement.admin',
    schema: { response: { 200: MissingAgreementsResponse } },
    transaction: 'none',
    handler: async ({ db }) => missingAgreements(ctx, db),
  });
}
