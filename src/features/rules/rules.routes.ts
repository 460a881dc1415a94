import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import { CreateRuleSetBody, DryRunBody, DryRunResult, RuleSetDetail, RuleSetList, VersionParams } from './rules.schemas.js';
import { activateRuleSet, createRuleSet, dryRunRuleSet, ruleSetDetail, ruleSetVersions } from './rules.service.js';

const tags = ['analysis'];

/** P2.2.3, P7.2: the analysis rule sets, their dry run and activation. */
export function rulesRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/analysis/rule-sets',
    summary: 'The rule-set versions, newest first',
    tags,
    auth: 'session',
    permission: 'rules.read',
    schema: { response: { 200: RuleSetList } },
    transaction: 'none',
    handler: async ({ db }) => ruleSetVersions(db),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/analysis/rule-sets/active',
    summary: 'The rule set in force, with its definition',
    tags,
    auth: 'session',
    permission: 'rules.read',
    schema: { response: { 200: RuleSetDetail } },
    transaction: 'none',
    handler: async ({ db }) => ruleSetDetail(db, 'active'),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/analysis/rule-sets/:version',
    summary: 'One rule-set version, with its definition',
    tags,
    auth: 'session',
    permission: 'rules.read',
    schema: { params: VersionParams, response: { 200: RuleSetDetail } },
    transaction: 'none',
    handler: async ({ db, params }) => ruleSetDetail(db, params.version),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/analysis/rule-sets',
    summary: 'Save a new rule-set version as a draft',
    tags,
    auth: 'session',
    permission: 'rules.manage',
    schema: { body: CreateRuleSetBody, response: { 201: RuleSetDetail } },
    transaction: 'write',
    idempotent: true,
    status: 201,
    handler: async ({ db, actor, body }) => createRuleSet(ctx, db, actor, body),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/analysis/rule-sets/:version/dry-run',
    summary: 'Compare a version with the active one over the stored transactions of the last days (changes nothing)',
    tags,
    auth: 'session',
    permission: 'rules.read',
    schema: { params: VersionParams, body: DryRunBody, response: { 200: DryRunResult } },
    transaction: 'none',
    handler: async ({ db, actor, params, body }) => dryRunRuleSet(ctx, db, actor, params.version, body.days),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/analysis/rule-sets/:version/activate',
    summary: 'Make a version the active rule set; the previous one is retired',
    tags,
    auth: 'session',
    permission: 'rules.manage',
    schema: { params: VersionParams, response: { 200: RuleSetDetail } },
    transaction: 'write',
    handler: async ({ db, actor, params }) => activateRuleSet(ctx, db, actor, params.version),
  });
}
