import fastifyCookie from '@fastify/cookie';
import helmet from 'helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { hasPermission } from '../../domain/roles.js';
import { DecryptionError } from '../crypto/field-cipher.js';
import { redactPaths } from '../logging/redact.js';
import { serializeRequest } from '../logging/request-log.js';
import { ApiKeyAuthenticator, type ApiKeyStore, type ApiScope, hasAuthorization } from './api-key-auth.js';
import { type AppContext, type Authenticator, SESSION_COOKIE } from './context.js';
import { AppError, ERRORS, type ErrorCode, FIELD_REASONS, type FieldError, problemOf } from './errors.js';
import { authenticatePartnerHeaders, type PartnerKeyStore } from './partner-auth.js';
import type { RouteAccess } from './route.js';

declare module 'fastify' {
  interface FastifyInstance {
    authenticateRequest(req: FastifyRequest): Promise<void>;
    /** Bearer keys of API clients, for routes declared with `apiKey`. */
    apiKeys: ApiKeyAuthenticator;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The longest path segment accepted, in characters as sent (percent-encoded). */
export const MAX_SEGMENT = 200;

/** Whether a URL's path has a segment over MAX_SEGMENT characters; the query is not looked at. */
export function hasOverlongSegment(url: string): boolean {
  const q = url.indexOf('?');
  const pathPart = q < 0 ? url : url.slice(0, q);
  if (pathPart.length <= MAX_SEGMENT) return false;
  return pathPart.split('/').some((segment) => segment.length > MAX_SEGMENT);
}

/** The stable reason of a Zod issue (fastify-type-provider-zod puts the issue's code in `keyword`, the rest in `params`). */
export function reasonOfIssue(keyword: unknown, message: string, params: Record<string, unknown>): Pick<FieldError, 'reason' | 'limit'> {
  const bound = (v: unknown) => (typeof v === 'number' || typeof v === 'bigint' ? { limit: Number(v) } : {});
  switch (keyword) {
    case 'invalid_type':
      return { reason: /received (undefined|null)$/.test(message) ? 'required' : 'invalid_type' };
    case 'too_small':
      return { reason: 'too_small', ...bound(params.minimum) };
    case 'too_big':
      return { reason: 'too_big', ...bound(params.maximum) };
    case 'invalid_format':
      return { reason: 'invalid_format' };
    case 'invalid_value':
    case 'invalid_union':
    case 'invalid_key':
      return { reason: 'invalid_value' };
    case 'unrecognized_keys':
      return { reason: 'not_allowed' };
    case 'custom': {
      // A refine may name its reason: `.refine(check, { message, params: { reason: 'order' } })`.
      const named = (params.params as Record<string, unknown> | undefined)?.reason; // params of a custom issue are the refine's own
      return { reason: FIELD_REASONS.find((r) => r === named) ?? 'invalid' };
    }
    default:
      return { reason: 'invalid' };
  }
}

function fieldErrors(err: FastifyError): FieldError[] {
  // Zod (fastify-type-provider-zod) and Ajv validation errors both carry instancePath and message.
  return (err.validation ?? []).map((v) => {
    const message = v.message ?? 'invalid';
    return {
      path: [
        err.validationContext,
        ...String(v.instancePath ?? '')
          .split('/')
          .filter(Boolean),
      ]
        .filter(Boolean)
        .join('.'),
      message,
      ...reasonOfIssue(v.keyword, message, v.params ?? {}),
    };
  });
}

function codeForFrameworkError(err: FastifyError): ErrorCode {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'PAYLOAD_TOO_LARGE';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'MALFORMED_BODY';
    case 'FST_ERR_BAD_URL':
      return 'VALIDATION_FAILED';
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return 'URI_TOO_LONG';
    default:
      break;
  }
  const status = err.statusCode ?? 500;
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 414) return 'URI_TOO_LONG';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 405) return 'METHOD_NOT_ALLOWED';
  if (status >= 400 && status < 500) return 'MALFORMED_BODY';
  return 'INTERNAL';
}

