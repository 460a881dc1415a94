import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectProblem } from '../../../test/api/expect-problem.js';
import { type Session, makeBranches, makeStaff, signIn } from '../../../test/helpers/factories.js';
import { type Harness, createHarness, describeEachDialect } from '../../../test/helpers/harness.js';
import { ROLES, type Role } from '../../domain/roles.js';
import { registeredRoutes } from '../../platform/http/http-app.js';

const ADMIN_TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const OTHER_TOTP = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
const NEW_PASSWORD = 'a long new passphrase 2026';

interface StaffView {
  id: string;
  username: string;
  displayName: string;
  branchId: string;
  branchCode: string;
  roles: Role[];
  status: 'active' | 'disabled';
  mfaEnrolled: boolean;
  mustChangePassword: boolean;
  version: number;
}

describeEachDialect('staff administration', (dialect) => {
  let h: Harness;
  let branches: Record<'HQ' | 'EAST' | 'WEST', string>;
  let admin: Awaited<ReturnType<typeof makeStaff>>;
  let s: Session;

  beforeEach(async () => {
    // MFA stays on: admins sign in with a TOTP code, as in production.
    h = await createHarness(dialect);
    branches = await makeBranches(h);
    admin = await makeStaff(h, { roles: ['admin'], branch: 'HQ', username: 'the.admin', totpSecret: ADMIN_TOTP });
    s = await signIn(h, admin);
  });
  afterEach(async () => {
    await h.close();
  });

  const create = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    s.request({ method: 'POST', url: '/api/v1/admin/staff', payload: body, headers });
  const newStaff = (over: Record<string, unknown> = {}) => ({
    username: 'new.person',
    displayName: '新 同事',
    branchId: branches.EAST,
    // A role that reads no medical data: granted at once (those that do wait for four eyes, below).
    roles: ['staff'],
    ...over,
  });
  const get = (id: string) => s.request({ method: 'GET', url: `/api/v1/admin/staff/${id}` });
  const patch = (id: string, body: Record<string, unknown>, ifMatch?: string) =>
    s.request({
      method: 'PATCH',
      url: `/api/v1/admin/staff/${id}`,
      payload: body,
      headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
    });
  const login = (username: string, password: string) =>
    h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  const count = async (table: 'staff' | 'audit_events') =>
    Number(
      (
        await h.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const auditOf = (action: string) => h.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('seq').execute();

  describe('create', () => {
    it('should create a staff member with a temporary password shown once, which signs in and must be changed', async () => {
      const res = await create(newStaff());
      expect(res.statusCode, res.body).toBe(201);
      const { staff, temporaryPassword } = res.json<{ staff: StaffView; temporaryPassword: string }>();
      expect(staff).toMatchObject({
        username: 'new.person',
        displayName: '新 同事',
        branchCode: 'EAST',
        roles: ['staff'],
        status: 'active',
        mustChangePassword: true,
        mfaEnrolled: false,
        version: 1,
      });
      expect(temporaryPassword).toMatch(/^[A-HJ-NP-Za-km-z2-9]{16}$/);
      expect((await get(staff.id)).body).not.toContain(temporaryPassword);

      const first = await login('new.person', temporaryPassword);
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({ mustChangePassword: true, user: { username: 'new.person' } });
      const them = await signIn(h, { username: 'new.person', password: temporaryPassword });
      expectProblem(await them.request({ method: 'GET', url: '/api/v1/branches' }), 'PASSWORD_CHANGE_REQUIRED');
      const change = await them.request({
        method: 'POST',
        url: '/api/v1/auth/password',
        payload: { currentPassword: temporaryPassword, newPassword: NEW_PASSWORD },
      });
      expect(change.statusCode, change.body).toBe(200);
      expect((await them.request({ method: 'GET', url: '/api/v1/branches' })).statusCode).toBe(200);
      expectProblem(await login('new.person', temporaryPassword), 'INVALID_CREDENTIALS');
      const after = await login('new.person', NEW_PASSWORD);
      expect(after.json()).toMatchObject({ mustChangePassword: false });
    });

    it('P5.4.1 should take a chosen password as a temporary one: the administrator knows it, so it is changed at first sign-in', async () => {
      const res = await create(newStaff({ password: NEW_PASSWORD }));
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ temporaryPassword: null, staff: { mustChangePassword: true } });
      const first = await login('new.person', NEW_PASSWORD);
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ mustChangePassword: true });
    });

    it('should refuse a taken user name with 409 and an unknown branch with 400, creating nothing', async () => {
      expect((await create(newStaff())).statusCode).toBe(201);
      const before = await count('staff');
      expectProblem(await create(newStaff({ displayName: 'Someone else' })), 'CONFLICT');
      const unknown = expectProblem(await create(newStaff({ username: 'other.person', branchId: 'no-such-branch' })), 'VALIDATION_FAILED');
      expect(unknown.errors).toEqual([{ path: 'body.branchId', message: 'no such branch', reason: 'unknown' }]);
      const weak = expectProblem(await create(newStaff({ username: 'third.person', password: 'short' })), 'VALIDATION_FAILED');
      expect(weak.errors?.[0]?.path).toBe('body.password');
      expect(await count('staff')).toBe(before);
    });

    it('should give concurrent creations of one user name one 201 and 409s, never a 500', async () => {
      const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => create(newStaff({ displayName: `Racer ${i}` }))));
      expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
      for (const r of answers.filter((a) => a.statusCode === 409)) expectProblem(r, 'CONFLICT');
      expect(await h.db.selectFrom('staff').select('id').where('username', '=', 'new.person').execute()).toHaveLength(1);
    });

    it('should replay the first answer to the same Idempotency-Key and body, creating one user', async () => {
      const before = await count('staff');
      const headers = { 'idempotency-key': 'create-new-person-1' };
      const first = await create(newStaff(), headers);
      const second = await create(newStaff(), headers);
      expect(first.statusCode).toBe(201);
      expect(second.statusCode).toBe(201);
      expect(second.headers['idempotent-replay']).toBe('true');
      expect(second.json()).toEqual(first.json());
      expect(await count('staff')).toBe(before + 1);
      expect(await auditOf('staff.created')).toHaveLength(1);

      const reused = await create(newStaff({ username: 'someone.else' }), headers);
      expectProblem(reused, 'IDEMPOTENCY_KEY_REUSED');
      expect(await count('staff')).toBe(before + 1);

      // The stored answer holds a password shown once: it is kept encrypted.
      const { temporaryPassword } = first.json<{ temporaryPassword: string }>();
      const stored = await h.db.selectFrom('idempotency_keys').select('response').execute();
      expect(stored).toHaveLength(1);
      expect(stored[0]?.response).toMatch(/^enc:v\d+:/);
      expect(JSON.stringify(stored)).not.toContain(temporaryPassword);
    });

    it('should create one user for concurrent requests with the same Idempotency-Key', async () => {
      const headers = { 'idempotency-key': 'concurrent-key' };
      const answers = await Promise.all(Array.from({ length: 4 }, () => create(newStaff(), headers)));
      for (const r of answers) expect([201, 409], r.body).toContain(r.statusCode);
      expect(answers.some((r) => r.statusCode === 201)).toBe(true);
      expect(await h.db.selectFrom('staff').select('id').where('username', '=', 'new.person').execute()).toHaveLength(1);
    });

    it('should refuse a malformed Idempotency-Key', async () => {
      const res = await create(newStaff(), { 'idempotency-key': 'has spaces' });
      expect(expectProblem(res, 'VALIDATION_FAILED').errors?.[0]?.path).toBe('headers.idempotency-key');
    });
  });

  describe('update', () => {
    async function created(over: Record<string, unknown> = {}) {
      const res = await create(newStaff(over));
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ staff: StaffView; temporaryPassword: string }>();
    }

    it('should need If-Match: 428 without, 412 when stale or malformed, 200 and a new ETag with the right one', async () => {
      const { staff } = await created();
      const read = await get(staff.id);
      expect(read.headers.etag).toBe('"1"');
      expectProblem(await patch(staff.id, { displayName: 'Renamed' }), 'PRECONDITION_REQUIRED');
      expectProblem(await patch(staff.id, { displayName: 'Renamed' }, '"7"'), 'PRECONDITION_FAILED');
      expectProblem(await patch(staff.id, { displayName: 'Renamed' }, 'garbage'), 'PRECONDITION_FAILED');
      const ok = await patch(
        staff.id,
        { displayName: 'Renamed', roles: ['admin', 'staff', 'admin'], branchId: branches.WEST },
        String(read.headers.etag),
      );
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.headers.etag).toBe('"2"');
      expect(ok.json()).toMatchObject({ displayName: 'Renamed', branchCode: 'WEST', version: 2, pendingRoleRequest: null });
      expect(ok.json<StaffView>().roles.sort()).toEqual(['admin', 'staff']);
      // The ETag just used is now stale: a second edit from the same read is refused, not lost.
      expectProblem(await patch(staff.id, { displayName: 'Lost edit' }, String(read.headers.etag)), 'PRECONDITION_FAILED');
      expect((await get(staff.id)).json()).toMatchObject({ displayName: 'Renamed' });
    });

    it('should let only one of two concurrent edits with the same ETag through', async () => {
      const { staff } = await created();
      const answers = await Promise.all([
        patch(staff.id, { displayName: 'First' }, '"1"'),
        patch(staff.id, { displayName: 'Second' }, '"1"'),
      ]);
      expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 412]);
    });

    it('should refuse an empty change, an unknown branch and an unknown staff member', async () => {
      const { staff } = await created();
      expectProblem(await patch(staff.id, {}, '"1"'), 'VALIDATION_FAILED');
      expectProblem(await patch(staff.id, { branchId: 'nowhere' }, '"1"'), 'VALIDATION_FAILED');
      expectProblem(await patch(staff.id, { roles: [] }, '"1"'), 'VALIDATION_FAILED');
      expectProblem(await patch(staff.id, { roles: ['root'] }, '"1"'), 'VALIDATION_FAILED');
      expectProblem(await patch('0190aaaa-0000-7000-8000-000000000000', { displayName: 'x' }, '"1"'), 'NOT_FOUND');
      expectProblem(await get('0190aaaa-0000-7000-8000-000000000000'), 'NOT_FOUND');
      expect((await get(staff.id)).json()).toMatchObject({ version: 1 });
    });

    it('should end every session of a disabled user at once and refuse their sign-in', async () => {
      const { staff, temporaryPassword } = await created();
      const phone = await signIn(h, { username: 'new.person', password: temporaryPassword });
      const desk = await signIn(h, { username: 'new.person', password: temporaryPassword });
      expect((await phone.request({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);

      const res = await patch(staff.id, { status: 'disabled' }, '"1"');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'disabled' });
      for (const session of [phone, desk])
        expectProblem(await session.request({ method: 'GET', url: '/api/v1/auth/me' }), 'UNAUTHENTICATED');
      expectProblem(await login('new.person', temporaryPassword), 'INVALID_CREDENTIALS');
      const live = await h.db
        .selectFrom('sessions')
        .select('id')
        .where('staff_id', '=', staff.id)
        .where('revoked_at', 'is', null)
        .execute();
      expect(live).toEqual([]);

      expect((await patch(staff.id, { status: 'active' }, '"2"')).statusCode).toBe(200);
      expect((await login('new.person', temporaryPassword)).statusCode).toBe(200);
    });

    it('P5.4.1 should not let an admin disable themselves or change their own roles or branch', async () => {
      expectProblem(await patch(admin.id, { status: 'disabled' }, '"1"'), 'CONFLICT');
      expectProblem(await patch(admin.id, { roles: ['inspector'] }, '"1"'), 'FORBIDDEN');
      expectProblem(await patch(admin.id, { roles: ['admin', 'supervisor'] }, '"1"'), 'FORBIDDEN');
      expectProblem(await patch(admin.id, { branchId: branches.EAST }, '"1"'), 'FORBIDDEN');
      expect((await s.request({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
      expect((await get(admin.id)).json()).toMatchObject({ status: 'active', roles: ['admin'], branchCode: 'HQ', version: 1 });
      expect(await h.db.selectFrom('staff_role_requests').selectAll().execute()).toEqual([]);
    });

    it('P5.4.1 should grant a role that reads medical data only when a second administrator approves it', async () => {
      const second = await makeStaff(h, { roles: ['admin'], branch: 'HQ', username: 'second.admin', totpSecret: OTHER_TOTP });
      const res = await create(newStaff({ roles: ['customer_manager', 'staff'] }));
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json<{ staff: StaffView; pendingRoleRequest: { id: string; roles: Role[]; status: string } }>();
      expect(body.staff.roles).toEqual(['staff']);
      expect(body.pendingRoleRequest).toMatchObject({ roles: ['staff', 'customer_manager'], status: 'pending' });
      const requestId = body.pendingRoleRequest.id;
      // The administrator who asked cannot approve it, nor can a supervisor be made by its own account.
      expectProblem(
        await s.request({ method: 'POST', url: `/api/v1/admin/role-requests/${requestId}/decision`, payload: { decision: 'approve' } }),
        'FOUR_EYES',
      );
      expect((await get(body.staff.id)).json<StaffView>().roles).toEqual(['staff']);
      const pending = await s.request({ method: 'GET', url: '/api/v1/admin/role-requests' });
      expect(pending.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([requestId]);

      const other = await signIn(h, second);
      const approved = await other.request({
        method: 'POST',
        url: `/api/v1/admin/role-requests/${requestId}/decision`,
        payload: { decision: 'approve' },
      });
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json()).toMatchObject({ status: 'approved', decidedBy: { id: second.id } });
      expect((await get(body.staff.id)).json<StaffView>().roles.sort()).toEqual(['customer_manager', 'staff']);
      expectProblem(
        await other.request({ method: 'POST', url: `/api/v1/admin/role-requests/${requestId}/decision`, payload: { decision: 'approve' } }),
        'CONFLICT',
      );
      expect((await auditOf('staff.roles_approved')).map((e) => e.actor_id)).toEqual([second.id]);
    });

    it('P5.4.1 should keep a supervisor role asked for an existing account pending, and let a rejection leave the roles as they were', async () => {
      const second = await makeStaff(h, { roles: ['admin'], branch: 'HQ', username: 'second.admin', totpSecret: OTHER_TOTP });
      const { staff } = await created();
      const asked = await patch(staff.id, { roles: ['supervisor'] }, '"1"');
      expect(asked.statusCode, asked.body).toBe(200);
      const view = asked.json<StaffView & { pendingRoleRequest: { id: string } }>();
      expect(view.roles).toEqual(['staff']);
      const other = await signIn(h, second);
      const rejected = await other.request({
        method: 'POST',
        url: `/api/v1/admin/role-requests/${view.pendingRoleRequest.id}/decision`,
        payload: { decision: 'reject', note: '未通过岗位审批' },
      });
      expect(rejected.json()).toMatchObject({ status: 'rejected' });
      expect((await get(staff.id)).json<StaffView>().roles).toEqual(['staff']);
    });
  });

  describe('password and MFA reset', () => {
    it('should reset a password: the old one fails, sessions end, the temporary one must be changed', async () => {
      const who = await makeStaff(h, { roles: ['customer_manager'], username: 'cm.east' });
      const session = await signIn(h, who);
      const res = await s.request({ method: 'POST', url: `/api/v1/admin/staff/${who.id}/password-reset` });
      expect(res.statusCode, res.body).toBe(200);
      const { temporaryPassword } = res.json<{ temporaryPassword: string }>();
      expect(temporaryPassword).toMatch(/^[A-Za-z2-9]{16}$/);
      expectProblem(await session.request({ method: 'GET', url: '/api/v1/auth/me' }), 'UNAUTHENTICATED');
      expectProblem(await login('cm.east', who.password), 'INVALID_CREDENTIALS');
      const fresh = await login('cm.east', temporaryPassword);
      expect(fresh.statusCode).toBe(200);
      expect(fresh.json()).toMatchObject({ mustChangePassword: true });
      expectProblem(
        await s.request({ method: 'POST', url: '/api/v1/admin/staff/0190aaaa-0000-7000-8000-000000000000/password-reset' }),
        'NOT_FOUND',
      );
    });

    it('should reset MFA: the enrolment is gone, sessions end, the next sign-in enrols again', async () => {
      const sup = await makeStaff(h, { roles: ['supervisor'], username: 'sup.east', totpSecret: OTHER_TOTP });
      const session = await signIn(h, sup);
      expect((await get(sup.id)).json()).toMatchObject({ mfaEnrolled: true });
      const res = await s.request({ method: 'POST', url: `/api/v1/admin/staff/${sup.id}/mfa-reset` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ mfaEnrolled: false });
      expectProblem(await session.request({ method: 'GET', url: '/api/v1/auth/me' }), 'UNAUTHENTICATED');
      const again = await login('sup.east', sup.password);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toMatchObject({ mfaEnrolmentRequired: true });
      const row = await h.db
        .selectFrom('staff')
        .select(['totp_secret_enc', 'totp_enabled'])
        .where('id', '=', sup.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ totp_secret_enc: null, totp_enabled: 0 });
    });
  });

  describe('access', () => {
    it('should answer 403 on every admin route to every role but admin', async () => {
      const adminRoutes = registeredRoutes(h.app).filter((r) => r.url.startsWith('/api/v1/admin/') && r.method !== 'HEAD');
      expect(adminRoutes.length).toBeGreaterThanOrEqual(6);
      const target = await makeStaff(h, { roles: ['staff'], username: 'target.person' });
      const before = await count('staff');
      for (const role of ROLES.filter((r) => r !== 'admin')) {
        // supervisor and inspector sign in with TOTP; each gets a fresh secret-holding account.
        const needsTotp = role === 'supervisor' || role === 'inspector';
        const who = await makeStaff(h, {
          roles: [role],
          username: `probe.${role.replace('_', '-')}`,
          ...(needsTotp ? { totpSecret: OTHER_TOTP } : {}),
        });
        const session = await signIn(h, who);
        for (const route of adminRoutes) {
          const res = await session.request({
            method: route.method as 'GET' | 'POST' | 'PATCH', // the admin routes use these three
            url: route.url.replace(':id', target.id),
            headers: { 'if-match': '"1"' },
            ...(route.method === 'POST' && !route.url.includes(':id')
              ? { payload: newStaff({ username: `by.${role.replace('_', '-')}` }) }
              : {}),
            ...(route.method === 'PATCH' ? { payload: { status: 'disabled' } } : {}),
          });
          expect(res.statusCode, `${role} ${route.method} ${route.url}`).toBe(403);
          expectProblem(res, 'FORBIDDEN');
        }
      }
      expect(await count('staff')).toBe(before + ROLES.length - 1);
      expect((await get(target.id)).json()).toMatchObject({ status: 'active', version: 1 });
    });

    it('should list the active colleagues of one’s own branch to case workers, without account details', async () => {
      const sup = await makeStaff(h, { roles: ['supervisor'], username: 'sup.east', totpSecret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU' });
      await makeStaff(h, { roles: ['customer_manager'], username: 'cm.east' });
      await makeStaff(h, { roles: ['customer_manager'], username: 'cm.west', branch: 'WEST' });
      const gone = await makeStaff(h, { roles: ['wealth_manager'], username: 'wm.gone' });
      await h.db.updateTable('staff').set({ status: 'disabled' }).where('id', '=', gone.id).execute();
      const teller = await makeStaff(h, { roles: ['staff'], username: 'teller.east' });
      const supSession = await signIn(h, sup);
      const res = await supSession.request({ method: 'GET', url: '/api/v1/staff/colleagues' });
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json<{ items: Record<string, unknown>[] }>().items;
      expect(items.map((c) => c.username)).toEqual(['cm.east', 'sup.east', 'teller.east']);
      expect(Object.keys(items[0] ?? {}).sort()).toEqual(['displayName', 'id', 'roles', 'username']);
      expectProblem(await (await signIn(h, teller)).request({ method: 'GET', url: '/api/v1/staff/colleagues' }), 'FORBIDDEN');
      expectProblem(await s.request({ method: 'GET', url: '/api/v1/staff/colleagues' }), 'FORBIDDEN');
    });

    it('should list branches to any signed-in user and staff only to admins, with paging and filters', async () => {
      const cm = await makeStaff(h, { roles: ['customer_manager'], username: 'cm.east' });
      await makeStaff(h, { roles: ['customer_manager'], username: 'cm.west', branch: 'WEST' });
      const cmSession = await signIn(h, cm);
      const list = await cmSession.request({ method: 'GET', url: '/api/v1/branches' });
      expect(list.json<{ items: { code: string }[] }>().items.map((b) => b.code)).toEqual(['EAST', 'HQ', 'WEST']);
      expectProblem(await cmSession.request({ method: 'GET', url: '/api/v1/admin/staff' }), 'FORBIDDEN');

      const west = await s.request({ method: 'GET', url: `/api/v1/admin/staff?branchId=${branches.WEST}` });
      expect(west.json<{ items: StaffView[] }>().items.map((x) => x.username)).toEqual(['cm.west']);
      const byName = await s.request({ method: 'GET', url: '/api/v1/admin/staff?q=east' });
      expect(byName.json<{ items: StaffView[] }>().items.map((x) => x.username)).toEqual(['cm.east']);
      // Case does not matter, and % and _ are letters, not wildcards.
      const upper = await s.request({ method: 'GET', url: '/api/v1/admin/staff?q=EAST' });
      expect(upper.json<{ items: StaffView[] }>().items.map((x) => x.username)).toEqual(['cm.east']);
      const wildcard = await s.request({ method: 'GET', url: '/api/v1/admin/staff?q=cm_east' });
      expect(wildcard.json<{ items: StaffView[] }>().items).toEqual([]);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: StaffView[]; nextCursor: string | null } = (
          await s.request({ method: 'GET', url: `/api/v1/admin/staff?limit=1${cursor ? `&cursor=${cursor}` : ''}` })
        ).json();
        seen.push(...page.items.map((x) => x.username));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['cm.east', 'cm.west', 'the.admin']);
    });
  });

  describe('audit', () => {
    it('should record every admin action with actor and target, and never a password', async () => {
      const res = await create(newStaff());
      const { staff, temporaryPassword } = res.json<{ staff: StaffView; temporaryPassword: string }>();
      await create(newStaff({ username: 'chosen.pw', password: NEW_PASSWORD }));
      expect((await patch(staff.id, { displayName: 'Renamed' }, '"1"')).statusCode).toBe(200);
      const reset = await s.request({ method: 'POST', url: `/api/v1/admin/staff/${staff.id}/password-reset` });
      const resetPassword = reset.json<{ temporaryPassword: string }>().temporaryPassword;
      expect((await s.request({ method: 'POST', url: `/api/v1/admin/staff/${staff.id}/mfa-reset` })).statusCode).toBe(200);
      const version = (await get(staff.id)).json<StaffView>().version;
      expect((await patch(staff.id, { status: 'disabled' }, `"${version}"`)).statusCode).toBe(200);

      const events = await h.db.selectFrom('audit_events').selectAll().where('action', 'like', 'staff.%').orderBy('seq').execute();
      expect(events.map((e) => e.action)).toEqual([
        'staff.created',
        'staff.created',
        'staff.updated',
        'staff.password_reset',
        'staff.mfa_reset',
        'staff.disabled',
      ]);
      for (const e of events) {
        expect(e.actor_id).toBe(admin.id);
        expect(e.actor_username).toBe('the.admin');
        expect(e.target_type).toBe('staff');
        expect(e.outcome).toBe('success');
      }
      expect(events.filter((e) => e.action !== 'staff.created').every((e) => e.target_id === staff.id)).toBe(true);
      const all = JSON.stringify(await h.db.selectFrom('audit_events').selectAll().execute());
      for (const secret of [temporaryPassword, resetPassword, NEW_PASSWORD, admin.password]) expect(all).not.toContain(secret);
    });

    it('should record nothing for refused admin actions', async () => {
      const before = await count('audit_events');
      await create(newStaff({ branchId: 'nowhere' }));
      await patch(admin.id, { status: 'disabled' }, '"1"');
      await s.request({ method: 'POST', url: '/api/v1/admin/staff/0190aaaa-0000-7000-8000-000000000000/mfa-reset' });
      expect(await count('audit_events')).toBe(before);
    });
  });
});
