import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { z } from 'zod';
import type { Permission } from '../../domain/roles.js';
import type { Executor } from '../db/database.js';
import type { ApiClientPrincipal, ApiScope } from './api-key-auth.js';
import type { Actor, AppContext } from './context.js';
import { recordAudit } from '../audit/audit.service.js';
import { AppError } from './errors.js';
import { withIdempotency } from './idempotency.js';
import {
  keepRawJsonBodies,
  type PartnerPrincipal,
  pendingPartnerKeyId,
  recordPartnerSignature,
  verifyPartnerSignature,
} from './partner-auth.js';

/**
 * Who may call a route: a permission of domain/roles.ts, any signed-in user, anyone, or a partner
 * system that signed the request with an active key (`auth: 'partner'`, partner-auth.ts).
 */
export type RouteAccess = Permission | 'authenticated' | 'public' | 'partner';

/** A rate limit for one route, on top of the global one. */
export interface RateLimit {
  max: number;
  timeWindow: string;
}

type Schema = z.ZodType;
interface RouteSchemas {
  params?: Schema;
  querystring?: Schema;
  body?: Schema;
  headers?: Schema;
  response: Record<number, Schema>;
}
type In<S> = S extends Schema ? z.output<S> : undefined;
type Out<R extends Record<number, Schema>> = { [K in keyof R]: z.input<R[K]> }[keyof R];

/**
 * Who calls: on routes that accept API keys either a staff member or an API client, never both;
 * elsewhere the actor as the route's access allows, and no client.
 */
export type Caller<A extends RouteAccess, K extends ApiScope | undefined> = K extends ApiScope
  ? { actor: Actor; client: null } | { actor: null; client: ApiClientPrincipal }
  : { actor: A extends 'partner' ? null : A extends 'public' ? Actor | null : Actor; client: null };

type PartnerOf<A extends RouteAccess> = A extends 'partner' ? PartnerPrincipal : null;

/** What a handler receives: the parsed request, its caller and the database or transaction. */
export type HandlerInput<S extends RouteSchemas, A extends RouteAccess, K extends ApiScope | undefined = undefined> = {
  ctx: AppContext;
  db: Executor;
  /** The partner that signed the request, on `auth: 'partner'` routes. */
  partner: PartnerOf<A>;
  body: In<S['body']>;
  query: In<S['querystring']>;
  params: In<S['params']>;
  req: FastifyRequest;
  reply: FastifyReply;
} & Caller<A, K>;

/**
 * One route, with its pipeline spelled out in the order it runs (DESIGN.md):
 * rate limit → auth → permission → validation → transaction → handler.
 */
export interface RouteSpec<S extends RouteSchemas, A extends RouteAccess, K extends ApiScope | undefined = undefined> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  summary: string;
  tags: string[];
  /**
   * Stricter than the global limit where guessing is a risk (sign-in). On partner routes it is the
   * limit per partner key, applied once the key is known, on top of the per-address one. On
   * routes with `apiKey` it is the limit per API key; sessions there have the global one.
   */
  rateLimit?: RateLimit;
  /** Staff sessions, partner HMAC signatures (permission `partner`), or nothing. */
  auth: 'session' | 'partner' | 'none';
  permission: A;
  /**
   * Also accept `Authorization: Bearer <key>` of an API client holding this scope (api-key-auth.ts),
   * on a session route. Such a request is the client's: no staff permission, no CSRF.
   */
  apiKey?: K;
  /** Allowed before sign-in is complete: while enrolling TOTP or with a password to change. */
  allowDuringSignInSetup?: boolean;
  schema: S;
  /** `write` runs the handler in one transaction, so its audit event commits with its change. */
  transaction: 'none' | 'write';
  /** Creating routes honour `Idempotency-Key` (API.md); needs a session and `write`. */
  idempotent?: boolean;
  /** 201 for creations; 200 otherwise. */
  status?: number;
  /**
   * `warn` drops the two info lines Fastify logs per request, for routes machines call thousands
   * of times a second (their metrics count them); warnings and errors are still logged.
   */
  logLevel?: 'warn';
  handler(input: HandlerInput<S, A, K>): Promise<Out<S['response']>>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    auth?: 'session' | 'partner' | 'none';
    allowDuringSignInSetup?: boolean;
    apiKey?: ApiScope;
  }
  interface FastifyRequest {
    actor: Actor | null;
    partner: PartnerPrincipal | null;
    apiClient: ApiClientPrincipal | null;
  }
}

/**
 * The limit per partner or API key, once the key is known (`keyOf` answers undefined for requests
 * without one: they are not counted here). The address limit before it has already run, and the
 * plugin runs one `rateLimit` hook per request, so this one is counted by hand.
 */
function keyLimit(app: FastifyInstance, limit: RateLimit | undefined, keyOf: (req: FastifyRequest) => string | undefined) {
  const check = app.createRateLimit({ ...(limit ?? {}), keyGenerator: (req) => keyOf(req) ?? req.ip });
  return async (req: FastifyRequest): Promise<void> => {
    if (keyOf(req) === undefined) return;
    const result = await check(req);
    // `isAllowed` only says "on the allow list"; `isExceeded` is the verdict.
    if (!result.isAllowed && result.isExceeded) {
      throw new AppError('RATE_LIMITED', `rate limit of ${result.max} requests per key exceeded`, {
        headers: { 'retry-after': String(result.ttlInSeconds) },
      });
    }
  };
}

