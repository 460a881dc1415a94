import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import {
  type ZodTypeProvider,
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { hasPermission } from '../../domain/roles.js';
import { DecryptionError } from '../crypto/field-cipher.js';
import { type Authenticator, type AppContext, SESSION_COOKIE } from './context.js';
import { AppError, type ErrorCode, type FieldError, problemOf } from './errors.js';
import { redactPaths } from '../logging/redact.js';

declare module 'fastify' {
  interface FastifyInstance {
    authenticateRequest(req: FastifyRequest): Promise<void>;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function fieldErrors(err: FastifyError): FieldError[] {
  if (hasZodFastifySchemaValidationErrors(err)) {
    return err.validation.map((v) => ({
      path: [err.validationContext, ...String(v.instancePath ?? '').split('/').filter(Boolean)].filter(Boolean).join('.'),
      message: v.message ?? 'invalid',
    }));
  }
  return [];
}

function codeForFrameworkError(err: FastifyError): ErrorCode {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'PAYLOAD_TOO_LARGE';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'UNSUPPORTED_MEDIA_TYPE' : 'MALFORMED_BODY';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'MALFORMED_BODY';
    default:
      break;
  }
  const status = err.statusCode ?? 500;
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 405) return 'METHOD_NOT_ALLOWED';
  if (status >= 400 && status < 500) return 'MALFORMED_BODY';
  return 'INTERNAL';
}

/** Options of the HTTP app beyond the context. */
export interface HttpAppOptions {
  authenticator: Authenticator;
  logger?: FastifyServerOptions['logger'];
}

/**
 * The Fastify app with Lifeline's cross-cutting pipeline: security headers, rate limit, session
 * auth, the permission gate, CSRF, problem+json errors and OpenAPI. Features add their routes.
 */
export async function createHttpApp(ctx: AppContext, opts: HttpAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? { level: ctx.config.logLevel, redact: { paths: redactPaths, censor: '[redacted]' } },
    bodyLimit: ctx.config.bodyLimitBytes,
    trustProxy: ctx.config.trustProxy,
    // Generated ids keep log lines of one request together without echoing anything the client sent.
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false } },
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('actor', null);

  // Every route must say who may call it; a route that does not is a programming error.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    if (!route.config?.access) throw new Error(`route ${route.method} ${route.url} declares no permission`);
  });

  await app.register(fastifyHelmet, {
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
  });
  await app.register(fastifyCookie);
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
    if (actor.sessionStage !== 'full' && !config.allowDuringMfaEnrolment) throw new AppError('MFA_ENROLMENT_REQUIRED');
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

  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    let problem: ReturnType<typeof problemOf>;
    if (err instanceof AppError) {
      problem = problemOf(err.code, err.message, err.errors, req.url.split('?')[0]);
      for (const [k, v] of Object.entries(err.headers ?? {})) reply.header(k, v);
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      problem = problemOf('VALIDATION_FAILED', 'one or more fields are not valid', fieldErrors(err), req.url.split('?')[0]);
    } else if (isResponseSerializationError(err) || err instanceof DecryptionError) {
      req.log.error({ err }, 'internal error');
      problem = problemOf('INTERNAL');
    } else {
      const fe = err as FastifyError; // Fastify's own errors carry code and statusCode.
      const code = codeForFrameworkError(fe);
      if (code === 'INTERNAL') req.log.error({ err }, 'internal error');
      else if (fe.statusCode === 429 && fe.message) reply.header('retry-after', '60');
      problem = problemOf(code, code === 'INTERNAL' ? undefined : fe.message, undefined, req.url.split('?')[0]);
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
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } },
      },
    },
    transform: jsonSchemaTransform,
  });

  return app;
}
