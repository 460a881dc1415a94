import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Permission } from '../../domain/roles.js';
import type { Executor } from '../db/database.js';
import type { Actor, AppContext } from './context.js';
import { AppError } from './errors.js';
import { withIdempotency } from './idempotency.js';

/** Who may call a route: a permission of domain/roles.ts, any signed-in user, or anyone. */
export type RouteAccess = Permission | 'authenticated' | 'public';

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
  actor: A extends 'public' ? Actor | null : Actor;
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
  /** Stricter than the global limit where guessing is a risk (sign-in). */
  rateLimit?: RateLimit;
  /** Sessions only for now; partners and bank systems get their own schemes. */
  auth: 'session' | 'none';
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
    auth?: 'session' | 'none';
    allowDuringSignInSetup?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/** Registers a route on the app with its declared pipeline. */
export function defineRoute<S extends RouteSchemas, A extends RouteAccess>(
  app: FastifyInstance,
  ctx: AppContext,
  spec: RouteSpec<S, A>,
): void {
  app.route({
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
    },
    onRequest: [app.rateLimit(spec.rateLimit ?? {}), app.authenticateRequest],
    handler: async (req, reply) => {
      if (spec.permission !== 'public' && !req.actor) throw new AppError('UNAUTHENTICATED');
      // The zod validator compiler has checked body, query and params against these very schemas.
      const run = (db: Executor) =>
        spec.handler({
          ctx,
          db,
          // The permission hook has refused anonymous callers of non-public routes above.
          actor: req.actor as HandlerInput<S, A>['actor'],
          body: req.body as In<S['body']>,
          query: req.query as In<S['querystring']>,
          params: req.params as In<S['params']>,
          req,
          reply,
        });
      const status = spec.status ?? 200;
      const guarded = (db: Executor) =>
        spec.idempotent && req.actor ? withIdempotency(db, req, reply, req.actor.id, status, () => run(db), ctx.cipher) : run(db);
      const result = spec.transaction === 'write' ? await ctx.db.transaction().execute(guarded) : await guarded(ctx.db);
      if (reply.statusCode === 200) reply.code(status);
      return result;
    },
  });
}
