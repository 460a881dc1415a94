import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import { AwayBody, AwayStaffParams, AwayView } from './away.schemas.js';
import { awayOf, clearAway, setAway } from './away.service.js';

const tags = ['staff'];

/** Staff away dates (P4.3.2): docs/wealth-replanning.md. */
export function awayRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/staff/me/away',
    summary: 'The reader’s away period, if any',
    tags,
    auth: 'session',
    permission: 'authenticated',
    schema: { response: { 200: AwayView } },
    transaction: 'none',
    handler: async ({ db, actor }) => awayOf(ctx, db, actor, actor.id),
  });

  defineRoute(app, ctx, {
    method: 'PUT',
    url: '/api/v1/staff/me/away',
    summary: 'Record or replace the reader’s away period (both days included); call-backs go to present colleagues meanwhile',
    tags,
    auth: 'session',
    permission: 'authenticated',
    schema: { body: AwayBody, response: { 200: AwayView } },
    transaction: 'write',
    handler: async ({ db, actor, body }) => setAway(ctx, db, actor, actor.id, body),
  });

  defineRoute(app, ctx, {
    method: 'DELETE',
    url: '/api/v1/staff/me/away',
    summary: 'Clear the reader’s away period',
    tags,
    auth: 'session',
    permission: 'authenticated',
    schema: { response: { 200: AwayView } },
    transaction: 'write',
    handler: async ({ db, actor }) => clearAway(ctx, db, actor, actor.id),
  });

  defineRoute(app, ctx, {
    method: 'PUT',
    url: '/api/v1/staff/:id/away',
    summary: 'Record or replace a colleague’s away period (a supervisor of their branch)',
    tags,
    auth: 'session',
    permission: 'team.assign',
    schema: { params: AwayStaffParams, body: AwayBody, response: { 200: AwayView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body }) => setAway(ctx, db, actor, params.id, body),
  });
}
