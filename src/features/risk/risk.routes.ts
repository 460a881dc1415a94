import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { ifMatchVersion } from '../../platform/http/etag.js';
import { defineRoute } from '../../platform/http/route.js';
import { AssessmentBody, AssessmentView, CaseIdParams, DecisionBody, MeasureIdParams } from './risk.schemas.js';
import { decideMeasure, riskAssessment, saveRiskAssessment } from './risk.service.js';

const tags = ['risk'];

/** The risk officer's case assessment (P3.2.3, P7.2.2): docs/risk.md. */
export function riskRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/cases/:id/risk-assessment',
    summary:
      'The case’s risk assessment: credit and fund-safety exposure computed now, the monitoring in force, notes, review date and measures',
    tags,
    auth: 'session',
    permission: 'risk.read',
    schema: { params: CaseIdParams, response: { 200: AssessmentView } },
    transaction: 'write',
    handler: async ({ db, actor, params }) => riskAssessment(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'PUT',
    url: '/api/v1/cases/:id/risk-assessment',
    summary:
      'Save the case’s risk assessment (the risk officer of its team): notes, review date, monitoring sensitivity, credit-limit changes to propose; If-Match with the version guards a concurrent change',
    tags,
    auth: 'session',
    permission: 'risk.manage',
    schema: { params: CaseIdParams, body: AssessmentBody, response: { 200: AssessmentView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req }) =>
      saveRiskAssessment(ctx, db, actor, params.id, body, req.headers['if-match'] === undefined ? undefined : ifMatchVersion(req)),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/risk-measures/:id/decision',
    summary:
      'Approve or reject a proposed credit-limit change (a supervisor other than the proposer); approved, core banking is instructed',
    tags,
    auth: 'session',
    permission: 'risk.approve',
    schema: { params: MeasureIdParams, body: DecisionBody, response: { 200: AssessmentView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body }) => decideMeasure(ctx, db, actor, params.id, body.decision),
  });
}
