import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';
import { SESSION_COOKIE } from '../../platform/http/context.js';
import { defineRoute } from '../../platform/http/route.js';
import { beginTotpEnrolment, changeOwnPassword, confirmTotpEnrolment, csrfTokenFor, login, logout } from './auth.service.js';
import { ChangePasswordBody, LoginBody, LoginResponse, MeResponse, Ok, TotpConfirmBody, TotpEnrolResponse } from './staff.schemas.js';
import { getStaff, toUserView } from './staff.service.js';

const tags = ['auth'];

function clearCookie(ctx: AppContext, reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: ctx.config.secureCookies });
}

/** Staff sign-in, sign-out, `me`, TOTP enrolment and own password change (API.md "Staff sessions"). */
export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/auth/login',
    summary: 'Sign in with user name, password and, for admin, supervisor and inspector, a TOTP code',
    tags,
    rateLimit: { max: ctx.config.loginRatePerMinute, timeWindow: '1 minute' },
    auth: 'none',
    permission: 'public',
    schema: { body: LoginBody, response: { 200: LoginResponse } },
    // Failed attempts must be recorded although the request fails, so the service commits itself.
    transaction: 'none',
    handler: async ({ body, req, reply }) => {
      const result = await login(ctx, body, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: ctx.config.secureCookies,
        maxAge: Math.floor(ctx.config.session.absoluteMs / 1000),
      });
      return {
        user: toUserView(result.staff),
        csrfToken: result.csrfToken,
        mfaEnrolmentRequired: result.mfaEnrolmentRequired,
        mustChangePassword: result.staff.must_change_password === 1,
      };
    },
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/auth/me',
    summary: 'The signed-in user and the CSRF token of the session',
    tags,
    auth: 'session',
    permission: 'authenticated',
    allowDuringSignInSetup: true,
    schema: { response: { 200: MeResponse } },
    transaction: 'none',
    handler: async ({ db, actor, req }) => {
      const staff = await getStaff(db, actor.id);
      return {
        user: toUserView(staff),
        csrfToken: csrfTokenFor(req.cookies[SESSION_COOKIE] ?? ''),
        mfaEnrolmentRequired: actor.sessionStage !== 'full',
        mustChangePassword: staff.must_change_password === 1,
      };
    },
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/auth/logout',
    summary: 'Sign out: the session ends at once',
    tags,
    auth: 'session',
    permission: 'authenticated',
    allowDuringSignInSetup: true,
    schema: { response: { 200: Ok } },
    transaction: 'write',
    handler: async ({ db, actor, reply }) => {
      await logout(ctx, db, actor);
      clearCookie(ctx, reply);
      return { ok: true as const };
    },
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/auth/mfa/enrol',
    summary: 'Start TOTP enrolment: a new secret and its otpauth URI',
    tags,
    auth: 'session',
    permission: 'authenticated',
    allowDuringSignInSetup: true,
    schema: { response: { 200: TotpEnrolResponse } },
    transaction: 'write',
    handler: async ({ db, actor }) => {
      const { secret, uri } = await beginTotpEnrolment(ctx, db, actor);
      return { secret, otpauthUri: uri };
    },
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/auth/mfa/confirm',
    summary: 'Finish TOTP enrolment with a first code',
    tags,
    auth: 'session',
    permission: 'authenticated',
    allowDuringSignInSetup: true,
    schema: { body: TotpConfirmBody, response: { 200: Ok } },
    transaction: 'write',
    handler: async ({ db, actor, body }) => {
      await confirmTotpEnrolment(ctx, db, actor, body.code);
      return { ok: true as const };
    },
  });

  defineRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/auth/password',
    summary: 'Change one’s own password',
    tags,
    rateLimit: { max: 10, timeWindow: '1 minute' },
    auth: 'session',
    permission: 'authenticated',
    allowDuringSignInSetup: true,
    schema: { body: ChangePasswordBody, response: { 200: Ok } },
    transaction: 'write',
    handler: async ({ db, actor, body }) => {
      await changeOwnPassword(ctx, db, actor, body.currentPassword, body.newPassword);
      return { ok: true as const };
    },
  });
}
