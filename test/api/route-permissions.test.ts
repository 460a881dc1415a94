import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PERMISSIONS } from '../../src/domain/roles.js';
import { createAuthenticator } from '../../src/features/staff/auth.service.js';
import { createHttpApp, registeredRoutes } from '../../src/platform/http/http-app.js';
import { defineRoute } from '../../src/platform/http/route.js';
import { type Harness, createHarness, describeEachDialect } from '../helpers/harness.js';
import { expectProblem } from './expect-problem.js';

/**
 * The routes anyone may call without a session. A new public route is a security decision:
 * add it here on purpose, with the reason next to it.
 */
const PUBLIC_ROUTES = [
  'GET /api/health', // liveness probes
  'GET /api/openapi.json', // the published contract
  'POST /api/v1/auth/login', // signing in
];

describeEachDialect('route permissions', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(dialect);
  });
  afterAll(async () => {
    await h?.close();
  });

  const apiRoutes = () =>
    registeredRoutes(h.app).filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD');

  describe('registration', () => {
    let app: FastifyInstance | undefined;
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });

    it('should refuse to register an /api route that declares no permission', async () => {
      app = await createHttpApp(h.ctx, { authenticator: createAuthenticator(h.ctx), logger: false });
      const bare = app;
      expect(() => bare.get('/api/v1/forgotten', async () => ({ ok: true }))).toThrow(/declares no permission/);
      expect(() => bare.route({ method: 'POST', url: '/api/v1/forgotten', config: {}, handler: async () => ({ ok: true }) })).toThrow(
        /declares no permission/,
      );
      // Registered inside a plugin, the same route is refused too.
      await expect(
        bare.register(async (child) => {
          child.get('/api/v1/in-plugin', async () => ({ ok: true }));
        }),
      ).rejects.toThrow(/declares no permission/);
    });

    it('should register a route made with defineRoute and gate it', async () => {
      app = await createHttpApp(h.ctx, { authenticator: createAuthenticator(h.ctx), logger: false });
      defineRoute(app, h.ctx, {
        method: 'GET',
        url: '/api/v1/test/admin-only',
        summary: 'test',
        tags: ['test'],
        auth: 'session',
        permission: 'staff.admin',
        schema: { response: { 200: z.object({ ok: z.literal(true) }) } },
        transaction: 'none',
        handler: async () => ({ ok: true as const }),
      });
      await app.ready();
      expectProblem(await app.inject({ method: 'GET', url: '/api/v1/test/admin-only' }), 'UNAUTHENTICATED');
      expect(registeredRoutes(app).find((r) => r.url === '/api/v1/test/admin-only')?.access).toBe('staff.admin');
    });
  });

  describe('the real app', () => {
    it('should declare a known permission on every /api route', () => {
      const known = new Set<string>([...Object.keys(PERMISSIONS), 'authenticated', 'public', 'partner']);
      const routes = apiRoutes();
      expect(routes.length).toBeGreaterThan(10);
      for (const route of routes) {
        expect(route.access, `${route.method} ${route.url}`).toBeDefined();
        expect(known.has(String(route.access)), `${route.method} ${route.url}: ${route.access}`).toBe(true);
      }
    });

    it('should have no public route but the listed ones', () => {
      const publicRoutes = apiRoutes()
        .filter((r) => r.access === 'public')
        .map((r) => `${r.method} ${r.url}`);
      expect(publicRoutes.sort()).toEqual([...PUBLIC_ROUTES].sort());
    });

    it('should answer anonymous calls to every non-public route with 401 problem+json and touch nothing', async () => {
      const countAudit = async () =>
        Number(
          (
            await h.db
              .selectFrom('audit_events')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await countAudit();
      const routes = registeredRoutes(h.app).filter(
        (r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.access !== 'public',
      );
      for (const route of routes) {
        const url = route.url.replace(/:[A-Za-z0-9_]+/g, '0190aaaa-0000-7000-8000-000000000000');
        const name = `${route.method} ${route.url}`;
        const res = await h.app.inject({
          method: route.method as 'GET', // any method the app registered
          url,
          ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { payload: { anything: true } } : {}),
        });
        expect(res.statusCode, name).toBe(401);
        if (route.method === 'HEAD') continue;
        expect(expectProblem(res, 'UNAUTHENTICATED').instance, name).toBe(url);
      }
      expect(await countAudit()).toBe(before);
    });

    it('should answer a forged or over-long session cookie like no cookie', async () => {
      for (const token of ['forged', 'x'.repeat(5000), '%00', '']) {
        const res = await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `lifeline_session=${token}` } });
        expectProblem(res, 'UNAUTHENTICATED');
      }
    });
  });
});
