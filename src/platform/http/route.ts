import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { z } from 'zod';
import type { Permission } from '../../domain/roles.js';
import type { Executor } from '../db/database.js';
import type { Actor, AppContext } from './context.js';
import { AppError } from './errors.js';
import { withIdempotency } from './idempotency.js';
import {
  type PartnerPrincipal,
  keepRawJsonBodies,
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

/** What a handler receives: the parsed request, its actor and the database or transaction. */
export interface HandlerInput<S extends RouteSchemas, A extends RouteAccess> {
  ctx: AppContext;
  db: Executor;
  actor: A extends 'partner' ? null : A extends 'public' ? Actor | null : Actor;
  /** The partner that signed the request, on `auth: 'partner'` routes. */
  partner: A extends 'partner' ? PartnerPrincipal : null;
  body: In<S['body']>;
  query: In<S['querystring']>;
  params: In<S['params']>;
  req: FastifyRequest;
  reply: FastifyReply;
}

/**
 * One route, with its pipeline spelled out in the order it runs (DESIGN.md):
 * rate limit → auth → permission → validation → transaction → handler.
 */
export interface RouteSpec<S extends RouteSchemas, A extends RouteAccess> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  summary: string;
  tags: string[];
  /**
   * Stricter than the global limit where guessing is a risk (sign-in). On partner routes it is the
   * limit per partner key, applied once the key is known, on top of the per-address one.
   */
  rateLimit?: RateLimit;
  /** Staff sessions, partner HMAC signatures (permission `partner`), or nothing. */
  auth: 'session' | 'partner' | 'none';
  permission: A;
  /** Allowed before sign-in is complete: while enrolling TOTP or with a password to change. */
  allowDuringSignInSetup?: boolean;
  schema: S;
  /** `write` runs the handler in one transaction, so its audit event commits with its change. */
  transaction: 'none' | 'write';
  /** Creating routes honour `Idempotency-Key` (API.md); needs a session and `write`. */
  idempotent?: boolean;
  /** 201 for creations; 200 otherwise. */
  status?: number;
  handler(input: HandlerInput<S, A>): Promise<Out<S['response']>>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    auth?: 'session' | 'partner' | 'none';
    allowDuringSignInSetup?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    partner: PartnerPrincipal | null;
  }
}

/**
 * The limit per partner key, once the key is known. The address limit before it has already run,
 * and the plugin runs one `rateLimit` hook per request, so this one is counted by hand.
 */
function partnerKeyLimit(app: FastifyInstance, limit: RateLimit | undefined) {
  const check = app.createRateLimit({ ...(limit ?? {}), keyGenerator: (req) => `partner-key:${pendingPartnerKeyId(req) ?? req.ip}` });
  return async (req: FastifyRequest): Promise<void> => {
    const result = await check(req);
    // `isAllowed` only says "on the allow list"; `isExceeded` is the verdict.
    if (!result.isAllowed && result.isExceeded) {
      throw new AppError('RATE_LIMITED', `rate limit of ${result.max} requests per key exceeded`, {
        headers: { 'retry-after': String(result.ttlInSeconds) },
      });
    }
  };
}

/** Registers a route on the app with its declared pipeline. */
export function defineRoute<S extends RouteSchemas, A extends RouteAccess>(
  app: FastifyInstance,
  ctx: AppContext,
  spec: RouteSpec<S, A>,
): void {
  const partner = spec.auth === 'partner';
  if (partner !== (spec.permission === 'partner')) {
    throw new Error(`route ${spec.method} ${spec.url}: auth 'partner' goes with permission 'partner' and only with it`);
  }
  const options: RouteOptions = {
    method: spec.method,
    url: spec.url,
    config: {
      auth: spec.auth,
      access: spec.permission,
      allowDuringSignInSetup: spec.allowDuringSignInSetup ?? false,
    },
    schema: {
      summary: spec.summary,
      tags: spec.tags,
      ...(spec.schema.params ? { params: spec.schema.params } : {}),
      ...(spec.schema.querystring ? { querystring: spec.schema.querystring } : {}),
      ...(spec.schema.body ? { body: spec.schema.body } : {}),
      ...(spec.schema.headers ? { headers: spec.schema.headers } : {}),
      response: spec.schema.response,
      ...(spec.auth === 'session' ? { security: [{ session: [] }] } : {}),
      ...(partner ? { security: [{ partnerHmac: [] }] } : {}),
    },
    onRequest: partner
      ? [app.rateLimit({}), app.authenticateRequest, partnerKeyLimit(app, spec.rateLimit)]
      : [app.rateLimit(spec.rateLimit ?? {}), app.authenticateRequest],
    // The signature covers the raw body, so it is checked once the body is read, before validation.
    ...(partner ? { preValidation: verifyPartnerSignature } : {}),
    handler: async (req, reply) => {
      if (partner ? !req.partner : spec.permission !== 'public' && !req.actor) throw new AppError('UNAUTHENTICATED');
      // The zod validator compiler has checked body, query and params against these very schemas.
      const run = async (db: Executor) => {
        // A signature is accepted once, in the transaction of what it causes (partner-auth.ts).
        if (partner) await recordPartnerSignature(db, req, ctx.now());
        return spec.handler({
          ctx,
          db,
          // The permission hook has refused anonymous callers of non-public routes above.
          actor: req.actor as HandlerInput<S, A>['actor'],
          // Checked just above: a partner route has its verified partner, other routes have null.
          partner: req.partner as HandlerInput<S, A>['partner'],
          body: req.body as In<S['body']>,
          query: req.query as In<S['querystring']>,
          params: req.params as In<S['params']>,
          req,
          reply,
        });
      };
      const status = spec.status ?? 200;
      const guarded = (db: Executor) =>
        spec.idempotent && req.actor ? withIdempotency(db, req, reply, req.actor.id, status, () => run(db), ctx.cipher) : run(db);
      const result = spec.transaction === 'write' ? await ctx.db.transaction().execute(guarded) : await guarded(ctx.db);
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
