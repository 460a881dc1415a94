import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Permission, type Role, hasPermission } from '../../src/domain/roles.js';
import { DEMO_USERS } from '../../src/features/demo/demo-users.js';
import { type RegisteredRoute, registeredRoutes } from '../../src/platform/http/http-app.js';
import { type Session, makeCustomer, makeStaff, signIn } from '../helpers/factories.js';
import { loadAccounts } from '../../src/features/customers/customers.service.js';
import { registerCaseViaApi } from '../helpers/cases.js';
import { TINY_PNG_BASE64 } from '../helpers/service-requests.js';
import { type Harness, createHarness, describeEachDialect } from '../helpers/harness.js';

/**
 * The access matrix (issue 4, DESIGN.md "Testing"): every /api/v1 route × every demo user × the
 * fixture cases, which put each user on the team of a case, in its branch but off the team, or in
 * another branch. The expectations are keyed by `METHOD url`; a route without a row fails the run.
 *
 * Two kinds of row:
 * - `case` rows name the status (and, for the case file, whether the sensitive sections show) for
 *   each user and each fixture case: the need-to-know rule of docs/access.md, end to end.
 * - `gate` rows check the permission gate of routes whose object rules their own feature's tests
 *   cover: users without the route's permission get 403, the others the row's status. Writes are
 *   probed with a body no schema accepts (a JSON array) or an id that does not exist, so the
 *   fixtures never change.
 * Both dialects: the whole matrix takes a few seconds per dialect.
 */

type Username = (typeof DEMO_USERS)[number]['username'];
type CaseName = 'team' | 'plain' | 'west';
/** A status, or 200 with (`full`) or without (`basic`) the sensitive sections. */
type Outcome = number | 'full' | 'basic';

interface Fixture {
  cases: Record<CaseName, string>;
  staff: Record<string, string>;
  /** A service request of each case, by case id, with a ticked document, its scan and a signature. */
  serviceRequests: Record<string, string>;
}

interface CaseRow {
  kind: 'case';
  request: (caseId: string, f: Fixture) => InjectOptions;
  expect: (who: Username, relation: Relation, roles: readonly Role[], c: CaseName) => Outcome;
  /** Rows that change what later rows see run last. */
  last?: boolean;
}
interface GateRow {
  kind: 'gate';
  request: InjectOptions;
  /** The status of users who hold the route's permission. */
  allowed: number;
  /** A fresh session for each call (sign-out ends the session it is sent with). */
  fresh?: boolean;
}
type Row = CaseRow | GateRow;

/** How a user stands to a fixture case. */
type Relation = 'on_team' | 'own_branch' | 'other_branch' | 'hq';

const BAD_BODY = { payload: '[]', headers: { 'content-type': 'application/json' } };
const NO_ID = 'no-such-id';
const REASON = '客户紧急来电，团队成员均不在岗，需立即查看';

const isSupervisor = (roles: readonly Role[]) => roles.includes('supervisor');
const isInspector = (roles: readonly Role[]) => roles.includes('inspector');
const get = (url: string): InjectOptions => ({ method: 'GET', url });
const bad = (method: 'POST' | 'PUT' | 'PATCH', url: string): InjectOptions => ({ method, url, ...BAD_BODY });

/** The case file: need-to-know end to end. */
function caseFile(_who: Username, rel: Relation, roles: readonly Role[]): Outcome {
  if (!hasPermission(roles, 'case.read')) return 403;
  if (rel === 'hq') return isInspector(roles) ? 'basic' : 404;
  if (rel === 'other_branch') return 404;
  if (rel === 'on_team' || isSupervisor(roles)) return 'full';
  return 'basic';
}
const asStatus = (o: Outcome): number => (typeof o === 'number' ? o : 200);
/** A case's services: need-to-know as the file; admins read the catalogue but no case (404). */
function caseServices(who: Username, rel: Relation, roles: readonly Role[]): number {
  if (!hasPermission(roles, 'service.read')) return 403;
  return hasPermission(roles, 'case.read') ? asStatus(caseFile(who, rel, roles)) : 404;
}

/** A request's scans and signatures: only the case's entitled readers (full access); 403 for the rest of the branch. */
function caseSensitiveServices(who: Username, rel: Relation, roles: readonly Role[]): number {
  if (!hasPermission(roles, 'service.read')) return 403;
  if (!hasPermission(roles, 'case.read')) return 404;
  const o = caseFile(who, rel, roles);
  return o === 'full' ? 200 : o === 'basic' ? 403 : o;
}
const requestOf = (caseId: string, f: Fixture) => f.serviceRequests[caseId] ?? NO_ID;
const PDF_BYTES = Buffer.from('%PDF-1.7\n%%EOF\n');
/** A case's wealth plan (P4.3.1): its team and its branch's supervisors; a colleague off the team is refused, another branch's case is not found. */
function wealthPlanAccess(who: Username, rel: Relation, roles: readonly Role[]): number {
  if (!hasPermission(roles, 'service.request')) return 403;
  const file = caseFile(who, rel, roles);
  if (file === 'full') return 200;
  return file === 'basic' ? 403 : asStatus(file);
}

