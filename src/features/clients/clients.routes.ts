import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import {
  ApiClientSchema,
  ClientIdParams,
  ClientKeyParams,
  ClientListQuery,
  ClientListResponse,
  CreateClientBody,
  IssuedKeyResponse,
} from './clients.schemas.js';
import { clientView, createClient, issueKey, pageClients, revokeKey, setClientStatus } from './clients.service.js';

const tags = ['API client administration'];
const base = '/api/v1/admin/api-clients';

/** API clients (other bank systems) and their bearer keys (docs/decisions-api.md). */
export function clientsRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: base,
    summary: 'List API clients with their keys (prefix, state, last use; never a key)',
    tags,
    auth: 'session',
    permission: 'apiclient.admin',
    schema: { querystring: ClientListQuery, response: { 200: ClientListResponse } },
    transaction: 'none',
    handler: async ({ db, query }) => pageClients(db, query),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: base,
    summary: 'Register another bank system as an API client with its scopes',
    tags,
    auth: 'session',
    permission: 'apiclient.admin',
    schema: { body: CreateClientBody, response: { 201: ApiClientSchema } },
    transaction: 'write',
    idempotent: true,
    status: 201,
    handler: async ({ db, actor, body }) => createClient(ctx, db, actor, body),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: `${base}/:id`,
    summary: 'One API client with its keys',
    tags,
    auth: 'session',
    permission: 'apiclient.admin',
    schema: { params: ClientIdParams, response: { 200: ApiClientSchema } },
    transaction: 'none',
    handler: async ({ db, params }) => clientView(db, params.id),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: `${base}/:id/disable`,
    summary: 'Disable a client: none of its keys is accepted any more (within 10 s)',
    tags,
    auth: 'session',
    permission: 'apiclient.admin',
    schema: { params: ClientIdParams, response: { 200: ApiClientSchema } },
    transaction: 'write',
    handler: async ({ db, actor, params }) => setClientStatus(ctx, db, actor, params.id, 'disabled'),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: `${base}/:id/enable`,
    summary: 'Enable a disabled client again (its keys that are not revoked work again)',
    tags,
    auth: 'session',
    permission: 'apiclient.admin',
    schema: { params: ClientIdParams, response: { 200: ApiClientSchema } },
    transaction: 'write',
    handler: async ({ db, actor, params }) => setClientStatus(ctx, db, actor, params.id, 'active'),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: `${base}/:id/keys`,
    summary: 'Issue a bearer key; the key is in this answer only',
    tags,
    auth: 'session',
    permission: 'apiclient.admin',
    schema: { params: ClientIdParams, response: { 201: IssuedKeyResponse } },
    transaction: 'write',
    idempotent: true,
    status: 201,
    handler: async ({ db, actor, params }) => issueKey(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: `${base}/:id/keys/:keyId/revoke`,
    summary: 'Revoke a key (refused everywhere within 10 s)',
    tags,
    auth: 'session',
    permission: 'apiclient.admin',
    schema: { params: ClientKeyParams, response: { 200: ApiClientSchema } },
    transaction: 'write',
    handler: async ({ db, actor, params }) => revokeKey(ctx, db, actor, params.id, params.keyId),
  });
}
