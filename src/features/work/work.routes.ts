import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import {
  CaseIdParams,
  CompleteBody,
  CompleteResponse,
  InteractionBody,
  InteractionCreated,
  InteractionListResponse,
  MyTasksQuery,
  PageQuery,
  TaskBody,
  TaskIdParams,
  TaskListResponse,
  TaskView,
} from './work.schemas.js';
import { caseTasks, createAdHocTask, myTasks } from './work.service.js';
import { completeTask, recordContact } from './tasks.service.js';
import { listInteractions } from './interactions.service.js';

const tags = ['work'];

/** The team's work (P3.2): dated tasks, interactions with the customer; docs/work.md. */
export function workRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/work/tasks',
    summary: '“My work”: the signed-in staff member’s tasks across their cases, by due date (?due=due|overdue)',
    tags,
    auth: 'session',
    permission: 'work.do',
    schema: { querystring: MyTasksQuery, response: { 200: TaskListResponse } },
    transaction: 'none',
    handler: async ({ db, actor, query }) => myTasks(ctx, db, actor, query),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/work/tasks/:id/complete',
    summary: 'Complete one of one’s tasks; a contact or follow-up call records the interaction that did it',
    tags,
    auth: 'session',
    permission: 'work.do',
    schema: { params: TaskIdParams, body: CompleteBody, response: { 200: CompleteResponse } },
    transaction: 'write',
    handler: async ({ db, actor, params, body }) => completeTask(ctx, db, actor, params.id, body),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/cases/:id/tasks',
    summary: 'The tasks of a case; notes only for readers entitled to its sensitive sections',
    tags,
    auth: 'session',
    permission: 'case.read',
    schema: { params: CaseIdParams, response: { 200: TaskListResponse } },
    // Decrypting notes is audited, in the same transaction.
    transaction: 'write',
    handler: async ({ db, actor, params }) => caseTasks(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/cases/:id/tasks',
    summary: 'An ad-hoc task on a case for a colleague of its branch (the team and the branch’s supervisors)',
    tags,
    auth: 'session',
    permission: 'work.do',
    schema: { params: CaseIdParams, body: TaskBody, response: { 201: TaskView } },
    transaction: 'write',
    idempotent: true,
    status: 201,
    handler: async ({ db, actor, params, body }) => createAdHocTask(ctx, db, actor, params.id, body),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/cases/:id/interactions',
    summary:
      'Record a call, visit, message or meeting with its outcome; one that reached the customer completes the recorder’s open contact duties on the case; a need raised is forwarded as a task',
    tags,
    auth: 'session',
    permission: 'work.do',
    schema: { params: CaseIdParams, body: InteractionBody, response: { 201: InteractionCreated } },
    transaction: 'write',
    idempotent: true,
    status: 201,
    handler: async ({ db, actor, params, body }) => recordContact(ctx, db, actor, params.id, body),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/cases/:id/interactions',
    summary: 'The interactions of a case, newest first; notes only for entitled readers',
    tags,
    auth: 'session',
    permission: 'case.read',
    schema: { params: CaseIdParams, querystring: PageQuery, response: { 200: InteractionListResponse } },
    transaction: 'write',
    handler: async ({ db, actor, params, query }) => listInteractions(ctx, db, actor, params.id, query),
  });
}