/**
 * Records a refused read (P5.4.1: supervision sees probing) in a transaction of its own, since the
 * request's own rolls back with its error; the caller still gets the plain "not found".
 */
async function recordDenial(ctx: AppContext, req: FastifyRequest, denied: { type: string; id: string }, route: string): Promise<void> {
  const who = req.actor
    ? { id: req.actor.id, username: req.actor.username, ip: req.ip }
    : { id: null, username: req.apiClient ? `client:${req.apiClient.name}` : null, ip: req.ip };
  await ctx.db.transaction().execute((trx) =>
    recordAudit(
      trx,
      who,
      {
        action: 'access.denied',
        target: denied,
        branchId: req.actor?.branchId ?? null,
        outcome: 'failure',
        detail: { route, method: req.method },
      },
      ctx.now(),
    ),
  );
}

/** Registers a route on the app with its declared pipeline. */
export function defineRoute<S extends RouteSchemas, A extends RouteAccess, K extends ApiScope | undefined = undefined>(
  app: FastifyInstance,
  ctx: AppContext,
  spec: RouteSpec<S, A, K>,
): void {
  const partner = spec.auth === 'partner';
  if (partner !== (spec.permission === 'partner')) {
    throw new Error(`route ${spec.method} ${spec.url}: auth 'partner' goes with permission 'partner' and only with it`);
  }
  const apiKey = spec.apiKey;
  if (apiKey !== undefined && (spec.auth !== 'session' || spec.idempotent)) {
    throw new Error(`route ${spec.method} ${spec.url}: apiKey goes with auth 'session' and without idempotent`);
  }
  const options: RouteOptions = {
    method: spec.method,
    url: spec.url,
    ...(spec.logLevel ? { logLevel: spec.logLevel } : {}),
    config: {
      auth: spec.auth,
      access: spec.permission,
      allowDuringSignInSetup: spec.allowDuringSignInSetup ?? false,
      ...(apiKey !== undefined ? { apiKey } : {}),
    },
    schema: {
      summary: spec.summary,
      tags: spec.tags,
      ...(spec.schema.params ? { params: spec.schema.params } : {}),
      ...(spec.schema.querystring ? { querystring: spec.schema.querystring } : {}),
      ...(spec.schema.body ? { body: spec.schema.body } : {}),
      ...(spec.schema.headers ? { headers: spec.schema.headers } : {}),
      response: spec.schema.response,
      ...(spec.auth === 'session' ? { security: apiKey !== undefined ? [{ session: [] }, { bearerKey: [] }] : [{ session: [] }] } : {}),
      ...(partner ? { security: [{ partnerHmac: [] }] } : {}),
    },
    onRequest: partner
      ? [
          app.rateLimit({}),
          app.authenticateRequest,
          keyLimit(app, spec.rateLimit, (req) => `partner-key:${pendingPartnerKeyId(req) ?? req.ip}`),
        ]
      : apiKey !== undefined
        ? [
            // A key accepted moments ago is counted per key below, not against its address.
            app.rateLimit({ allowList: (req) => app.apiKeys.recentKeyId(req, apiKey) !== undefined }),
            app.authenticateRequest,
            keyLimit(app, spec.rateLimit, (req) => (req.apiClient ? `api-key:${req.apiClient.keyId}` : undefined)),
          ]
        : [app.rateLimit(spec.rateLimit ?? {}), app.authenticateRequest],
    // The signature covers the raw body, so it is checked once the body is read, before validation.
    ...(partner ? { preValidation: verifyPartnerSignature } : {}),
    handler: async (req, reply) => {
      if (partner ? !req.partner : spec.permission !== 'public' && !req.actor && !req.apiClient) throw new AppError('UNAUTHENTICATED');
      const run = async (db: Executor) => {
        // A signature is accepted once, in the transaction of what it causes (partner-auth.ts).
        if (partner) await recordPartnerSignature(db, req, ctx.now());
        // The auth hook has set an actor or (on apiKey routes only) a client, or a partner on
        // partner routes, and the check above has refused a request with none of them; the zod
        // validator compiler has checked body, query and params against these very schemas.
        const caller = { actor: req.actor, client: req.apiClient } as Caller<A, K>;
        const input: HandlerInput<S, A, K> = {
          ...caller,
          ctx,
          db,
          partner: req.partner as PartnerOf<A>,
          body: req.body as In<S['body']>,
          query: req.query as In<S['querystring']>,
          params: req.params as In<S['params']>,
          req,
          reply,
        };
        return spec.handler(input);
      };
      const status = spec.status ?? 200;
      const guarded = (db: Executor) =>
        spec.idempotent && req.actor ? withIdempotency(db, req, reply, req.actor.id, status, () => run(db), ctx.cipher) : run(db);
      let result: Out<S['response']>;
      try {
        result = spec.transaction === 'write' ? await ctx.db.transaction().execute(guarded) : await guarded(ctx.db);
      } catch (err) {
        if (err instanceof AppError && err.denied) await recordDenial(ctx, req, err.denied, spec.url);
        throw err;
      }
      if (reply.statusCode === 200) reply.code(status);
      return result;
    },
  };
  if (!partner) {
    app.route(options);
    return;
  }
  // Partner routes live in a scope of their own whose JSON parser keeps the raw body.
  app.register(async (scope) => {
    keepRawJsonBodies(scope);
    scope.route(options);
  });
}
