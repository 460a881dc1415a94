import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import {
  NotificationIdParams,
  NotificationListQuery,
  NotificationListResponse,
  ReadAllResponse,
  StaffEmailBody,
  StaffEmailResponse,
  StaffIdParams,
} from './notifications.schemas.js';
import { pageNotifications, readAllNotifications, readNotification, setStaffEmail, staffEmail } from './notifications.service.js';

// Published under the 'communication' tag, where they were first served.
const tags = ['communication'];

/** In-app notifications and the e-mail addresses they go to (P9.1): docs/communication.md. */
export function notificationsRoutes(app: FastifyInstance, ctx: AppContext): void {
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
