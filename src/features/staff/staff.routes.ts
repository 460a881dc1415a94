import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { ifMatchVersion } from '../../platform/http/etag.js';
import { defineRoute } from '../../platform/http/route.js';
import {
  BranchListResponse,
  ColleagueListQuery,
  ColleagueListResponse,
  CreateStaffBody,
  CreateStaffResponse,
  PasswordResetResponse,
  StaffIdParams,
  StaffListQuery,
  StaffListResponse,
  StaffSchema,
  RoleDecisionBody,
  RoleRequestIdParams,
  RoleRequestListQuery,
  RoleRequestListResponse,
  RoleRequestView,
  UpdateStaffBody,
  UpdateStaffResponse,
} from './staff.schemas.js';
import { decideRoles, pageRoleRequests } from './role-requests.service.js';
import {
  branches,
  changeStaff,
  createStaff,
  getStaff,
  pageColleagues,
  pageStaff,
  resetMfa,
  resetPassword,
  toStaffView,
} from './staff.service.js';

const tags = ['staff administration'];

/** Admin API for staff accounts (issue: foundation, point 4) and the branch list. */
export function staffRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/branches',
    summary: 'The bank’s branches (org units)',
    tags,
    auth: 'session',
    permission: 'authenticated',
    schema: { response: { 200: BranchListResponse } },
    transaction: 'none',
    handler: async ({ db }) => branches(db),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/staff/colleagues',
    summary: 'Active colleagues of one’s own branch, to hand a check or a case to',
    tags,
    auth: 'session',
    permission: 'staff.directory',
    schema: { querystring: ColleagueListQuery, response: { 200: ColleagueListResponse } },
    transaction: 'none',
    handler: async ({ db, actor, query }) => pageColleagues(db, actor, query),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/admin/staff',
    summary: 'List staff accounts',
    tags,
    auth: 'session',
    permission: 'staff.admin',
    schema: { querystring: StaffListQuery, response: { 200: StaffListResponse } },
    transaction: 'none',
    handler: async ({ db, query }) => pageStaff(db, query),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/admin/staff',
    summary: 'Create a staff account with roles and a branch',
    tags,
    auth: 'session',
    permission: 'staff.admin',
    schema: { body: CreateStaffBody, response: { 201: CreateStaffResponse } },
    transaction: 'write',
    idempotent: true,
    status: 201,
    handler: async ({ db, actor, body }) => createStaff(ctx, db, actor, body),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/admin/staff/:id',
    summary: 'One staff account; its ETag guards later changes',
    tags,
    auth: 'session',
    permission: 'staff.admin',
    schema: { params: StaffIdParams, response: { 200: StaffSchema } },
    transaction: 'none',
    handler: async ({ db, params, reply }) => {
      const staff = await getStaff(db, params.id);
      reply.header('etag', `"${staff.version}"`);
      return toStaffView(staff);
    },
  });

  defineRoute(app, ctx, {
    method: 'PATCH',
    url: '/api/v1/admin/staff/:id',
    summary: 'Change name, branch, roles or status (disabling ends all sessions); needs If-Match',
    tags,
    auth: 'session',
    permission: 'staff.admin',
    schema: { params: StaffIdParams, body: UpdateStaffBody, response: { 200: UpdateStaffResponse } },
    transaction: 'write',
    handler: async ({ db, actor, params, body, req, reply }) => {
      const staff = await changeStaff(ctx, db, actor, params.id, ifMatchVersion(req), body);
      reply.header('etag', `"${staff.version}"`);
      return staff;
    },
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/admin/staff/:id/password-reset',
    summary: 'Set a temporary password, shown once, and end the account’s sessions',
    tags,
    auth: 'session',
    permission: 'staff.admin',
    schema: { params: StaffIdParams, response: { 200: PasswordResetResponse } },
    transaction: 'write',
    handler: async ({ db, actor, params }) => resetPassword(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/admin/staff/:id/mfa-reset',
    summary: 'Remove the account’s TOTP enrolment so that it enrols again',
    tags,
    auth: 'session',
    permission: 'staff.admin',
    schema: { params: StaffIdParams, response: { 200: StaffSchema } },
    transaction: 'write',
    handler: async ({ db, actor, params }) => resetMfa(ctx, db, actor, params.id),
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/admin/role-requests',
    summary: 'Requests for roles that read medical data, waiting for a second administrator (four eyes)',
    tags,
    auth: 'session',
    permission: 'staff.admin',
    schema: { querystring: RoleRequestListQuery, response: { 200: RoleRequestListResponse } },
    transaction: 'none',
    handler: async ({ db, query }) => pageRoleRequests(db, query),
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/admin/role-requests/:id/decision',
    summary: 'Approve or reject a role request: another administrator than the one who asked (409 FOUR_EYES otherwise)',
    tags,
    auth: 'session',
    permission: 'staff.admin',
    schema: { params: RoleRequestIdParams, body: RoleDecisionBody, response: { 200: RoleRequestView } },
    transaction: 'write',
    handler: async ({ db, actor, params, body }) => decideRoles(ctx, db, actor, params.id, body),
  });
}