/**
 * Constraint and data errors of either database that bad input or a race can cause (two creates
 * of the same name at once, text PostgreSQL cannot store): answered 409/400, never a 500.
 */
function databaseErrorCode(err: object): ErrorCode | undefined {
  const code = 'code' in err && typeof err.code === 'string' ? err.code : '';
  if (['23505', '23503', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_FOREIGNKEY'].includes(code)) {
    return 'CONFLICT';
  }
  // SQLSTATE class 22 is "data exception" (bad encoding, out of range, too long); 23514 a CHECK.
  if (/^22[0-9A-Z]{3}$/.test(code) || code === '23514' || code === 'SQLITE_CONSTRAINT_CHECK') return 'VALIDATION_FAILED';
  return undefined;
}

/** One route of an app as registered: what route sweeps, the OpenAPI test and the permission audit enumerate. */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess | undefined;
  /** The scope with which an API client's bearer key is accepted too (route.ts `apiKey`). */
  readonly apiKey: ApiScope | undefined;
  readonly schema: { readonly body: boolean; readonly params: boolean; readonly querystring: boolean; readonly response: boolean };
}

const routeRegistry = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route registered on an app made by createHttpApp, HEAD routes included, in registration order. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return routeRegistry.get(app) ?? [];
}

/**
 * The logger of the app: whatever the caller chose (level, stream), always with the redaction of
 * credentials and the request serializer that logs route patterns instead of raw URLs.
 */
function loggerOptions(given: FastifyServerOptions['logger'], level: string): FastifyServerOptions['logger'] {
  if (given === false) return false;
  const options = given === undefined || given === true ? { level } : given;
  return {
    ...options,
    serializers: { ...options.serializers, req: serializeRequest },
    redact: { paths: redactPaths, censor: '[redacted]' },
  };
}

/** Options of the HTTP app beyond the context. */
export interface HttpAppOptions {
  authenticator: Authenticator;
  /** The partners feature's keys, for `auth: 'partner'` routes; without it they refuse every call. */
  partnerKeys?: PartnerKeyStore;
  /** The clients feature's keys, for routes with `apiKey`; without it every bearer key is refused. */
  apiKeys?: ApiKeyStore;
  logger?: FastifyServerOptions['logger'];
}

/**
 * The Fastify app with Lifeline's cross-cutting pipeline: security headers, rate limit, session
 * auth, the permission gate, CSRF, problem+json errors and OpenAPI. Features add their routes.
 */