const ROWS: Record<string, Row> = {
  // Sessions and the basics every signed-in user has.
  'GET /api/v1/auth/me': { kind: 'gate', request: get('/api/v1/auth/me'), allowed: 200 },
  'POST /api/v1/auth/login': { kind: 'gate', request: bad('POST', '/api/v1/auth/login'), allowed: 400 },
  'POST /api/v1/auth/logout': { kind: 'gate', request: { method: 'POST', url: '/api/v1/auth/logout' }, allowed: 200, fresh: true },
  'POST /api/v1/auth/mfa/enrol': { kind: 'gate', request: { method: 'POST', url: '/api/v1/auth/mfa/enrol' }, allowed: 200, fresh: true },
  'POST /api/v1/auth/mfa/confirm': { kind: 'gate', request: bad('POST', '/api/v1/auth/mfa/confirm'), allowed: 400 },
  'POST /api/v1/auth/password': { kind: 'gate', request: bad('POST', '/api/v1/auth/password'), allowed: 400 },
  'GET /api/v1/branches': { kind: 'gate', request: get('/api/v1/branches'), allowed: 200 },
  'GET /api/v1/conditions': { kind: 'gate', request: get('/api/v1/conditions'), allowed: 200 },
  'GET /api/v1/staff/colleagues': { kind: 'gate', request: get('/api/v1/staff/colleagues'), allowed: 200 },
  // Administration.
  'GET /api/v1/admin/staff': { kind: 'gate', request: get('/api/v1/admin/staff'), allowed: 200 },
  'POST /api/v1/admin/staff': { kind: 'gate', request: bad('POST', '/api/v1/admin/staff'), allowed: 400 },
  'GET /api/v1/admin/staff/:id': { kind: 'gate', request: get(`/api/v1/admin/staff/${NO_ID}`), allowed: 404 },
  'GET /api/v1/admin/role-requests': { kind: 'gate', request: get('/api/v1/admin/role-requests'), allowed: 200 },
  'POST /api/v1/admin/role-requests/:id/decision': {
    kind: 'gate',
    request: bad('POST', `/api/v1/admin/role-requests/${NO_ID}/decision`),
    allowed: 400,
  },
  'PATCH /api/v1/admin/staff/:id': { kind: 'gate', request: bad('PATCH', `/api/v1/admin/staff/${NO_ID}`), allowed: 400 },
  'POST /api/v1/admin/staff/:id/password-reset': {
    kind: 'gate',
    request: { method: 'POST', url: `/api/v1/admin/staff/${NO_ID}/password-reset` },
    allowed: 404,
  },
  'POST /api/v1/admin/staff/:id/mfa-reset': {
    kind: 'gate',
    request: { method: 'POST', url: `/api/v1/admin/staff/${NO_ID}/mfa-reset` },
    allowed: 404,
  },
  'GET /api/v1/admin/partners': { kind: 'gate', request: get('/api/v1/admin/partners'), allowed: 200 },
  'POST /api/v1/admin/partners': { kind: 'gate', request: bad('POST', '/api/v1/admin/partners'), allowed: 400 },
  'GET /api/v1/admin/partners/:id': { kind: 'gate', request: get(`/api/v1/admin/partners/${NO_ID}`), allowed: 404 },
  'PATCH /api/v1/admin/partners/:id': { kind: 'gate', request: bad('PATCH', `/api/v1/admin/partners/${NO_ID}`), allowed: 400 },
  'POST /api/v1/admin/partners/:id/keys': {
    kind: 'gate',
    request: { method: 'POST', url: `/api/v1/admin/partners/${NO_ID}/keys` },
    allowed: 404,
  },
  'POST /api/v1/admin/partners/:id/keys/:keyId/revoke': {
    kind: 'gate',
    request: { method: 'POST', url: `/api/v1/admin/partners/${NO_ID}/keys/${NO_ID}/revoke` },
    allowed: 404,
  },
  'POST /api/v1/admin/staff/:id/agreements': {
    kind: 'gate',
    request: bad('POST', `/api/v1/admin/staff/${NO_ID}/agreements`),
    allowed: 400,
  },
  'GET /api/v1/admin/agreements/missing': { kind: 'gate', request: get('/api/v1/admin/agreements/missing'), allowed: 200 },
  'GET /api/v1/agreements/mine': { kind: 'gate', request: get('/api/v1/agreements/mine'), allowed: 200 },
  // Audit.
  'GET /api/v1/audit/events': { kind: 'gate', request: get('/api/v1/audit/events'), allowed: 200 },
  'POST /api/v1/audit/verify': { kind: 'gate', request: { method: 'POST', url: '/api/v1/audit/verify' }, allowed: 200 },
  // Customers.
  'POST /api/v1/customers/search': { kind: 'gate', request: bad('POST', '/api/v1/customers/search'), allowed: 400 },
  'GET /api/v1/customers/:id': { kind: 'gate', request: get(`/api/v1/customers/${NO_ID}`), allowed: 404 },
  'POST /api/v1/customers/:id/reveal': { kind: 'gate', request: bad('POST', `/api/v1/customers/${NO_ID}/reveal`), allowed: 400 },
  // Leads.
  'POST /api/v1/leads': { kind: 'gate', request: bad('POST', '/api/v1/leads'), allowed: 400 },
  'GET /api/v1/leads': { kind: 'gate', request: get('/api/v1/leads'), allowed: 200 },
  'GET /api/v1/leads/:id': { kind: 'gate', request: get(`/api/v1/leads/${NO_ID}`), allowed: 404 },
  'POST /api/v1/leads/:id/decision': { kind: 'gate', request: bad('POST', `/api/v1/leads/${NO_ID}/decision`), allowed: 400 },
  'POST /api/v1/leads/:id/assign': { kind: 'gate', request: bad('POST', `/api/v1/leads/${NO_ID}/assign`), allowed: 400 },
  'POST /api/v1/leads/:id/check': { kind: 'gate', request: bad('POST', `/api/v1/leads/${NO_ID}/check`), allowed: 400 },
  'POST /api/v1/leads/:id/match': { kind: 'gate', request: bad('POST', `/api/v1/leads/${NO_ID}/match`), allowed: 400 },
  'POST /api/v1/leads/:id/merge': { kind: 'gate', request: bad('POST', `/api/v1/leads/${NO_ID}/merge`), allowed: 400 },
  'POST /api/v1/leads/:id/reopen': { kind: 'gate', request: bad('POST', `/api/v1/leads/${NO_ID}/reopen`), allowed: 400 },
  // Cases: the file itself with the need-to-know rule; changes at the gate (cases.test.ts has their object rules).
  'POST /api/v1/cases': { kind: 'gate', request: bad('POST', '/api/v1/cases'), allowed: 400 },
  'GET /api/v1/cases': { kind: 'gate', request: get('/api/v1/cases'), allowed: 200 },
  'GET /api/v1/cases/:id': { kind: 'case', request: (id) => get(`/api/v1/cases/${id}`), expect: caseFile },
  'PATCH /api/v1/cases/:id': { kind: 'gate', request: bad('PATCH', `/api/v1/cases/${NO_ID}`), allowed: 400 },
  'POST /api/v1/cases/:id/review': { kind: 'gate', request: bad('POST', `/api/v1/cases/${NO_ID}/review`), allowed: 400 },
  'PUT /api/v1/cases/:id/maintainer': { kind: 'gate', request: bad('PUT', `/api/v1/cases/${NO_ID}/maintainer`), allowed: 400 },
  'POST /api/v1/cases/:id/close': { kind: 'gate', request: bad('POST', `/api/v1/cases/${NO_ID}/close`), allowed: 400 },
  'POST /api/v1/cases/:id/consents': { kind: 'gate', request: bad('POST', `/api/v1/cases/${NO_ID}/consents`), allowed: 400 },
  'POST /api/v1/cases/:id/consents/:consentId/withdraw': {
    kind: 'gate',
    request: bad('POST', `/api/v1/cases/${NO_ID}/consents/${NO_ID}/withdraw`),
    allowed: 400,
  },
  // The team (P3.1) and break glass (P5.4.1), with their object rules.
  'GET /api/v1/cases/:id/team': {
    kind: 'case',
    request: (id) => get(`/api/v1/cases/${id}/team`),
    expect: (w, r, roles) => asStatus(caseFile(w, r, roles)),
  },
  'PUT /api/v1/cases/:id/team': {
    kind: 'case',
    // Always cm.west as the one primary customer manager: valid for the WEST case (its team already), not for EAST's.
    request: (id, f) => ({
      method: 'PUT',
      url: `/api/v1/cases/${id}/team`,
      payload: { members: [{ staffId: f.staff['cm.west'], role: 'customer_manager', primary: true }] },
    }),
    expect: (_w, rel, roles, c) => {
      if (!hasPermission(roles, 'team.assign')) return 403;
      if (rel !== 'own_branch') return 404;
      // The branch's supervisor: cm.west is of the WEST case's branch only.
      return c === 'west' ? 200 : 400;
    },
  },
  'GET /api/v1/teams/workload': { kind: 'gate', request: get('/api/v1/teams/workload'), allowed: 200 },
  'POST /api/v1/cases/:id/break-glass': {
    kind: 'case',
    last: true,
    request: (id) => ({ method: 'POST', url: `/api/v1/cases/${id}/break-glass`, payload: { reason: REASON } }),
    expect: (w, rel, roles) => {
      if (!hasPermission(roles, 'breakglass.request')) return 403;
      const file = caseFile(w, rel, roles);
      if (file === 'full') return 409;
      return file === 'basic' ? 201 : 404;
    },
  },
  'GET /api/v1/break-glass': { kind: 'gate', request: get('/api/v1/break-glass'), allowed: 200 },
  'POST /api/v1/break-glass/:id/review': { kind: 'gate', request: bad('POST', `/api/v1/break-glass/${NO_ID}/review`), allowed: 400 },
  // Services (P4, P6): the case's list and accommodations with need-to-know; the rest at the gate (services.test.ts has the object rules).
  'GET /api/v1/service-types': { kind: 'gate', request: get('/api/v1/service-types'), allowed: 200 },
  'PATCH /api/v1/admin/service-types/:code': {
    kind: 'gate',
    request: bad('PATCH', '/api/v1/admin/service-types/fee_relief'),
    allowed: 400,
  },
  'GET /api/v1/cases/:id/service-requests': {
    kind: 'case',
    request: (id) => get(`/api/v1/cases/${id}/service-requests`),
    expect: caseServices,
  },
  'POST /api/v1/cases/:id/service-requests': {
    kind: 'gate',
    request: bad('POST', `/api/v1/cases/${NO_ID}/service-requests`),
    allowed: 400,
  },
  'GET /api/v1/cases/:id/wealth-plan': {
    kind: 'case',
    request: (id) => get(`/api/v1/cases/${id}/wealth-plan`),
    expect: wealthPlanAccess,
  },
  'POST /api/v1/cases/:id/wealth-plan/preview': {
    kind: 'gate',
    request: bad('POST', `/api/v1/cases/${NO_ID}/wealth-plan/preview`),
    allowed: 400,
  },
  // Away dates (P4.3.2): one's own for everyone; a colleague's for a supervisor of their branch (wealth.test.ts has the object rules).
  'GET /api/v1/staff/me/away': { kind: 'gate', request: get('/api/v1/staff/me/away'), allowed: 200 },
  'PUT /api/v1/staff/me/away': { kind: 'gate', request: bad('PUT', '/api/v1/staff/me/away'), allowed: 400 },
  'DELETE /api/v1/staff/me/away': { kind: 'gate', request: { method: 'DELETE', url: '/api/v1/staff/me/away' }, allowed: 200 },
  'PUT /api/v1/staff/:id/away': { kind: 'gate', request: bad('PUT', `/api/v1/staff/${NO_ID}/away`), allowed: 400 },
  'GET /api/v1/service-requests': { kind: 'gate', request: get('/api/v1/service-requests'), allowed: 200 },
  'GET /api/v1/service-requests/:id': { kind: 'gate', request: get(`/api/v1/service-requests/${NO_ID}`), allowed: 404 },
  'POST /api/v1/service-requests/:id/review': {
    kind: 'gate',
    request: { method: 'POST', url: `/api/v1/service-requests/${NO_ID}/review` },
    allowed: 404,
  },
  'POST /api/v1/service-requests/:id/decision': {
    kind: 'gate',
    request: bad('POST', `/api/v1/service-requests/${NO_ID}/decision`),
    allowed: 400,
  },
  'POST /api/v1/service-requests/:id/start': {
    kind: 'gate',
    request: { method: 'POST', url: `/api/v1/service-requests/${NO_ID}/start` },
    allowed: 404,
  },
  'POST /api/v1/service-requests/:id/complete': {
    kind: 'gate',
    request: bad('POST', `/api/v1/service-requests/${NO_ID}/complete`),
    allowed: 400,
  },
  'POST /api/v1/service-requests/:id/cancel': {
    kind: 'gate',
    request: bad('POST', `/api/v1/service-requests/${NO_ID}/cancel`),
    allowed: 400,
  },
  // Procedures (P7.3.1): a request's steps are read as the request; taking one is checked by procedures.test.ts.
  'GET /api/v1/service-requests/:id/procedure': {
    kind: 'case',
    request: (id, f) => get(`/api/v1/service-requests/${requestOf(id, f)}/procedure`),
    expect: caseServices,
  },
  'POST /api/v1/service-requests/:id/procedure-steps/:step/complete': {
    kind: 'gate',
    request: { method: 'POST', url: `/api/v1/service-requests/${NO_ID}/procedure-steps/check/complete` },
    allowed: 404,
  },
  'GET /api/v1/service-types/:code/procedure': { kind: 'gate', request: get('/api/v1/service-types/account_help/procedure'), allowed: 200 },
  'PUT /api/v1/admin/service-types/:code/procedure': {
    kind: 'gate',
    request: bad('PUT', '/api/v1/admin/service-types/account_help/procedure'),
    allowed: 400,
  },
  // The incident log (P7.3.1): branch scoping is checked by procedures.test.ts.
  'GET /api/v1/incidents': { kind: 'gate', request: get('/api/v1/incidents'), allowed: 200 },
  'POST /api/v1/incidents': { kind: 'gate', request: bad('POST', '/api/v1/incidents'), allowed: 400 },
  'GET /api/v1/incidents/:id': { kind: 'gate', request: get(`/api/v1/incidents/${NO_ID}`), allowed: 404 },
  'PATCH /api/v1/incidents/:id': { kind: 'gate', request: bad('PATCH', `/api/v1/incidents/${NO_ID}`), allowed: 400 },
  // Documents and signatures (P6.1.1, P6.1.2): scans and signatures only for the case's entitled readers.
  'GET /api/v1/service-requests/:id/documents': {
    kind: 'case',
    request: (id, f) => get(`/api/v1/service-requests/${requestOf(id, f)}/documents`),
    expect: caseServices,
  },
  'GET /api/v1/service-requests/:id/documents/:code/scan': {
    kind: 'case',
    request: (id, f) => get(`/api/v1/service-requests/${requestOf(id, f)}/documents/identity_document/scan`),
    expect: caseSensitiveServices,
  },
  'GET /api/v1/service-requests/:id/signatures': {
    kind: 'case',
    request: (id, f) => get(`/api/v1/service-requests/${requestOf(id, f)}/signatures`),
    expect: caseSensitiveServices,
  },
  'GET /api/v1/service-requests/:id/summary': {
    kind: 'case',
    request: (id, f) => get(`/api/v1/service-requests/${requestOf(id, f)}/summary?locale=zh-CN`),
    expect: caseServices,
  },
  'PUT /api/v1/service-requests/:id/documents/:code': {
    kind: 'gate',
    request: bad('PUT', `/api/v1/service-requests/${NO_ID}/documents/identity_document`),
    allowed: 400,
  },
  'DELETE /api/v1/service-requests/:id/documents/:code': {
    kind: 'gate',
    request: { method: 'DELETE', url: `/api/v1/service-requests/${NO_ID}/documents/identity_document` },
    allowed: 404,
  },
  'POST /api/v1/service-requests/:id/documents/:code/scan': {
    kind: 'gate',
    request: {
      method: 'POST',
      url: `/api/v1/service-requests/${NO_ID}/documents/identity_document/scan`,
      headers: { 'content-type': 'application/pdf' },
      payload: PDF_BYTES,
    },
    allowed: 404,
  },
  'POST /api/v1/service-requests/:id/signatures': {
    kind: 'gate',
    request: bad('POST', `/api/v1/service-requests/${NO_ID}/signatures`),
    allowed: 400,
  },
  'PATCH /api/v1/service-requests/:id': {
    kind: 'gate',
    request: bad('PATCH', `/api/v1/service-requests/${NO_ID}`),
    allowed: 400,
  },
  'GET /api/v1/cases/:id/accommodations': {
    kind: 'case',
    request: (id) => get(`/api/v1/cases/${id}/accommodations`),
    expect: caseServices,
  },
  'PUT /api/v1/cases/:id/accommodations': { kind: 'gate', request: bad('PUT', `/api/v1/cases/${NO_ID}/accommodations`), allowed: 400 },
  'GET /api/v1/cases/:id/fee-waivers': {
    kind: 'case',
    request: (id) => get(`/api/v1/cases/${id}/fee-waivers`),
    expect: caseServices,
  },
  'GET /api/v1/customers/:customerNumber/fee-waivers': {
    kind: 'gate',
    request: get('/api/v1/customers/C0000000/fee-waivers'),
    allowed: 200,
  },
  'GET /api/v1/cases/:id/collection-treatment': { kind: 'gate', request: get(`/api/v1/cases/${NO_ID}/collection-treatment`), allowed: 404 },
  'PUT /api/v1/cases/:id/collection-treatment': {
    kind: 'gate',
    request: bad('PUT', `/api/v1/cases/${NO_ID}/collection-treatment`),
    allowed: 400,
  },
  'POST /api/v1/cases/:id/collection-contacts': {
    kind: 'gate',
    request: bad('POST', `/api/v1/cases/${NO_ID}/collection-contacts`),
    allowed: 400,
  },
  'GET /api/v1/collection-treatment/:customerNumber': { kind: 'gate', request: get('/api/v1/collection-treatment/C0000000'), allowed: 200 },
  'GET /api/v1/cases/:id/risk-assessment': { kind: 'gate', request: get(`/api/v1/cases/${NO_ID}/risk-assessment`), allowed: 404 },
  'PUT /api/v1/cases/:id/risk-assessment': { kind: 'gate', request: bad('PUT', `/api/v1/cases/${NO_ID}/risk-assessment`), allowed: 400 },
  'POST /api/v1/risk-measures/:id/decision': {
    kind: 'gate',
    request: bad('POST', `/api/v1/risk-measures/${NO_ID}/decision`),
    allowed: 400,
  },
  'POST /api/v1/credit/schedule-preview': { kind: 'gate', request: bad('POST', '/api/v1/credit/schedule-preview'), allowed: 400 },
  'GET /api/v1/credit/reminder-templates': { kind: 'gate', request: get('/api/v1/credit/reminder-templates'), allowed: 200 },
  'POST /api/v1/cases/:id/collection-reminders': {
    kind: 'gate',
    request: bad('POST', `/api/v1/cases/${NO_ID}/collection-reminders`),
    allowed: 400,
  },
  // The indicators (P8.2): a supervisor's own branch, an inspector's every branch; object rules in their tests.
  'GET /api/v1/kpis': { kind: 'gate', request: get('/api/v1/kpis?from=2026-11-01&to=2026-11-30'), allowed: 200 },
  'GET /api/v1/kpis/export': { kind: 'gate', request: get('/api/v1/kpis/export?from=2026-11-01&to=2026-11-30'), allowed: 200 },
  'GET /api/v1/credit/watched-loans': { kind: 'gate', request: get('/api/v1/credit/watched-loans'), allowed: 200 },
  'GET /api/v1/cases/:id/loan-watch': { kind: 'gate', request: get(`/api/v1/cases/${NO_ID}/loan-watch`), allowed: 404 },
  'GET /api/v1/cases/:id/emergency-loan/shortfall': {
    kind: 'gate',
    request: get(`/api/v1/cases/${NO_ID}/emergency-loan/shortfall`),
    allowed: 404,
  },
  'GET /api/v1/service-requests/:id/emergency-loan': {
    kind: 'gate',
    request: get(`/api/v1/service-requests/${NO_ID}/emergency-loan`),
    allowed: 404,
  },
  'POST /api/v1/service-requests/:id/credit-assessment': {
    kind: 'gate',
    request: bad('POST', `/api/v1/service-requests/${NO_ID}/credit-assessment`),
    allowed: 400,
  },
  'POST /api/v1/service-requests/:id/booking': {
    kind: 'gate',
    request: bad('POST', `/api/v1/service-requests/${NO_ID}/booking`),
    allowed: 400,
  },
  'POST /api/v1/credit/restructuring-preview': { kind: 'gate', request: bad('POST', '/api/v1/credit/restructuring-preview'), allowed: 400 },
  'GET /api/v1/service-requests/:id/restructuring': {
    kind: 'gate',
    request: get(`/api/v1/service-requests/${NO_ID}/restructuring`),
    allowed: 404,
  },
  'GET /api/v1/priority/:customerNumber': { kind: 'gate', request: get('/api/v1/priority/C0000000'), allowed: 200 },
  // The work feature (issue 4 points 5–6): at the gate here, object rules in its own tests.
  'GET /api/v1/work/tasks': { kind: 'gate', request: get('/api/v1/work/tasks'), allowed: 200 },
  'POST /api/v1/work/tasks/:id/complete': { kind: 'gate', request: bad('POST', `/api/v1/work/tasks/${NO_ID}/complete`), allowed: 400 },
  'GET /api/v1/cases/:id/tasks': { kind: 'gate', request: get(`/api/v1/cases/${NO_ID}/tasks`), allowed: 404 },
  'POST /api/v1/cases/:id/tasks': { kind: 'gate', request: bad('POST', `/api/v1/cases/${NO_ID}/tasks`), allowed: 400 },
  'POST /api/v1/cases/:id/interactions': { kind: 'gate', request: bad('POST', `/api/v1/cases/${NO_ID}/interactions`), allowed: 400 },
  'GET /api/v1/cases/:id/interactions': { kind: 'gate', request: get(`/api/v1/cases/${NO_ID}/interactions`), allowed: 404 },
  'GET /api/v1/cases/:id/timeline': { kind: 'gate', request: get(`/api/v1/cases/${NO_ID}/timeline`), allowed: 404 },
  // Communication (point 7).
  'GET /api/v1/cases/:id/messages': { kind: 'gate', request: get(`/api/v1/cases/${NO_ID}/messages`), allowed: 404 },
  'POST /api/v1/cases/:id/messages': { kind: 'gate', request: bad('POST', `/api/v1/cases/${NO_ID}/messages`), allowed: 400 },
  'GET /api/v1/cases/:id/meetings': { kind: 'gate', request: get(`/api/v1/cases/${NO_ID}/meetings`), allowed: 404 },
  'POST /api/v1/cases/:id/meetings': { kind: 'gate', request: bad('POST', `/api/v1/cases/${NO_ID}/meetings`), allowed: 400 },
  'GET /api/v1/notifications': { kind: 'gate', request: get('/api/v1/notifications'), allowed: 200 },
  'POST /api/v1/notifications/:id/read': {
    kind: 'gate',
    request: { method: 'POST', url: `/api/v1/notifications/${NO_ID}/read` },
    allowed: 404,
  },
  'POST /api/v1/notifications/read-all': { kind: 'gate', request: { method: 'POST', url: '/api/v1/notifications/read-all' }, allowed: 200 },
  'GET /api/v1/admin/staff/:id/email': { kind: 'gate', request: get(`/api/v1/admin/staff/${NO_ID}/email`), allowed: 404 },
  'PUT /api/v1/admin/staff/:id/email': { kind: 'gate', request: bad('PUT', `/api/v1/admin/staff/${NO_ID}/email`), allowed: 400 },
  // Training (point 8).
  'GET /api/v1/training/courses': { kind: 'gate', request: get('/api/v1/training/courses'), allowed: 200 },
  'POST /api/v1/training/courses': { kind: 'gate', request: bad('POST', '/api/v1/training/courses'), allowed: 400 },
  'GET /api/v1/training/courses/:id': { kind: 'gate', request: get(`/api/v1/training/courses/${NO_ID}`), allowed: 404 },
  'POST /api/v1/training/courses/:id/attendance': {
    kind: 'gate',
    request: bad('POST', `/api/v1/training/courses/${NO_ID}/attendance`),
    allowed: 400,
  },
  'GET /api/v1/training/report': { kind: 'gate', request: get('/api/v1/training/report'), allowed: 200 },
  // Issue 5: transaction batches (bank-wide, not branch data). An upload in a type no parser reads is a 415.
  'POST /api/v1/transactions/batches': {
    kind: 'gate',
    request: { method: 'POST', url: '/api/v1/transactions/batches', payload: 'x', headers: { 'content-type': 'image/png' } },
    allowed: 415,
  },
  'GET /api/v1/transactions/batches': { kind: 'gate', request: get('/api/v1/transactions/batches'), allowed: 200 },
  'GET /api/v1/transactions/batches/:id': { kind: 'gate', request: get(`/api/v1/transactions/batches/${NO_ID}`), allowed: 404 },
  'GET /api/v1/transactions/batches/:id/errors': {
    kind: 'gate',
    request: get(`/api/v1/transactions/batches/${NO_ID}/errors`),
    allowed: 404,
  },
  // Issue 5: the analysis rule sets (bank-wide). Creating and activating are for supervisors.
  'GET /api/v1/analysis/rule-sets': { kind: 'gate', request: get('/api/v1/analysis/rule-sets'), allowed: 200 },
  'GET /api/v1/analysis/rule-sets/active': { kind: 'gate', request: get('/api/v1/analysis/rule-sets/active'), allowed: 200 },
  'GET /api/v1/analysis/rule-sets/:version': { kind: 'gate', request: get(`/api/v1/analysis/rule-sets/${NO_ID}`), allowed: 404 },
  'POST /api/v1/analysis/rule-sets': { kind: 'gate', request: bad('POST', '/api/v1/analysis/rule-sets'), allowed: 400 },
  'POST /api/v1/analysis/rule-sets/:version/dry-run': {
    kind: 'gate',
    request: bad('POST', `/api/v1/analysis/rule-sets/${NO_ID}/dry-run`),
    allowed: 400,
  },
  'POST /api/v1/analysis/rule-sets/:version/activate': {
    kind: 'gate',
    request: { method: 'POST', url: `/api/v1/analysis/rule-sets/${NO_ID}/activate` },
    allowed: 404,
  },
  // Issue 5: fund-safety alerts (P7.2.1); need-to-know per alert is in src/features/alerts/alerts.test.ts.
  'GET /api/v1/alerts': { kind: 'gate', request: get('/api/v1/alerts'), allowed: 200 },
  'GET /api/v1/alerts/metrics': { kind: 'gate', request: get('/api/v1/alerts/metrics'), allowed: 400 },
  'GET /api/v1/alerts/:id': { kind: 'gate', request: get(`/api/v1/alerts/${NO_ID}`), allowed: 404 },
  'POST /api/v1/alerts/:id/contact': { kind: 'gate', request: bad('POST', `/api/v1/alerts/${NO_ID}/contact`), allowed: 400 },
  'POST /api/v1/alerts/:id/verify': { kind: 'gate', request: bad('POST', `/api/v1/alerts/${NO_ID}/verify`), allowed: 400 },
  'POST /api/v1/alerts/:id/resolve': { kind: 'gate', request: bad('POST', `/api/v1/alerts/${NO_ID}/resolve`), allowed: 400 },
  'GET /api/v1/cases/:id/alerts': { kind: 'gate', request: get(`/api/v1/cases/${NO_ID}/alerts`), allowed: 404 },
  // Issue 5: API clients (admins) and the real-time decision (supervisors by session; payment systems by key).
  'GET /api/v1/admin/api-clients': { kind: 'gate', request: get('/api/v1/admin/api-clients'), allowed: 200 },
  'POST /api/v1/admin/api-clients': { kind: 'gate', request: bad('POST', '/api/v1/admin/api-clients'), allowed: 400 },
  'GET /api/v1/admin/api-clients/:id': { kind: 'gate', request: get(`/api/v1/admin/api-clients/${NO_ID}`), allowed: 404 },
  'POST /api/v1/admin/api-clients/:id/disable': {
    kind: 'gate',
    request: { method: 'POST', url: `/api/v1/admin/api-clients/${NO_ID}/disable` },
    allowed: 404,
  },
  'POST /api/v1/admin/api-clients/:id/enable': {
    kind: 'gate',
    request: { method: 'POST', url: `/api/v1/admin/api-clients/${NO_ID}/enable` },
    allowed: 404,
  },
  'POST /api/v1/admin/api-clients/:id/keys': {
    kind: 'gate',
    request: { method: 'POST', url: `/api/v1/admin/api-clients/${NO_ID}/keys` },
    allowed: 404,
  },
  'POST /api/v1/admin/api-clients/:id/keys/:keyId/revoke': {
    kind: 'gate',
    request: { method: 'POST', url: `/api/v1/admin/api-clients/${NO_ID}/keys/${NO_ID}/revoke` },
    allowed: 404,
  },
  'POST /api/v1/transactions/decisions': { kind: 'gate', request: bad('POST', '/api/v1/transactions/decisions'), allowed: 400 },
  // Partner systems sign their requests; a staff session is no credential here.
  'POST /api/v1/partner/referrals': {
    kind: 'gate',
    request: { method: 'POST', url: '/api/v1/partner/referrals', payload: {} },
    allowed: 401,
  },
};

