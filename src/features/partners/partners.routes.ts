import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { ifMatchVersion } from '../../platform/http/etag.js';
import { defineRoute } from '../../platform/http/route.js';
import {
  CreatePartnerBody,
  IssuedKeyResponse,
  PartnerIdParams,
  PartnerKeyParams,
  PartnerListQuery,
  PartnerListResponse,
  PartnerSchema,
  ReferralAccepted,
  ReferralBody,
  UpdatePartnerBody,
} from './partners.schemas.js';
import {
  changePartner,
  createPartner,
  getPartner,
  issueKey,
  pagePartners,
  receiveReferral,
  revokeKey,
  toPartnerView,
} from './partners.service.js';

const adminTags = ['partner administration'];

/** Requests per minute one partner key may send (docs/partner-api.md). */
export const PARTNER_KEY_RATE_PER_MINUTE = 120;

/** Partner hospitals (P2.2.2, P9.2): their administration and the HMAC-signed referral API. */
export function partnersRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/admin/partners',
    summary: 'List partner hospitals with their keys (ids, state, last use; never secrets)',
    tags: adminTags,
    auth: 'session',
    permission: 'partner.admin',
    schema: { querystring: PartnerListQuery, response: { 200: PartnerListResponse } },
    transaction: 'none',
    handler: async ({ db, query }) => pagePartners(db, query),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/admin/partners',
    summary: 'Register a partner hospital and the branch its unmatched referrals go to',
    tags: adminTags,
    auth: 'session',
    permission: 'partner.admin',
    schema: { body: CreatePartnerBody, response: { 201: PartnerSchema } },
    transaction: 'write',
    idempotent: true,
    status: 201,
    handler: async ({ db, actor, body, reply }) => {
      const partner = await createPartner(ctx, db, actor, body);
      reply.header('etag', `"${partner.version}"`);
      return partner;
    },
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/admin/partners/:id',
    summary: 'One partner hospital; its ETag guards later changes',
    tags: adminTags,
    auth: 'session',
    permission: 'partner.admin',
    schema: { params: PartnerIdParams, response: { 200: PartnerSchema } },
    transaction: 'none',
    handler: async ({ db, params, reply }) => {
      const partner = await getPartner(db, params.id);
      reply.header('etag', `"${partner.version}"`);
      return toPartnerView(partner);
    },
  });

  defineRoute(app, ctx, {
    method: 'PATCH',
    url: '/api/v1/admin/partners/:id',
    summary: 'Change name, default branch or status (disabling stops every key at once); needs If-Match',
    tags: adminTags,
    auth: 'session',
    permission: 'partner.admin',
    schema: { params: PartnerIdParams, body: UpdatePartnerBody, response: { 200: PartnerSchema } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req, reply }) => {
      const partner = await changePartner(ctx, db, actor, params.id, ifMatchVersion(req), body);
      reply.header('etag', `"${partner.version}"`);
      return partner;
    },
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/admin/partners/:id/keys',
    summary: 'Issue an API key; its secret is in this answer only',
    tags: adminTags,
    auth: 'session',
    permission: 'partner.admin',
    schema: { params: PartnerIdParams, response: { 201: IssuedKeyResponse } },
    transaction: 'write',
    idempotent: true,
    status: 201,
    handler: async ({ db, actor, params }) => issueKey(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/admin/partners/:id/keys/:keyId/revoke',
    summary: 'Revoke an API key at once',
    tags: adminTags,
    auth: 'session',
    permission: 'partner.admin',
    schema: { params: PartnerKeyParams, response: { 200: PartnerSchema } },
    transaction: 'write',
    handler: async ({ db, actor, params, reply }) => {
      const partner = await revokeKey(ctx, db, actor, params.id, params.keyId);
      reply.header('etag', `"${partner.version}"`);
      return partner;
    },
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/partner/referrals',
    summary: 'A partner hospital refers a patient (HMAC-signed, docs/partner-api.md); the same referralId answers the same lead',
    tags: ['partner API'],
    rateLimit: { max: PARTNER_KEY_RATE_PER_MINUTE, timeWindow: '1 minute' },
    auth: 'partner',
    permission: 'partner',
    schema: { body: ReferralBody, response: { 202: ReferralAccepted } },
    transaction: 'write',
    status: 202,
    handler: async ({ db, partner, body, req }) => receiveReferral(ctx, db, partner, body, req.ip),
  });
}
