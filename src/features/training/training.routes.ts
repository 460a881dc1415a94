import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import {
  AttendanceBody,
  AttendanceResponse,
  CourseBody,
  CourseDetail,
  CourseIdParams,
  CourseListQuery,
  CourseListResponse,
  CourseView,
  ReportResponse,
} from './training.schemas.js';
import { courseDetail, createCourse, pageCourses, recordAttendance, trainingReport } from './training.service.js';

const tags = ['training'];

/** P3.3: courses, attendance and the training report. */
export function trainingRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/training/courses',
    summary: 'Training courses and lectures, most recent first',
    tags,
    auth: 'session',
    permission: 'training.read',
    schema: { querystring: CourseListQuery, response: { 200: CourseListResponse } },
    transaction: 'none',
    handler: async ({ db, query }) => pageCourses(db, query),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/training/courses',
    summary: 'Record a course or lecture',
    tags,
    auth: 'session',
    permission: 'training.manage',
    schema: { body: CourseBody, response: { 201: CourseView } },
    transaction: 'write',
    idempotent: true,
    status: 201,
    handler: async ({ db, actor, body }) => createCourse(ctx, db, actor, body),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/training/courses/:id',
    summary: 'One course and who attended it',
    tags,
    auth: 'session',
    permission: 'training.read',
    schema: { params: CourseIdParams, response: { 200: CourseDetail } },
    transaction: 'none',
    handler: async ({ db, params }) => courseDetail(db, params.id),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/training/courses/:id/attendance',
    summary: 'Record who attended a course',
    tags,
    auth: 'session',
    permission: 'training.manage',
    schema: { params: CourseIdParams, body: AttendanceBody, response: { 200: AttendanceResponse } },
    transaction: 'write',
    handler: async ({ db, actor, params, body }) => recordAttendance(ctx, db, actor, params.id, body.staffIds),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/training/report',
    summary: 'Who is trained and whose training is overdue (last 12 months)',
    tags,
    auth: 'session',
    permission: 'training.read',
    schema: { response: { 200: ReportResponse } },
    transaction: 'none',
    handler: async ({ db, actor }) => trainingReport(ctx, db, actor),
  });
}
