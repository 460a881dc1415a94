import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../src/domain/roles.js';
import { type RegisteredRoute, registeredRoutes } from '../../src/platform/http/http-app.js';
import { makeBranches, makeStaff } from '../helpers/factories.js';
import { type Harness, createHarness, describeEachDialect } from '../helpers/harness.js';
import { expectNoServerError, expectProblem } from './expect-problem.js';

const BODY_LIMIT = 4096;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describeEachDialect('bad input', (dialect) => {
  let h: Harness;
  let admin: { id: string; username: string; password: string };
  let victim: { id: string; username: string; password: string };
  let branches: Record<'HQ' | 'EAST' | 'WEST', string>;
  let cookie = '';
  let csrf = '';
  let ipCounter = 0;

  // Every request from its own address, so that per-route rate limits never hide what is tested.
  const nextIp = () => {
    ipCounter += 1;
    return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
  };

  async function signInAdmin(): Promise<void> {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: nextIp(),
      payload: { username: admin.username, password: admin.password },
    });
    expect(res.statusCode, res.body).toBe(200);
    cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
    csrf = res.json<{ csrfToken: string }>().csrfToken;
  }

  /** A request of the signed-in admin. */
  const asAdmin = (opts: InjectOptions) =>
    h.app.inject({ remoteAddress: nextIp(), ...opts, headers: { cookie, 'x-csrf-token': csrf, ...(opts.headers ?? {}) } });
  const rawJson = (method: 'POST' | 'PATCH', url: string, payload: string, headers: Record<string, string> = {}) =>
    asAdmin({ method, url, payload, headers: { 'content-type': 'application/json', ...headers } });
  const login = (payload: unknown) =>
    h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: nextIp(),
      payload: JSON.stringify(payload),
      headers: { 'content-type': 'application/json' },
    });
  const createStaff = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    asAdmin({ method: 'POST', url: '/api/v1/admin/staff', payload: body, headers });
  const validCreate = (over: Record<string, unknown> = {}) => ({
    username: `u${++ipCounter}.x`,
    displayName: 'Test Person',
    branchId: branches.EAST,
    roles: ['customer_manager'],
    ...over,
  });
  const staffCount = async () =>
    Number(
      (
        await h.db
          .selectFrom('staff')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off', LIFELINE_BODY_LIMIT_BYTES: String(BODY_LIMIT) });
    branches = await makeBranches(h);
    admin = await makeStaff(h, { roles: ['admin'], branch: 'HQ', username: 'root.admin' });
    victim = await makeStaff(h, { roles: ['customer_manager'], branch: 'EAST', username: 'cm.victim' });
    await signInAdmin();
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('bodies', () => {
    it('should answer malformed JSON with 400 MALFORMED_BODY', async () => {
      for (const payload of ['{"username":', '{username: "a"}', "{'a':1}", '{"a":1}}', '\u0000', '{"a":1,}']) {
        expectProblem(await rawJson('POST', '/api/v1/admin/staff', payload), 'MALFORMED_BODY');
      }
    });

    it('should answer a body of another content type with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      for (const type of [
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'text/csv',
      ]) {
        const res = await h.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: nextIp(),
          payload: 'username=a&password=b',
          headers: { 'content-type': type },
        });
        expectProblem(res, 'UNSUPPORTED_MEDIA_TYPE');
      }
      const untyped = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: nextIp(), payload: 'hello' });
      expectProblem(untyped, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('should answer an empty body where one is required with 400', async () => {
      expectProblem(await rawJson('POST', '/api/v1/admin/staff', ''), 'MALFORMED_BODY');
      const none = await asAdmin({ method: 'POST', url: '/api/v1/admin/staff' });
      expect(expectProblem(none, 'VALIDATION_FAILED').errors).toEqual([{ path: 'body', message: expect.any(String), reason: 'required' }]);
    });

    it('should answer wrong types with 400 VALIDATION_FAILED naming each bad field', async () => {
      const res = await createStaff({ username: 42, displayName: ['x'], branchId: null, roles: 'admin' });
      const body = expectProblem(res, 'VALIDATION_FAILED');
      expect(body.errors?.map((e) => e.path).sort()).toEqual(['body.branchId', 'body.displayName', 'body.roles', 'body.username']);
      for (const e of body.errors ?? []) expect(e.message.length).toBeGreaterThan(0);
      // A null branch is a missing one.
      expect(Object.fromEntries((body.errors ?? []).map((e) => [e.path, e.reason]))).toEqual({
        'body.branchId': 'required',
        'body.displayName': 'invalid_type',
        'body.roles': 'invalid_type',
        'body.username': 'invalid_type',
      });
    });

    it('should give each refused field a stable reason and its bound, for clients to say in their reader’s language', async () => {
      const res = await createStaff(validCreate({ displayName: '', roles: Array.from({ length: 50 }, () => 'staff') }));
      const body = expectProblem(res, 'VALIDATION_FAILED');
      const byPath = new Map((body.errors ?? []).map((e) => [e.path, e]));
      expect(byPath.get('body.displayName')).toMatchObject({ reason: 'too_small', limit: 1 });
      expect(byPath.get('body.roles')).toMatchObject({ reason: 'too_big', limit: expect.any(Number) });
    });

    it('should refuse unknown fields of strict bodies', async () => {
      const res = await createStaff(validCreate({ isSuperuser: true }));
      const body = expectProblem(res, 'VALIDATION_FAILED');
      expect(body.errors).toEqual([{ path: 'body', message: expect.stringContaining('isSuperuser'), reason: 'not_allowed' }]);
    });

    it('should refuse arrays, strings and null where an object is expected', async () => {
      for (const payload of ['[]', '[{"username":"a"}]', '"text"', '42', 'null', 'true']) {
        const body = expectProblem(await rawJson('POST', '/api/v1/admin/staff', payload), 'VALIDATION_FAILED');
        expect(body.errors?.[0]?.path).toBe('body');
      }
    });

    it('should answer a body over LIFELINE_BODY_LIMIT_BYTES with 413 PAYLOAD_TOO_LARGE and nothing stored', async () => {
      const before = await staffCount();
      const over = JSON.stringify(validCreate({ displayName: 'x'.repeat(BODY_LIMIT) }));
      expectProblem(await rawJson('POST', '/api/v1/admin/staff', over), 'PAYLOAD_TOO_LARGE');
      const anonymous = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: nextIp(),
        payload: { username: 'a', password: 'b'.repeat(BODY_LIMIT) },
      });
      expectProblem(anonymous, 'PAYLOAD_TOO_LARGE');
      // Just under the limit is read and validated as usual.
      const under = JSON.stringify(validCreate({ displayName: 'x'.repeat(BODY_LIMIT - 200) }));
      expectProblem(await rawJson('POST', '/api/v1/admin/staff', under), 'VALIDATION_FAILED');
      expect(await staffCount()).toBe(before);
    });

    it('should refuse prototype-polluting keys without polluting anything', async () => {
      for (const payload of [
        '{"__proto__":{"polluted":true},"username":"a","password":"b"}',
        '{"constructor":{"prototype":{"polluted":true}},"username":"a","password":"b"}',
      ]) {
        const res = await h.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: nextIp(),
          payload,
          headers: { 'content-type': 'application/json' },
        });
        expectProblem(res, 'MALFORMED_BODY');
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('should refuse huge and non-integer numbers with 400', async () => {
      expectProblem(
        await rawJson('POST', '/api/v1/admin/staff', '{"username":1e400,"displayName":"x","branchId":"x","roles":["staff"]}'),
        'VALIDATION_FAILED',
      );
      expectProblem(await rawJson('POST', '/api/v1/auth/mfa/confirm', '{"code":123456789012345678901234567890}'), 'VALIDATION_FAILED');
      for (const limit of ['1e400', '99999999999999999999', '501', '0', '-1', '1.5', 'NaN', 'Infinity', '']) {
        const res = await asAdmin({ method: 'GET', url: `/api/v1/admin/staff?limit=${limit}` });
        expect(expectProblem(res, 'VALIDATION_FAILED').errors?.[0]?.path).toBe('querystring.limit');
      }
      expect((await asAdmin({ method: 'GET', url: '/api/v1/admin/staff?limit=500' })).statusCode).toBe(200);
    });

    it('should never answer the sign-in with a 500, whatever the body', async () => {
      const bodies: unknown[] = [
        { username: {}, password: [] },
        { username: null, password: null },
        { username: 'a'.repeat(10_000), password: 'x' },
        { username: 'a', password: 'p'.repeat(257) },
        { username: '\u0000', password: '\u0000' },
        { username: 'root.admin', password: admin.password, totp: { $gt: '' } },
        { username: ['root.admin'], password: admin.password },
        [],
        'root.admin',
      ];
      for (const body of bodies) expectNoServerError(await login(body), JSON.stringify(body).slice(0, 80));
      expectProblem(await login({ username: {}, password: [] }), 'VALIDATION_FAILED');
      expectProblem(await login({ username: 'a', password: 'p'.repeat(256) }), 'INVALID_CREDENTIALS');
    });
  });

  describe('unicode', () => {
    it('should refuse NUL and other control characters in text fields', async () => {
      for (const displayName of ['a\u0000b', 'escape\u001b[31m', 'bell\u0007', 'del\u007f', 'vt\u000b']) {
        const body = expectProblem(await createStaff(validCreate({ displayName })), 'VALIDATION_FAILED');
        expect(body.errors?.[0]?.path).toBe('body.displayName');
      }
      const q = await asAdmin({ method: 'GET', url: '/api/v1/admin/staff?q=%00' });
      expect(expectProblem(q, 'VALIDATION_FAILED').errors?.[0]?.path).toBe('querystring.q');
    });

    it('should refuse lone surrogates', async () => {
      for (const escaped of ['\\ud800', '\\udfff', 'a\\udc00b', '\\ud83d']) {
        const payload = `{"username":"lone.s","displayName":"${escaped}","branchId":"${branches.EAST}","roles":["staff"]}`;
        const body = expectProblem(await rawJson('POST', '/api/v1/admin/staff', payload), 'VALIDATION_FAILED');
        expect(body.errors?.[0]?.path).toBe('body.displayName');
      }
    });

    it('should store 4-byte emoji, right-to-left overrides and CJK exactly as sent', async () => {
      for (const displayName of ['医生 👩‍⚕️🏥😀', '\u202Eevil\u202C name', 'علي \u200F', '𠜎𠜱𠝹']) {
        const res = await createStaff(validCreate({ displayName }));
        expect(res.statusCode, res.body).toBe(201);
        const id = res.json<{ staff: { id: string } }>().staff.id;
        const got = await asAdmin({ method: 'GET', url: `/api/v1/admin/staff/${id}` });
        expect(got.json<{ displayName: string }>().displayName).toBe(displayName.trim());
      }
    });

    it('should normalise text to NFC and trim it', async () => {
      const res = await createStaff(validCreate({ displayName: '  Cafe\u0301  ' }));
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json<{ staff: { displayName: string } }>().staff.displayName).toBe('Café');
    });

    it('should refuse very long strings, by characters and not only by bytes', async () => {
      expectProblem(await createStaff(validCreate({ displayName: 'x'.repeat(101) })), 'VALIDATION_FAILED');
      expectProblem(await createStaff(validCreate({ displayName: '字'.repeat(101) })), 'VALIDATION_FAILED');
      expectProblem(await createStaff(validCreate({ username: `a${'b'.repeat(63)}` })), 'VALIDATION_FAILED');
      expect((await createStaff(validCreate({ displayName: '字'.repeat(100) }))).statusCode).toBe(201);
    });

    it('should refuse full-width digits and letters in new user names but accept them at sign-in', async () => {
      const body = expectProblem(await createStaff(validCreate({ username: 'ｕｓｅｒ１２３' })), 'VALIDATION_FAILED');
      expect(body.errors?.[0]?.path).toBe('body.username');
      // Sign-in folds width and case (NFKC), so a full-width IME still reaches the same account.
      const fullWidth = await login({ username: 'ＣＭ．ＶＩＣＴＩＭ', password: victim.password });
      expect(fullWidth.statusCode, fullWidth.body).toBe(200);
    });
  });

  describe('URLs', () => {
    it('should answer odd path parameters with a 4xx problem, never a 5xx', async () => {
      const odd = [
        '%00',
        '%2F',
        '..',
        '%2e%2e',
        '%E2%80%AE',
        encodeURIComponent('😀'),
        '%20',
        "'%20OR%201=1--",
        '%ED%A0%80',
        'a%0Ab',
        '%25',
        'x'.repeat(64),
      ];
      for (const segment of odd) {
        for (const method of ['GET', 'PATCH'] as const) {
          const res = await asAdmin({
            method,
            url: `/api/v1/admin/staff/${segment}`,
            payload: method === 'PATCH' ? { displayName: 'x' } : undefined,
            headers: { 'if-match': '"1"' },
          });
          expectNoServerError(res, `${method} ${segment}`);
          expect([400, 404, 412], `${method} ${segment}`).toContain(res.statusCode);
        }
      }
    });

    it('should answer a broken percent-encoding with 400 and an over-long segment with 414', async () => {
      const broken = expectProblem(await asAdmin({ method: 'GET', url: '/api/v1/admin/staff/%E0%A4%A' }), 'VALIDATION_FAILED');
      expect(broken.errors).toEqual([{ path: 'url', message: expect.any(String), reason: 'invalid_format' }]);
      const brokenAnswer = await asAdmin({ method: 'GET', url: '/api/v1/admin/staff/%E0%A4%A' });
      expect(brokenAnswer.headers['content-security-policy']).toContain("default-src 'self'");
      expect(brokenAnswer.headers['x-frame-options']).toBe('DENY');
      expectProblem(await asAdmin({ method: 'GET', url: '/api/v1/admin/staff/%' }), 'VALIDATION_FAILED');
      const long = await asAdmin({ method: 'GET', url: `/api/v1/admin/staff/${'a'.repeat(201)}` });
      expectProblem(long, 'URI_TOO_LONG');
      expect(long.headers['cache-control']).toBe('no-store');
      // Wherever the segment is: a parameter, a fixed part, an unknown route, the web app's paths,
      // with or without a query; whether or not the web app is built (its catch-all route).
      const segment = 'a'.repeat(201);
      for (const url of [
        `/api/v1/admin/staff/${segment}?limit=1`,
        `/api/v1/${segment}/staff`,
        `/api/v1/no/such/${segment}`,
        `/${segment}`,
        `/assets/${segment}.js`,
        `/api/v1/admin/staff/${'%41'.repeat(67)}`,
      ]) {
        for (const method of ['GET', 'POST', 'DELETE'] as const) {
          const res = await asAdmin({ method, url });
          expect(res.statusCode, `${method} ${url}`).toBe(414);
          expectProblem(res, 'URI_TOO_LONG');
          expect(res.headers['content-security-policy'], `${method} ${url}`).toContain("default-src 'self'");
        }
      }
      // 200 characters are still a (possibly unknown) segment, not too long.
      expectProblem(await asAdmin({ method: 'GET', url: `/api/v1/no/such/${'a'.repeat(200)}` }), 'NOT_FOUND');
      const tooLongForSchema = await asAdmin({ method: 'GET', url: `/api/v1/admin/staff/${'a'.repeat(65)}` });
      expect(expectProblem(tooLongForSchema, 'VALIDATION_FAILED').errors?.[0]?.path).toBe('params.id');
    });

    it('should answer unknown routes and unknown query parameters as problems', async () => {
      expectProblem(await asAdmin({ method: 'GET', url: '/api/v1/no/such/route' }), 'NOT_FOUND');
      expectProblem(await asAdmin({ method: 'DELETE', url: '/api/v1/auth/login' }), 'NOT_FOUND');
      const unknown = await asAdmin({ method: 'GET', url: '/api/v1/admin/staff?role=admin' });
      expect(expectProblem(unknown, 'VALIDATION_FAILED').errors?.[0]).toEqual({
        path: 'querystring',
        message: expect.stringContaining('role'),
        reason: 'not_allowed',
      });
      expectProblem(await asAdmin({ method: 'GET', url: '/api/v1/admin/staff?limit=1&limit=2' }), 'VALIDATION_FAILED');
    });

    it('should refuse a forged or garbage cursor with 400 and follow a real one', async () => {
      const forged = [
        'garbage',
        '!!!',
        Buffer.from('{"u":1}').toString('base64url'),
        Buffer.from('[1,2,3]').toString('base64url'),
        Buffer.from('not json').toString('base64url'),
        Buffer.from('{"__proto__":{"x":1}}').toString('base64url'),
        '%00',
      ];
      for (const cursor of forged) {
        const res = await asAdmin({ method: 'GET', url: `/api/v1/admin/staff?cursor=${cursor}` });
        expect(expectProblem(res, 'VALIDATION_FAILED').errors?.[0]?.path, cursor).toMatch(/cursor$/);
      }
      expectProblem(await asAdmin({ method: 'GET', url: `/api/v1/admin/staff?cursor=${'A'.repeat(201)}` }), 'VALIDATION_FAILED');

      const first = await asAdmin({ method: 'GET', url: '/api/v1/admin/staff?limit=1' });
      const page1 = first.json<{ items: { id: string }[]; nextCursor: string | null }>();
      expect(page1.items).toHaveLength(1);
      expect(page1.nextCursor).toEqual(expect.any(String));
      const second = await asAdmin({ method: 'GET', url: `/api/v1/admin/staff?limit=1&cursor=${page1.nextCursor}` });
      expect(second.statusCode).toBe(200);
      expect(second.json<{ items: { id: string }[] }>().items[0]?.id).not.toBe(page1.items[0]?.id);
    });
  });

  describe('generated input (fast-check)', () => {
    const concrete = (url: string) => url.replace(/:[A-Za-z0-9_]+/g, victim.id);

    /** Sends one generated body to one route as the admin; signs in again when a route ended the session. */
    async function sendBody(route: RegisteredRoute, payload: string | undefined): Promise<LightMyRequestResponse> {
      const res = await asAdmin({
        method: route.method as InjectOptions['method'], // the registry holds the methods Fastify accepted
        url: concrete(route.url),
        ...(payload === undefined ? {} : { payload }),
        headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), 'if-match': '"1"' },
      });
      if (res.statusCode === 401 && route.access !== 'public' && res.json<{ code: string }>().code === 'UNAUTHENTICATED')
        await signInAdmin();
      return res;
    }

    const mutatingRoutes = () => registeredRoutes(h.app).filter((r) => MUTATING.has(r.method) && r.url.startsWith('/api/'));

    it('should enumerate the routes of the app, the staff routes among them', () => {
      const names = mutatingRoutes().map((r) => `${r.method} ${r.url}`);
      expect(names).toEqual(
        expect.arrayContaining([
          'POST /api/v1/auth/login',
          'POST /api/v1/auth/logout',
          'POST /api/v1/auth/mfa/enrol',
          'POST /api/v1/auth/mfa/confirm',
          'POST /api/v1/auth/password',
          'POST /api/v1/admin/staff',
          'PATCH /api/v1/admin/staff/:id',
          'POST /api/v1/admin/staff/:id/password-reset',
          'POST /api/v1/admin/staff/:id/mfa-reset',
        ]),
      );
    });

    it('should answer any JSON at any state-changing route with a 4xx problem or a 2xx, never a 5xx, and store no half-written staff', async () => {
      const before = await staffCount();
      const createdEvents = async () =>
        (await h.db.selectFrom('audit_events').select('id').where('action', '=', 'staff.created').execute()).length;
      const eventsBefore = await createdEvents();
      const arbitraries: [string, fc.Arbitrary<string | undefined>][] = [
        ['anything', fc.anything().map((v) => (v === undefined ? undefined : JSON.stringify(v)))],
        ['json', fc.json()],
        ['object', fc.object().map((v) => JSON.stringify(v))],
      ];
      for (const route of mutatingRoutes()) {
        for (const [name, arbitrary] of arbitraries) {
          await fc.assert(
            fc.asyncProperty(arbitrary, async (payload) => {
              expectNoServerError(await sendBody(route, payload), `${route.method} ${route.url} ${name} ${String(payload).slice(0, 200)}`);
            }),
            { numRuns: 30 },
          );
        }
      }
      // A generated body may happen to be a valid creation; each one must be whole: row and event.
      expect(await staffCount()).toBe(before + (await createdEvents()) - eventsBefore);
    }, 300_000);

    it('should answer any query string at any GET route without a 5xx', async () => {
      const getRoutes = registeredRoutes(h.app).filter(
        (r) => r.method === 'GET' && r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'),
      );
      const query = fc.dictionary(
        fc.string({ maxLength: 12 }),
        fc.oneof(fc.string({ maxLength: 40 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 })),
        { maxKeys: 4 },
      );
      for (const route of getRoutes) {
        await fc.assert(
          fc.asyncProperty(query, async (q) => {
            const search = new URLSearchParams();
            for (const [k, v] of Object.entries(q)) for (const one of [v].flat()) search.append(k, one);
            const res = await asAdmin({ method: 'GET', url: `${concrete(route.url)}?${search.toString()}` });
            expectNoServerError(res, `GET ${route.url}?${search.toString()}`);
          }),
          { numRuns: 25 },
        );
      }
    }, 300_000);

    it('should create a staff member exactly when the answer is 201, whatever nearly-valid body and Idempotency-Key come in', async () => {
      const staffBefore = await staffCount();
      const eventsBefore = (await h.db.selectFrom('audit_events').select('id').where('action', '=', 'staff.created').execute()).length;
      let created = 0;
      // Mostly valid parts, so that some creations succeed among the refusals around them.
      const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
        fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: invalid });
      const body = fc
        .record(
          {
            username: mostly(fc.stringMatching(/^[a-z][a-z0-9._-]{1,8}$/), fc.string({ maxLength: 10 })),
            displayName: mostly(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 })),
            branchId: mostly(fc.constantFrom(branches.EAST, branches.WEST), fc.constantFrom('no-such-branch', '', '\u0000')),
            roles: mostly(
              fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 3 }),
              fc.array(fc.constantFrom('root', '', 'ADMIN')),
            ),
            password: mostly(fc.string({ minLength: 12, maxLength: 20 }), fc.string({ maxLength: 11 })),
            extra: fc.constant(true),
          },
          { requiredKeys: ['username', 'displayName', 'branchId', 'roles'] },
        )
        .map(({ extra, ...rest }) => (extra && rest.username.length % 7 === 0 ? { ...rest, extra } : rest));
      const key = fc.option(fc.constantFrom('key-1', 'key-2', 'key-3', 'bad key', 'k'.repeat(201)), { nil: undefined });
      await fc.assert(
        fc.asyncProperty(body, key, async (b, k) => {
          const res = await createStaff(b, k === undefined ? {} : { 'idempotency-key': k });
          expectNoServerError(res, JSON.stringify(b));
          if (res.statusCode === 201 && res.headers['idempotent-replay'] !== 'true') created += 1;
        }),
        { numRuns: 150 },
      );
      expect(created).toBeGreaterThan(0);
      expect(await staffCount()).toBe(staffBefore + created);
      const events = (await h.db.selectFrom('audit_events').select('id').where('action', '=', 'staff.created').execute()).length;
      expect(events).toBe(eventsBefore + created);
      const orphans = await h.db
        .selectFrom('staff')
        .select('id')
        .where('branch_id', 'not in', [branches.HQ, branches.EAST, branches.WEST])
        .execute();
      expect(orphans).toEqual([]);
    }, 300_000);
  });
});