export async function createHttpApp(ctx: AppContext, opts: HttpAppOptions): Promise<FastifyInstance> {
  // helmet's middleware is built once here: @fastify/helmet built it again for every request
  // (re-parsing the CSP), a measurable share of each request's time (docs/decisions-api.md).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: ctx.config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // The same answer as frame-ancestors 'none' for browsers that only read X-Frame-Options.
    frameguard: { action: 'deny' },
  });
  const app = Fastify({
    logger: loggerOptions(opts.logger, ctx.config.logLevel),
    bodyLimit: ctx.config.bodyLimitBytes,
    trustProxy: ctx.config.trustProxy,
    // Generated ids keep log lines of one request together without echoing anything the client sent.
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false } },
    routerOptions: { maxParamLength: MAX_SEGMENT },
    // A broken percent-encoding or an over-long path segment fails in the router, before any hook
    // runs: answer it in the same problem+json form, without echoing the URL.
    frameworkErrors: (err, req, reply: FastifyReply) => {
      const code = codeForFrameworkError(err);
      const problem =
        code === 'VALIDATION_FAILED'
          ? problemOf(code, 'the URL is not valid', [{ path: 'url', message: 'not a valid percent-encoded URL', reason: 'invalid_format' }])
          : problemOf(code);
      // No hook runs for these: the security headers of every other answer are set here.
      securityHeaders(req.raw, reply.raw, () => {
        reply.code(problem.status).header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
        reply.type('application/problem+json').send(problem);
      });
    },
  }).withTypeProvider<ZodTypeProvider>();

  const routes: RegisteredRoute[] = [];
  routeRegistry.set(app, routes);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('actor', null);
  app.decorateRequest('partner', null);
  app.decorateRequest('apiClient', null);
  app.decorate('apiKeys', new ApiKeyAuthenticator(opts.apiKeys, ctx.now));

  // Every route must say who may call it; a route that does not is a programming error.
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      routes.push({
        method,
        url: route.url,
        access: route.config?.access,
        apiKey: route.config?.apiKey,
        schema: {
          body: route.schema?.body !== undefined,
          params: route.schema?.params !== undefined,
          querystring: route.schema?.querystring !== undefined,
          response: route.schema?.response !== undefined,
        },
      });
    }
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    if (!route.config?.access) throw new Error(`route ${route.method} ${route.url} declares no permission`);
  });

  app.addHook('onRequest', (req, reply, done) =>
    securityHeaders(req.raw, reply.raw, (err) => done(err instanceof Error ? err : undefined)),
  );
  // A path segment over MAX_SEGMENT characters is 414 wherever it is (docs/api-conventions.md).
  // The router refuses only an over-long parameter, and only when no other route (the web app's
  // catch-all, or none at all: a 404) takes the URL; this hook answers every shape the same way.
  app.addHook('onRequest', async (req) => {
    if (hasOverlongSegment(req.url)) throw new AppError('URI_TOO_LONG');
  });
  await app.register(fastifyCookie);
  // JSON is the API's only body type (API.md); routes that take CSV or NDJSON register their own
  // parser. Without this, a text/plain body reached validation as a string instead of a 415.
  app.removeContentTypeParser('text/plain');
  await app.register(fastifyRateLimit, {
    // Routes apply it themselves, first in their pipeline (see route.ts).
    global: false,
    max: ctx.config.rateLimitPerMinute,
    timeWindow: '1 minute',
    errorResponseBuilder: (_req, context) =>
      new AppError('RATE_LIMITED', `rate limit of ${context.max} requests per ${context.after} exceeded`, {
        headers: { 'retry-after': String(Math.ceil(context.ttl / 1000)) },
      }),
  });

  // Auth, then the permission gate, then CSRF: all before the body is even read.
  app.decorate('authenticateRequest', async (req: FastifyRequest) => {
    const config = req.routeOptions.config;
    if (config.auth === 'partner') {
      // Signed by a partner system, not a session: no cookie, no CSRF, no staff permission.
      if (config.access !== 'partner') throw new AppError('FORBIDDEN', 'this route declares no permission');
      await authenticatePartnerHeaders(req, opts.partnerKeys, ctx.now());
      return;
    }
    if (config.access === 'partner') throw new AppError('FORBIDDEN', 'this route declares no permission');
    if (config.apiKey && hasAuthorization(req)) {
      // The client's key and scope are the whole check: no staff permission, and no CSRF, since
      // browsers never add an Authorization header on their own.
      req.apiClient = await app.apiKeys.authenticate(req, config.apiKey);
      return;
    }
    const token = req.cookies[SESSION_COOKIE];
    if (config.auth === 'session' && token) {
      const result = await opts.authenticator.authenticate(token, req.ip);
      if ('error' in result) {
        if (config.access !== 'public') throw new AppError(result.error);
      } else {
        req.actor = result;
      }
    }
    const access = config.access;
    if (!access) throw new AppError('FORBIDDEN', 'this route declares no permission');
    if (access === 'public') return;
    const actor = req.actor;
    if (!actor) throw new AppError('UNAUTHENTICATED');
    if (!config.allowDuringSignInSetup) {
      if (actor.sessionStage !== 'full') throw new AppError('MFA_ENROLMENT_REQUIRED');
      if (actor.mustChangePassword) throw new AppError('PASSWORD_CHANGE_REQUIRED');
    }
    if (access !== 'authenticated' && !hasPermission(actor.roles, access)) throw new AppError('FORBIDDEN');
    if (STATE_CHANGING.has(req.method) && token) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || sent !== opts.authenticator.csrfTokenFor(token)) throw new AppError('CSRF_FAILED');
    }
  });

  // The global gate: an /api route that was not defined through defineRoute still answers 403.
  app.addHook('onRequest', async (req) => {
    const url = req.routeOptions.url;
    if (url?.startsWith('/api/') && !url.startsWith('/api/docs') && !req.routeOptions.config.access) {
      throw new AppError('FORBIDDEN', 'this route declares no permission');
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.setErrorHandler((thrown: unknown, req, reply) => {
    // Anything can be thrown, a string or undefined too; only objects are looked into.
    const err: object = typeof thrown === 'object' && thrown !== null ? thrown : new Error(String(thrown));
    const instance = req.url.split('?')[0];
    let problem: ReturnType<typeof problemOf>;
    const dbCode = databaseErrorCode(err);
    if (err instanceof AppError) {
      problem = problemOf(err.code, err.message, err.errors, instance);
      for (const [k, v] of Object.entries(err.headers ?? {})) reply.header(k, v);
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      problem = problemOf('VALIDATION_FAILED', 'one or more fields are not valid', fieldErrors(err), instance);
    } else if (isResponseSerializationError(err) || err instanceof DecryptionError) {
      req.log.error({ err }, 'internal error');
      problem = problemOf('INTERNAL');
    } else if (dbCode) {
      // A handler let through what the database refused: worth a look, but the client's fault.
      req.log.warn({ err }, 'database refused the request');
      problem = problemOf(
        dbCode,
        dbCode === 'CONFLICT' ? 'the record conflicts with an existing one' : 'a value cannot be stored',
        undefined,
        instance,
      );
    } else {
      const fe = err as FastifyError; // Fastify's own errors carry code, statusCode and validation.
      const code = Array.isArray(fe.validation) ? 'VALIDATION_FAILED' : codeForFrameworkError(fe);
      if (code === 'INTERNAL') req.log.error({ err }, 'internal error');
      else if (fe.statusCode === 429 && fe.message) reply.header('retry-after', '60');
      const detail = code === 'INTERNAL' ? undefined : code === 'VALIDATION_FAILED' ? 'one or more fields are not valid' : fe.message;
      problem = problemOf(
        code,
        detail,
        code === 'VALIDATION_FAILED' ? fieldErrors(fe) : undefined,
        code === 'INTERNAL' ? undefined : instance,
      );
    }
    reply.code(problem.status).type('application/problem+json').send(problem);
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Lifeline API',
        version: '1',
        description: 'The critical-illness customer programme of the bank. Contracts: API.md.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          partnerHmac: {
            type: 'apiKey',
            in: 'header',
            name: 'X-Lifeline-Key',
            description: 'with X-Lifeline-Timestamp and the HMAC-SHA256 X-Lifeline-Signature (docs/partner-api.md)',
          },
          bearerKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'an API client key (`llk_…`) holding the scope the operation names (docs/decisions-api.md)',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: (document) => {
      if (!('openapiObject' in document)) return document.swaggerObject;
      addProblemResponses(document.openapiObject);
      return document.openapiObject;
    },
  });

  return app;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Every /api operation can fail: clients learn the one error shape from the document itself. */
function addProblemResponses(api: object): void {
  if (!isRecord(api)) return;
  const paths = isRecord(api.paths) ? api.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith('/api/') || !isRecord(item)) continue;
    for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
      const operation = item[method];
      if (isRecord(operation))
        operation.responses = { ...(isRecord(operation.responses) ? operation.responses : {}), default: PROBLEM_RESPONSE };
    }
  }
  const components = isRecord(api.components) ? api.components : {};
  components.schemas = { ...(isRecord(components.schemas) ? components.schemas : {}), Problem: PROBLEM_SCHEMA };
  api.components = components;
}

/** The RFC 9457 body of every error answer, as published in the OpenAPI document. */
const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', enum: Object.keys(ERRORS) },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: {
          path: { type: 'string' },
          message: { type: 'string' },
          reason: { type: 'string', enum: [...FIELD_REASONS] },
          limit: { type: 'number' },
        },
      },
    },
  },
};

const PROBLEM_RESPONSE = {
  description: 'An error: application/problem+json with a stable `code` (docs/api-conventions.md)',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};
