import type { FastifyInstance } from 'fastify';
import { repaymentSchedule } from '../../domain/loan-schedule.js';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import { ifMatchVersion } from '../../platform/http/etag.js';
import { caseLoanWatch, watchedLoans } from './loan-watch.service.js';
import { CaseLoanWatchView, WatchedLoanList, WatchedLoansQuery } from './loan-watch.schemas.js';
import { caseTreatment, recordContact, reminderTemplates, sendReminder, setTreatment, treatmentForCustomer } from './collection.service.js';
import {
  CaseIdParams,
  CaseTreatmentView,
  ContactBody,
  ContactView,
  CustomerNumberParams,
  ReminderBody,
  ReminderTemplateList,
  ReminderView,
  SchedulePreviewBody,
  ScheduleView,
  TreatmentBody,
  TreatmentLookup,
} from './credit.schemas.js';

const tags = ['credit'];

/** Credit care (P4.1, P7.1): docs/credit.md. */
export function creditRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/credit/schedule-preview',
    summary: 'A loan’s repayment schedule, annuity or equal principal, with grace months, in fen (API.md “Loan schedules”)',
    tags,
    auth: 'session',
    permission: 'credit.preview',
    schema: { body: SchedulePreviewBody, response: { 200: ScheduleView } },
    transaction: 'none',
    // A calculation of the figures sent, nothing stored: the body is the whole input.
    handler: async ({ body }) => repaymentSchedule(body),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/cases/:id/collection-treatment',
    summary: 'How the case’s customer may be contacted about what they owe (P7.1.2): the treatment set, or the gentle default',
    tags,
    auth: 'session',
    permission: 'collection.read',
    schema: { params: CaseIdParams, response: { 200: CaseTreatmentView } },
    transaction: 'none',
    handler: async ({ db, actor, params }) => caseTreatment(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'PUT',
    url: '/api/v1/cases/:id/collection-treatment',
    summary: 'Set the case’s collection treatment (risk officers and supervisors); If-Match with the version guards a concurrent change',
    tags,
    auth: 'session',
    permission: 'collection.manage',
    schema: { params: CaseIdParams, body: TreatmentBody, response: { 200: CaseTreatmentView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req }) =>
      setTreatment(ctx, db, actor, params.id, body, req.headers['if-match'] === undefined ? undefined : ifMatchVersion(req)),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/cases/:id/collection-contacts',
    summary: 'Record a collection contact with the case’s customer; refused (409) when it would break the treatment',
    tags,
    auth: 'session',
    permission: 'collection.manage',
    schema: { params: CaseIdParams, body: ContactBody, response: { 201: ContactView } },
    transaction: 'write',
    status: 201,
    handler: async ({ db, actor, params, body }) => recordContact(ctx, db, actor, params.id, body),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/credit/reminder-templates',
    summary: 'The reviewed repayment-reminder texts (P7.1.2), as the customer reads them',
    tags,
    auth: 'session',
    permission: 'collection.manage',
    schema: { response: { 200: ReminderTemplateList } },
    transaction: 'none',
    handler: async () => reminderTemplates(ctx),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/cases/:id/collection-reminders',
    summary:
      'Send the case’s customer a repayment reminder by SMS from a reviewed template; refused (409) when it would break the treatment',
    tags,
    auth: 'session',
    permission: 'collection.manage',
    schema: { params: CaseIdParams, body: ReminderBody, response: { 201: ReminderView } },
    transaction: 'write',
    status: 201,
    handler: async ({ db, actor, params, body }) => sendReminder(ctx, db, actor, params.id, body),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/collection-treatment/:customerNumber',
    summary: 'Collection system: how the customer may be contacted (API key with scope collection:read); never medical information',
    tags,
    auth: 'session',
    apiKey: 'collection:read',
    permission: 'collection.read',
    schema: { params: CustomerNumberParams, response: { 200: TreatmentLookup } },
    transaction: 'none',
    handler: async ({ db, params }) => treatmentForCustomer(db, params.customerNumber),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/credit/watched-loans',
    summary: 'The loan watch (P7.1): loans of registered customers in the reader’s scope, past due first, then those to prepare for',
    tags,
    auth: 'session',
    permission: 'credit.watch',
    schema: { querystring: WatchedLoansQuery, response: { 200: WatchedLoanList } },
    transaction: 'none',
    handler: async ({ db, actor, query }) => watchedLoans(ctx, db, actor, query),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/cases/:id/loan-watch',
    summary: 'A case’s loan watch (P7.1.2): each loan’s verdict and the customer’s inflows per 30 days against their instalments',
    tags,
    auth: 'session',
    permission: 'credit.watch',
    schema: { params: CaseIdParams, response: { 200: CaseLoanWatchView } },
    transaction: 'none',
    handler: async ({ db, actor, params }) => caseLoanWatch(ctx, db, actor, params.id),
  });
}
