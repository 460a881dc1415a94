import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { auditRoutes } from './features/audit/audit.routes.js';
import { caseAccessRoutes } from './features/case-access/case-access.routes.js';
import { casesRoutes } from './features/cases/cases.routes.js';
import { communicationRoutes } from './features/communication/communication.routes.js';
import { creditRoutes } from './features/credit/credit.routes.js';
import { kpiRoutes } from './features/kpis/kpis.routes.js';
import { emergencyLoanRoutes } from './features/credit/emergency-loan.routes.js';
import { restructuringRoutes } from './features/credit/restructuring.routes.js';
import { riskRoutes } from './features/risk/risk.routes.js';
import { customersRoutes } from './features/customers/customers.routes.js';
import { leadsRoutes } from './features/leads/leads.routes.js';
import { proceduresRoutes } from './features/procedures/procedures.routes.js';
import { servicesRoutes } from './features/services/services.routes.js';
import { wealthRoutes } from './features/services/wealth.routes.js';
import { notificationsRoutes } from './features/notifications/notifications.routes.js';
import { partnersRoutes } from './features/partners/partners.routes.js';
import { createPartnerKeyStore } from './features/partners/partners.service.js';
import { agreementsRoutes } from './features/staff/agreements.routes.js';
import { authRoutes } from './features/staff/auth.routes.js';
import { createAuthenticator } from './features/staff/auth.service.js';
import { staffRoutes } from './features/staff/staff.routes.js';
import { awayRoutes } from './features/staff/away.routes.js';
import { systemRoutes } from './features/system/system.routes.js';
import { teamsRoutes } from './features/teams/teams.routes.js';
import { trainingRoutes } from './features/training/training.routes.js';
import { ingestionRoutes } from './features/ingestion/ingestion.routes.js';
import { alertsRoutes } from './features/alerts/alerts.routes.js';
import { rulesRoutes } from './features/rules/rules.routes.js';
import { clientsRoutes } from './features/clients/clients.routes.js';
import { createApiKeyStore } from './features/clients/clients.service.js';
import { decisionsRoutes } from './features/decisions/decisions.routes.js';
import { workRoutes } from './features/work/work.routes.js';
import type { AppContext } from './platform/http/context.js';
import { openApi30ForViewer } from './platform/http/openapi-viewer.js';
import { problemOf } from './platform/http/errors.js';
import { createHttpApp } from './platform/http/http-app.js';

/**
 * Where the built web app lives: `web/dist`, found from this module whether it runs from src/
 * (tsx), from the bundle's dist/cli.js or from one of the bundle's dist/chunks/ (test/cli/serve.test.ts).
 */
function webRoot(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, '..', 'web', 'dist'), path.join(here, '..', '..', 'web', 'dist')];
  return candidates.find((c) => existsSync(path.join(c, 'index.html'))) ?? null;
}

/** Builds the whole Lifeline app: the only place that knows every feature. */
export async function buildApp(ctx: AppContext, opts: { logger?: FastifyServerOptions['logger'] } = {}): Promise<FastifyInstance> {
  const app = await createHttpApp(ctx, {
    authenticator: createAuthenticator(ctx),
    partnerKeys: createPartnerKeyStore(ctx),
    apiKeys: createApiKeyStore(ctx),
    logger: opts.logger,
  });

  systemRoutes(app, ctx);
  authRoutes(app, ctx);
  staffRoutes(app, ctx);
  awayRoutes(app, ctx);
  customersRoutes(app, ctx);
  auditRoutes(app, ctx);
  partnersRoutes(app, ctx);
  leadsRoutes(app, ctx);
  casesRoutes(app, ctx);
  teamsRoutes(app, ctx);
  caseAccessRoutes(app, ctx);
  agreementsRoutes(app, ctx);
  workRoutes(app, ctx);
  communicationRoutes(app, ctx);
  notificationsRoutes(app, ctx);
  servicesRoutes(app, ctx);
  creditRoutes(app, ctx);
  kpiRoutes(app, ctx);
  emergencyLoanRoutes(app, ctx);
  restructuringRoutes(app, ctx);
  proceduresRoutes(app, ctx);
  riskRoutes(app, ctx);
  wealthRoutes(app, ctx);
  trainingRoutes(app, ctx);
  ingestionRoutes(app, ctx);
  alertsRoutes(app, ctx);
  rulesRoutes(app, ctx);
  clientsRoutes(app, ctx);
  decisionsRoutes(app, ctx);

  // staticCSP off: helmet's stricter policy applies to the reference too (it needs no inline script).
  // The reference reads the document in OpenAPI 3.0 form, operations folded and no model list at
  // first: it rendered in about 7 s instead of 2 on the test machine (docs/decisions.md).
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: false,
    uiConfig: { docExpansion: 'none', defaultModelsExpandDepth: -1 },
    transformSpecification: (document) => openApi30ForViewer(document),
    transformSpecificationClone: false,
  });

  const root = webRoot();
  // wildcard: files are looked up per request, so a rebuilt web app needs no restart.
  if (root) await app.register(fastifyStatic, { root, prefix: '/', wildcard: true, index: ['index.html'] });
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0] ?? '';
    if (req.method === 'GET' && root && !url.startsWith('/api/') && url !== '/metrics') {
      // The single-page app routes everything else itself.
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    const problem = problemOf('NOT_FOUND', `no route ${req.method} ${url}`);
    return reply.code(404).type('application/problem+json').send(problem);
  });
  return app;
}
