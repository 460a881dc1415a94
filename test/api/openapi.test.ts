import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ERRORS } from '../../src/platform/http/errors.js';
import { registeredRoutes } from '../../src/platform/http/http-app.js';
import { makeStaff, signIn } from '../helpers/factories.js';
import { type Harness, createHarness, describeEachDialect, freshDatabase } from '../helpers/harness.js';
import { expectProblem } from './expect-problem.js';

interface Operation {
  summary?: string;
  tags?: string[];
  parameters?: { in: string; name: string; schema: object }[];
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
  security?: object[];
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
}

/** The value with the keys of every object in sorted order (arrays keep theirs). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, sortKeys(v)]),
  );
}

/** `/api/v1/admin/staff/:id` → `/api/v1/admin/staff/{id}`, as OpenAPI writes paths. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describeEachDialect('OpenAPI, docs, health and metrics', (dialect) => {
  let h: Harness;
  let doc: OpenApiDocument;
  beforeAll(async () => {
    h = await createHarness(dialect);
    const res = await h.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = res.json<OpenApiDocument>();
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('the OpenAPI document', () => {
    it('should be OpenAPI 3.1 and describe Lifeline', () => {
      expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
      expect(doc.info.title).toBe('Lifeline API');
    });

    it('should list every /api/v1 route of the app with its request and response schemas', () => {
      const routes = registeredRoutes(h.app).filter((r) => r.url.startsWith('/api/v1/') && r.method !== 'HEAD');
      expect(routes.length).toBeGreaterThanOrEqual(13);
      for (const route of routes) {
        const name = `${route.method} ${route.url}`;
        const op = doc.paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
        expect(op, name).toBeDefined();
        if (!op) continue;
        expect(op.summary, name).toEqual(expect.any(String));
        expect(op.tags?.length, name).toBeGreaterThan(0);
        if (route.schema.body) expect(op.requestBody?.content['application/json']?.schema, name).toBeDefined();
        if (route.schema.params) {
          for (const param of route.url.match(/:([A-Za-z0-9_]+)/g) ?? []) {
            expect(
              op.parameters?.find((p) => p.in === 'path' && p.name === param.slice(1)),
              `${name} ${param}`,
            ).toBeDefined();
          }
        }
        if (route.schema.querystring)
          expect(
            op.parameters?.some((p) => p.in === 'query'),
            name,
          ).toBe(true);
        const success = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
        expect(success.length, name).toBeGreaterThan(0);
        for (const [, response] of success) expect(response.content?.['application/json']?.schema, name).toBeDefined();
        expect(op.responses.default?.content?.['application/problem+json'], name).toBeDefined();
        if (route.access === 'partner') expect(op.security, name).toEqual([{ partnerHmac: [] }]);
        else if (route.access !== 'public')
          expect(op.security, name).toEqual(route.apiKey ? [{ session: [] }, { bearerKey: [] }] : [{ session: [] }]);
      }
    });

    it('should publish the problem+json shape with every error code of the catalogue', () => {
      expect(doc.components.schemas.Problem?.properties.code?.enum?.sort()).toEqual(Object.keys(ERRORS).sort());
    });

    it('should show the real length limits of text fields', () => {
      const create = doc.paths['/api/v1/admin/staff']?.post?.requestBody?.content['application/json']?.schema;
      expect(create).toMatchObject({ properties: { displayName: { minLength: 1, maxLength: 100 } } });
    });

    it('should give every date the format date, so that generated clients get dates and not plain strings', () => {
      const dates: unknown[] = [];
      const visit = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(visit);
        else if (node !== null && typeof node === 'object') {
          if ('pattern' in node && node.pattern === '^\\d{4}-\\d{2}-\\d{2}$') dates.push(node);
          Object.values(node).forEach(visit);
        }
      };
      visit(doc.paths);
      expect(dates.length).toBeGreaterThan(10);
      for (const date of dates) expect(date).toMatchObject({ type: 'string', format: 'date' });
      const register = doc.paths['/api/v1/cases']?.post?.requestBody?.content['application/json']?.schema;
      expect(register).toMatchObject({ properties: { reviewOn: { type: 'string', format: 'date' } } });
    });

    it('should be exactly the committed snapshot, so that a change of the contract is always deliberate', async () => {
      // Update on purpose with `npx vitest run test/api/openapi.test.ts -u` and say why in the commit.
      // Keys sorted: the order in which features register their routes is not part of the contract.
      await expect(`${JSON.stringify(sortKeys(doc), null, 2)}\n`).toMatchFileSnapshot('./openapi.snapshot.json');
    });

    it('should never list the browsable reference itself', () => {
      expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/docs'))).toEqual([]);
    });
  });

  describe('the browsable reference', () => {
    it('should serve /api/docs as HTML whose scripts and styles load from the same origin under the CSP', async () => {
      const page = await h.app.inject({ method: 'GET', url: '/api/docs/' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toMatch(/script-src 'self'/);
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).toContain("object-src 'none'");
      // No inline script: everything the page runs comes from the swagger-ui static route.
      expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      const assets = [...page.body.matchAll(/(?:src|href)="(\.\/static\/[^"]+)"/g)].map((m) => m[1] ?? '');
      expect(assets.filter((a) => a.endsWith('.js')).length).toBeGreaterThanOrEqual(2);
      expect(assets.filter((a) => a.endsWith('.css')).length).toBeGreaterThanOrEqual(1);
      for (const asset of assets) {
        const res = await h.app.inject({ method: 'GET', url: `/api/docs/${asset.slice(2)}` });
        expect(res.statusCode, asset).toBe(200);
        if (asset.endsWith('.js')) expect(res.headers['content-type'], asset).toContain('javascript');
        if (asset.endsWith('.css')) expect(res.headers['content-type'], asset).toContain('text/css');
      }
      const redirect = await h.app.inject({ method: 'GET', url: '/api/docs' });
      expect([200, 302]).toContain(redirect.statusCode);
    });

    it('should point the reference at the generated document, every operation of it, in the form it renders fast', async () => {
      const init = await h.app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
      expect(init.statusCode).toBe(200);
      // Operations folded and no model list at first: the page shows the tags at once (docs/decisions.md).
      expect(init.body).toContain('"docExpansion":"none"');
      expect(init.body).toContain('"defaultModelsExpandDepth":-1');
      const json = await h.app.inject({ method: 'GET', url: '/api/docs/json' });
      const viewed = json.json<OpenApiDocument>();
      // The reference reads OpenAPI 3.0: swagger-ui resolves a 3.1 document of this size for seconds.
      expect(viewed.openapi).toBe('3.0.3');
      const operations = (d: OpenApiDocument) => Object.entries(d.paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m} ${p}`));
      expect(operations(viewed).sort()).toEqual(operations(doc).sort());
      const text = json.body;
      expect(text).not.toMatch(/"type":\[/);
      expect(text).not.toContain('"type":"null"');
      expect(text).not.toContain('"propertyNames"');
      const register = viewed.paths['/api/v1/cases']?.post?.requestBody?.content['application/json']?.schema;
      expect(register).toMatchObject({ properties: { reviewOn: { type: 'string', format: 'date' } } });
      // The contract itself stays 3.1 at /api/openapi.json.
      expect(doc.openapi).toMatch(/^3\.1\./);
    });
  });

  describe('health', () => {
    it('should answer {status: "ok"} while the database answers', async () => {
      const res = await h.app.inject({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
    });

    it('should answer 503 problem+json when the database is closed', async () => {
      const { database, drop } = await freshDatabase(dialect, h.dataDir);
      // Kysely only really closes a database it has opened: use it once, then close it.
      await sql`SELECT 1`.execute(database.db);
      await database.close();
      const app = await buildApp({ ...h.ctx, db: database.db }, { logger: false });
      try {
        const res = await app.inject({ method: 'GET', url: '/api/health' });
        expectProblem(res, 'SERVICE_UNAVAILABLE');
        expect(res.body).not.toMatch(/destroyed|ECONNREFUSED|sqlite|postgres/i);
      } finally {
        await app.close();
        await drop();
      }
    });
  });

  describe('metrics', () => {
    it('should serve Prometheus text with request durations labelled by route pattern, never by raw id', async () => {
      const who = await makeStaff(h, { roles: ['admin'], branch: 'HQ', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
      const s = await signIn(h, who);
      const rawId = '0190aaaa-1111-7222-8333-444455556666';
      await s.request({ method: 'GET', url: `/api/v1/admin/staff/${rawId}` });
      await s.request({ method: 'GET', url: `/api/v1/admin/staff/${who.id}` });
      await h.app.inject({ method: 'GET', url: `/api/v1/nothing/here/${rawId}` });
      const res = await h.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.body).toContain('# TYPE lifeline_http_request_duration_seconds histogram');
      expect(res.body).toMatch(
        /lifeline_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/admin\/staff\/:id",status="404"\} \d+/,
      );
      expect(res.body).toMatch(
        /lifeline_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/admin\/staff\/:id",status="200"\} \d+/,
      );
      expect(res.body).toContain('route="unmatched"');
      expect(res.body).not.toContain(rawId);
      expect(res.body).not.toContain(who.id);
      expect(res.body).not.toContain(who.username);
    });
  });
});
