import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import {
  CaseIdParams,
  MeetingBody,
  MeetingListResponse,
  MeetingView,
  MessageBody,
  MessageListQuery,
  MessageListResponse,
  MessageView,
} from './communication.schemas.js';
import { caseMeetings, pageMessages, postMessage, recordMeeting } from './communication.service.js';

const tags = ['communication'];

/** P9.1: a case's discussion thread and meeting minutes. */
export function communicationRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/cases/:id/messages',
    summary: 'The discussion thread of a case, oldest first',
    tags,
    auth: 'session',
    permission: 'communication.use',
    schema: { params: CaseIdParams, querystring: MessageListQuery, response: { 200: MessageListResponse } },
    transaction: 'none',
    handler: async ({ db, actor, params, query }) => pageMessages(ctx, db, actor, params.id, query),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/cases/:id/messages',
    summary: 'Post to a case’s thread; @username mentions notify colleagues',
    tags,
    auth: 'session',
    permission: 'communication.use',
    schema: { params: CaseIdParams, body: MessageBody, response: { 201: MessageView } },
    transaction: 'write',
    idempotent: true,
    status: 201,
    handler: async ({ db, actor, params, body }) => postMessage(ctx, db, actor, params.id, body.body),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/cases/:id/meetings',
    summary: 'The team meetings of a case, newest first',
    tags,
    auth: 'session',
    permission: 'communication.use',
    schema: { params: CaseIdParams, response: { 200: MeetingListResponse } },
    transaction: 'none',
    handler: async ({ db, actor, params }) => caseMeetings(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/cases/:id/meetings',
    summary: 'Record a team meeting: attendees, minutes and action items',
    tags,
    auth: 'session',
    permission: 'communication.use',
    schema: { params: CaseIdParams, body: MeetingBody, response: { 201: MeetingView } },
    transaction: 'write',
    idempotent: true,
    status: 201,
    handler: async ({ db, actor, params, body }) => recordMeeting(ctx, db, actor, params.id, body),
  });
}
