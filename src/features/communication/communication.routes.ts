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
  NotificationIdParams,
  NotificationListQuery,
  NotificationListResponse,
  ReadAllResponse,
  StaffEmailBody,
  StaffEmailResponse,
  StaffIdParams,
} from './communication.schemas.js';
import {
  caseMeetings,
  pageMessages,
  pageNotifications,
  postMessage,
  readAllNotifications,
  readNotification,
  recordMeeting,
  setStaffEmail,
  staffEmail,
} from './communication.service.js';

const tags = ['communication'];

/** P9.1: a case's discussion thread and meeting minutes, in-app notifications, staff e-mail addresses. */
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

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/notifications',
    summary: 'One’s own notifications, newest first, with the unread count',
    tags,
    auth: 'session',
    permission: 'authenticated',
    schema: { querystring: NotificationListQuery, response: { 200: NotificationListResponse } },
    transaction: 'none',
    handler: async ({ db, actor, query }) => pageNotifications(db, actor, query),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/notifications/:id/read',
    summary: 'Mark one of one’s notifications read',
    tags,
    auth: 'session',
    permission: 'authenticated',
    schema: { params: NotificationIdParams, response: { 200: ReadAllResponse } },
    transaction: 'write',
    handler: async ({ db, actor, params }) => readNotification(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/notifications/read-all',
    summary: 'Mark all of one’s notifications read',
    tags,
    auth: 'session',
    permission: 'authenticated',
    schema: { response: { 200: ReadAllResponse } },
    transaction: 'write',
    handler: async ({ db, actor }) => readAllNotifications(ctx, db, actor),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/admin/staff/:id/email',
    summary: 'A staff member’s e-mail address for notifications',
    tags: ['staff administration'],
    auth: 'session',
    permission: 'staff.admin',
    schema: { params: StaffIdParams, response: { 200: StaffEmailResponse } },
    transaction: 'none',
    handler: async ({ db, params }) => staffEmail(db, params.id),
  });

  defineRoute(app, ctx, {
    method: 'PUT',
    url: '/api/v1/admin/staff/:id/email',
    summary: 'Set or clear a staff member’s e-mail address for notifications',
    tags: ['staff administration'],
    auth: 'session',
    permission: 'staff.admin',
    schema: { params: StaffIdParams, body: StaffEmailBody, response: { 200: StaffEmailResponse } },
    transaction: 'write',
    handler: async ({ db, actor, params, body }) => setStaffEmail(ctx, db, actor, params.id, body.email),
  });
}