/** Each user calls from an address of their own, so that per-route rate limits (sign-in, verify) count per user. */
const addressOf = (who: Username): string => `10.0.0.${DEMO_USERS.findIndex((u) => u.username === who) + 1}`;

const keyOf = (r: Pick<RegisteredRoute, 'method' | 'url'>) => `${r.method} ${r.url}`;

/** The status a gate row expects of a user: 403 without the route's permission. */
function gateStatus(route: RegisteredRoute, row: GateRow, roles: readonly Role[]): number {
  const access = route.access;
  if (access === 'partner') return row.allowed;
  if (access === 'public' || access === 'authenticated') return row.allowed;
  if (access === undefined) return 403;
  // `access` is now one of the permissions of domain/roles.ts (RouteAccess minus the special values).
  return hasPermission(roles, access as Permission) ? row.allowed : 403;
}

describeEachDialect('access matrix', (dialect) => {
  let h: Harness;
  const sessions = new Map<Username, Session>();
  const people = new Map<Username, Awaited<ReturnType<typeof makeStaff>>>();
  const fixture: Fixture = { cases: { team: '', plain: '', west: '' }, staff: {}, serviceRequests: {} };
  let apiRoutes: RegisteredRoute[] = [];

  async function registerCase(sup: Session, branch: 'EAST' | 'WEST', teller: Session): Promise<string> {
    const customer = await makeCustomer(h, { branch });
    const registered = await registerCaseViaApi({ teller, supervisor: sup }, customer.customerNumber, h.clock.now(), {
      illness: '矩阵测试病情',
      evidenceRef: 'DOC-M',
    });
    return registered.id;
  }

  async function serviceRequestWithEvidence(caseId: string, by: Session): Promise<string> {
    const c = await h.db.selectFrom('cases').select('customer_id').where('id', '=', caseId).executeTakeFirstOrThrow();
    const customer = await h.db.selectFrom('customers').select('customer_number').where('id', '=', c.customer_id).executeTakeFirstOrThrow();
    const accountNumber = `M-${customer.customer_number}`;
    await loadAccounts(h.ctx, h.db, [
      {
        accountNumber,
        customerNumber: customer.customer_number,
        type: 'current',
        currency: 'CNY',
        balanceMinor: 100,
        status: 'active',
        openedOn: '2015-01-01',
      },
    ]);
    const account = await h.db.selectFrom('accounts').select('id').where('account_number', '=', accountNumber).executeTakeFirstOrThrow();
    const created = await by.request({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/service-requests`,
      payload: { type: 'account_help', details: { accountId: account.id, change: 'other', description: '矩阵' } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    const base = `/api/v1/service-requests/${id}`;
    const ticked = await by.request({ method: 'PUT', url: `${base}/documents/identity_document`, payload: { evidenceRef: '原件已核验' } });
    expect(ticked.statusCode, ticked.body).toBe(200);
    const scan = await by.request({
      method: 'POST',
      url: `${base}/documents/identity_document/scan`,
      headers: { 'content-type': 'application/pdf' },
      payload: PDF_BYTES,
    });
    expect(scan.statusCode, scan.body).toBe(200);
    const summary = (await by.request({ method: 'GET', url: `${base}/summary?locale=zh-CN` })).json<{ sha256: string }>();
    const signed = await by.request({
      method: 'POST',
      url: `${base}/signatures`,
      payload: {
        kind: 'on_device',
        locale: 'zh-CN',
        summarySha256: summary.sha256,
        imagePng: `data:image/png;base64,${TINY_PNG_BASE64}`,
        place: '网点',
      },
    });
    expect(signed.statusCode, signed.body).toBe(201);
    return id;
  }

  const session = (who: Username): Session => {
    const s = sessions.get(who);
    if (!s) throw new Error(`no session for ${who}`);
    return s;
  };

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off' });
    for (const u of DEMO_USERS) {
      const made = await makeStaff(h, { roles: u.roles, branch: u.branch, username: u.username });
      people.set(u.username, made);
      fixture.staff[u.username] = made.id;
      sessions.set(u.username, await signIn(h, made));
    }
    // A lead from a teller of each branch, so that the supervisor of that branch may confirm it.
    const westTeller = await makeStaff(h, { roles: ['staff'], branch: 'WEST', username: 'teller.west' });
    const tellerWest = await signIn(h, westTeller);
    fixture.cases.team = await registerCase(session('sup.east'), 'EAST', session('teller.east'));
    fixture.cases.plain = await registerCase(session('sup.east'), 'EAST', session('teller.east'));
    fixture.cases.west = await registerCase(session('sup.west'), 'WEST', tellerWest);
    const team = await session('sup.east').request({
      method: 'PUT',
      url: `/api/v1/cases/${fixture.cases.team}/team`,
      payload: {
        members: [
          { staffId: fixture.staff['cm.east'], role: 'customer_manager', primary: true },
          { staffId: fixture.staff['wm.east'], role: 'wealth_manager' },
          { staffId: fixture.staff['risk.east'], role: 'risk_officer' },
          { staffId: fixture.staff['ops.east'], role: 'operations' },
          { staffId: fixture.staff['cs.east'], role: 'service_agent' },
        ],
      },
    });
    expect(team.statusCode, team.body).toBe(200);
    const west = await session('sup.west').request({
      method: 'PUT',
      url: `/api/v1/cases/${fixture.cases.west}/team`,
      payload: { members: [{ staffId: fixture.staff['cm.west'], role: 'customer_manager', primary: true }] },
    });
    expect(west.statusCode, west.body).toBe(200);
    // Each case gets a service request with a ticked document, its scan and a signature, by one who works on it.
    for (const [c, who] of [
      ['team', 'cm.east'],
      ['plain', 'sup.east'],
      ['west', 'cm.west'],
    ] as const) {
      fixture.serviceRequests[fixture.cases[c]] = await serviceRequestWithEvidence(fixture.cases[c], session(who));
    }
    apiRoutes = registeredRoutes(h.app).filter((r) => r.url.startsWith('/api/v1/') && r.method !== 'HEAD');
  });
  afterAll(async () => h.close());

  /** How a demo user stands to a fixture case. */
  function relation(u: (typeof DEMO_USERS)[number], c: CaseName): Relation {
    const caseBranch = c === 'west' ? 'WEST' : 'EAST';
    if (u.branch === 'HQ') return 'hq';
    if (u.branch !== caseBranch) return 'other_branch';
    const onTeam =
      (c === 'team' && ['cm.east', 'wm.east', 'risk.east', 'ops.east', 'cs.east'].includes(u.username)) ||
      (c === 'west' && u.username === 'cm.west');
    return onTeam ? 'on_team' : 'own_branch';
  }

  it('should have a row for every registered route and a registered route for every row', () => {
    const registered = new Set(apiRoutes.map(keyOf));
    const missing = [...registered].filter((k) => !(k in ROWS));
    const stale = Object.keys(ROWS).filter((k) => !registered.has(k));
    expect(missing, 'routes without a row in test/api/access-matrix.test.ts').toEqual([]);
    expect(stale, 'rows of routes that no longer exist').toEqual([]);
  });

  const order = Object.entries(ROWS).sort(
    ([, a], [, b]) => Number(a.kind === 'case' && a.last === true) - Number(b.kind === 'case' && b.last === true),
  );
  for (const [key, row] of order) {
    it(`should answer ${key} as expected for every demo user`, async () => {
      const route = apiRoutes.find((r) => keyOf(r) === key);
      expect(route, `${key} is not registered`).toBeDefined();
      if (!route) return;
      const failures: string[] = [];
      for (const u of DEMO_USERS) {
        if (row.kind === 'gate') {
          const s = row.fresh ? await signIn(h, people.get(u.username) ?? { username: u.username, password: '' }) : session(u.username);
          const res = await s.request({ ...row.request, remoteAddress: addressOf(u.username) });
          const want = gateStatus(route, row, u.roles);
          if (res.statusCode !== want) failures.push(`${u.username}: ${res.statusCode} (want ${want}) ${res.body.slice(0, 120)}`);
          continue;
        }
        for (const c of ['team', 'plain', 'west'] as const) {
          const rel = relation(u, c);
          const want = row.expect(u.username, rel, u.roles, c);
          const res = await session(u.username).request({
            ...row.request(fixture.cases[c], fixture),
            remoteAddress: addressOf(u.username),
          });
          const status = asStatus(want);
          let ok = res.statusCode === status;
          if (ok && (want === 'full' || want === 'basic'))
            ok = res.json<{ sensitiveVisible: boolean }>().sensitiveVisible === (want === 'full');
          if (!ok) failures.push(`${u.username} × ${c} (${rel}): ${res.statusCode} (want ${want}) ${res.body.slice(0, 120)}`);
        }
      }
      expect(failures, key).toEqual([]);
    });
  }
});

describe('access matrix rows', () => {
  it('should key every row by METHOD and a /api/v1 url', () => {
    for (const key of Object.keys(ROWS)) expect(key).toMatch(/^(GET|POST|PUT|PATCH|DELETE) \/api\/v1\//);
  });
});
