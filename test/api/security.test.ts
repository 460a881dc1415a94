import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAuthenticator } from '../../src/features/staff/auth.service.js';
import type { Executor } from '../../src/platform/db/database.js';
import { createHttpApp, registeredRoutes } from '../../src/platform/http/http-app.js';
import { defineRoute } from '../../src/platform/http/route.js';
import { makeStaff, signIn } from '../helpers/factories.js';
import { type Harness, createHarness, describeEachDialect } from '../helpers/harness.js';
import { expectProblem } from './expect-problem.js';

const SECRET_DETAIL = 'SELECT secret_column FROM internal_table';

describeEachDialect('security', (dialect) => {
  describe('headers', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await createHarness(dialect);
    });
    afterAll(async () => {
      await h?.close();
    });

    it('should send the helmet headers on answers and on errors', async () => {
      const answers = [
        await h.app.inject({ method: 'GET', url: '/api/health' }),
        await h.app.inject({ method: 'GET', url: '/api/v1/auth/me' }),
        await h.app.inject({ method: 'GET', url: '/api/v1/no/such/route' }),
        await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: '{', headers: { 'content-type': 'application/json' } }),
      ];
      for (const res of answers) {
        const csp = String(res.headers['content-security-policy']);
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("object-src 'none'");
        expect(csp).toMatch(/script-src 'self'(;|$)/);
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
      // Plain-HTTP local use has no HSTS: it would pin a browser to HTTPS on localhost.
      expect(answers[0]?.headers['strict-transport-security']).toBeUndefined();
    });

    it('should send Cache-Control: no-store on every /api answer, errors included', async () => {
      const urls = registeredRoutes(h.app)
        .filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'))
        .map((r) => ({ method: r.method, url: r.url.replace(/:[A-Za-z0-9_]+/g, 'x') }));
      urls.push({ method: 'GET', url: '/api/v1/no/such/route' }, { method: 'GET', url: '/api/v1/admin/staff/%E0%A4%A' });
      for (const { method, url } of urls) {
        const res = await h.app.inject({ method: method as 'GET', url }); // any method the app registered
        expect(res.headers['cache-control'], `${method} ${url} → ${res.statusCode}`).toBe('no-store');
      }
      const tooBig = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'a', password: 'x'.repeat(h.config.bodyLimitBytes) },
      });
      expect(tooBig.statusCode).toBe(413);
      expect(tooBig.headers['cache-control']).toBe('no-store');
    });

    it('should set the session cookie HttpOnly, SameSite=Strict, Path=/ and without Secure when LIFELINE_INSECURE_COOKIES=1', async () => {
      const who = await makeStaff(h, { roles: ['customer_manager'] });
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: who.username, password: who.password },
      });
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toMatch(/^lifeline_session=[A-Za-z0-9_%-]{30,};/);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Strict');
      expect(cookie).toContain('Path=/');
      expect(cookie).not.toContain('Secure');
      // The token is in the cookie only, never in the body a script can read.
      const token = decodeURIComponent(cookie.split(';')[0]?.split('=')[1] ?? '');
      expect(res.body).not.toContain(token);
    });
  });

  describe('secure cookies', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await createHarness(dialect, { LIFELINE_INSECURE_COOKIES: '0' });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('should mark the session cookie Secure, also when clearing it, and send HSTS', async () => {
      const who = await makeStaff(h, { roles: ['customer_manager'] });
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: who.username, password: who.password },
      });
      expect(res.statusCode).toBe(200);
      const cookie = String(res.headers['set-cookie']);
      for (const attribute of ['HttpOnly', 'SameSite=Strict', 'Secure', 'Path=/']) expect(cookie).toContain(attribute);
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d{7,}; includeSubDomains/);
      const s = await signIn(h, who);
      const out = await s.request({ method: 'POST', url: '/api/v1/auth/logout' });
      const cleared = String(out.headers['set-cookie']);
      expect(cleared).toMatch(/^lifeline_session=;/);
      for (const attribute of ['HttpOnly', 'SameSite=Strict', 'Secure']) expect(cleared).toContain(attribute);
    });
  });

  describe('internal errors', () => {
    let h: Harness;
    let app: FastifyInstance;
    let logged = '';

    beforeAll(async () => {
      h = await createHarness(dialect);
      const logs = new Writable({
        write(chunk, _encoding, done) {
          logged += String(chunk);
          done();
        },
      });
      // A test-only app on the real pipeline, with routes that fail in the ways real code can.
      app = await createHttpApp(h.ctx, { authenticator: createAuthenticator(h.ctx), logger: { level: 'warn', stream: logs } });
      const failing = (url: string, handler: (db: Executor) => Promise<unknown>) =>
        defineRoute(app, h.ctx, {
          method: 'GET',
          url,
          summary: 'fails',
          tags: ['test'],
          auth: 'none',
          permission: 'public',
          schema: { response: { 200: z.object({ ok: z.literal(true) }) } },
          transaction: 'write',
          // The handlers below return deliberately wrong answers to reach the error paths.
          handler: ({ db }) => handler(db) as Promise<{ ok: true }>,
        });
      failing('/api/test/throws', async () => {
        const err = new Error(`${SECRET_DETAIL} at /srv/lifeline/src/x.ts:1`);
        throw err;
      });
      failing('/api/test/throws-string', async () => {
        throw SECRET_DETAIL;
      });
      failing('/api/test/throws-undefined', async () => {
        throw undefined;
      });
      failing('/api/test/bad-response', async () => ({ ok: SECRET_DETAIL }));
      const branch = { id: 'br-dup', code: 'DUP', name_zh: '重复', name_en: 'Duplicate', created_at: '2026-01-01T00:00:00.000Z' };
      failing('/api/test/unique', async (db) => {
        await db.insertInto('branches').values(branch).execute();
        await db.insertInto('branches').values(branch).execute();
        return { ok: true };
      });
      failing('/api/test/foreign-key', async (db) => {
        await db.insertInto('staff_roles').values({ staff_id: 'no-such-staff', role: 'admin' }).execute();
        return { ok: true };
      });
      failing('/api/test/nul', async (db) => {
        await db.selectFrom('staff').select('id').where('username', '=', 'a\u0000b').execute();
        return { ok: true };
      });
      await app.ready();
    });
    afterAll(async () => {
      await app?.close();
      await h?.close();
    });
    afterEach(() => {
      logged = '';
    });

    it('should answer a thrown error with a bare 500 problem: no message, no stack, no path', async () => {
      for (const url of ['/api/test/throws', '/api/test/throws-string', '/api/test/throws-undefined', '/api/test/bad-response']) {
        const res = await app.inject({ method: 'GET', url });
        const body = expectProblem(res, 'INTERNAL');
        expect(Object.keys(body).sort(), url).toEqual(['code', 'detail', 'status', 'title', 'type']);
        expect(body.detail).toBe('Internal error');
        expect(res.body).not.toContain('secret_column');
        expect(res.body).not.toMatch(/\bat \S+:\d+/);
        expect(res.headers['cache-control']).toBe('no-store');
      }
    });

    it('should log the internal error for operators', async () => {
      await app.inject({ method: 'GET', url: '/api/test/throws' });
      expect(logged).toContain('secret_column');
      expect(logged).toContain('"level":50');
    });

    it('should answer what the database refuses as 409 or 400, not as a 500, and store nothing', async () => {
      expectProblem(await app.inject({ method: 'GET', url: '/api/test/unique' }), 'CONFLICT');
      // The write transaction rolled back the first insert with the second.
      expect(await h.db.selectFrom('branches').select('id').where('id', '=', 'br-dup').execute()).toEqual([]);
      expectProblem(await app.inject({ method: 'GET', url: '/api/test/foreign-key' }), 'CONFLICT');
      const nul = await app.inject({ method: 'GET', url: '/api/test/nul' });
      // PostgreSQL cannot hold NUL in text; SQLite can, and simply finds nothing.
      if (dialect === 'postgres') expectProblem(nul, 'VALIDATION_FAILED');
      else expect(nul.statusCode).toBe(200);
    });
  });

  describe('rate limiting', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await createHarness(dialect, { LIFELINE_RATE_LIMIT_PER_MINUTE: '3' });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('should answer 429 RATE_LIMITED with Retry-After past the per-minute limit, per client address', async () => {
      for (let i = 0; i < 3; i++) expect((await h.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
      const limited = await h.app.inject({ method: 'GET', url: '/api/health' });
      expectProblem(limited, 'RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.headers['cache-control']).toBe('no-store');
      const other = await h.app.inject({ method: 'GET', url: '/api/health', remoteAddress: '10.9.9.9' });
      expect(other.statusCode).toBe(200);
    });
  });

  describe('sign-in rate limiting', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await createHarness(dialect, { LIFELINE_LOGIN_RATE_PER_MINUTE: '30' });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('should limit sign-in attempts per address more tightly than other routes', async () => {
      const answers: number[] = [];
      for (let i = 0; i < 31; i++) {
        const res = await h.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: `nobody${i}`, password: 'wrong password' },
        });
        answers.push(res.statusCode);
        if (i === 30) expectProblem(res, 'RATE_LIMITED');
      }
      expect(answers.slice(0, 30).every((s) => s === 401)).toBe(true);
      expect((await h.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    });
  });
});
