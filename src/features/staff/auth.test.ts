import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, createHarness, type Harness } from '../../../test/helpers/harness.js';
import { makeStaff, signIn } from '../../../test/helpers/factories.js';
import { currentTotp } from './totp.js';

describeEachDialect('staff sign-in', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  const login = (body: unknown) => h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body as object });

  it('should sign in with the right password and answer the user, a CSRF token and an HttpOnly SameSite cookie', async () => {
    const who = await makeStaff(h, { roles: ['customer_manager'], branch: 'EAST', username: 'cm.east' });
    const res = await login({ username: 'cm.east', password: who.password });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ username: 'cm.east', roles: ['customer_manager'], branchCode: 'EAST' });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('should give the same 401 for a wrong password and for an unknown user', async () => {
    await makeStaff(h, { roles: ['customer_manager'], username: 'cm.east' });
    const wrong = await login({ username: 'cm.east', password: 'not the password' });
    const unknown = await login({ username: 'nobody.here', password: 'not the password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined });
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
    expect(wrong.json().code).toBe('INVALID_CREDENTIALS');
  });

  it('should lock a user name after repeated failures, even for the right password, until the lock expires', async () => {
    const who = await makeStaff(h, { roles: ['customer_manager'], username: 'cm.east' });
    for (let i = 0; i < h.config.login.maxFailures; i++) {
      expect((await login({ username: 'cm.east', password: `wrong ${i}` })).statusCode).toBe(401);
    }
    const locked = await login({ username: 'cm.east', password: who.password });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('LOGIN_LOCKED');
    h.clock.advance(h.config.login.lockMs + 1000);
    expect((await login({ username: 'cm.east', password: who.password })).statusCode).toBe(200);
  });

  it('should refuse a state-changing request without the CSRF header', async () => {
    const who = await makeStaff(h, { roles: ['customer_manager'] });
    const s = await signIn(h, who);
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CSRF_FAILED');
    const forged = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: s.cookie, 'x-csrf-token': 'forged' },
    });
    expect(forged.statusCode).toBe(403);
  });

  it('should end the session at logout', async () => {
    const who = await makeStaff(h, { roles: ['customer_manager'] });
    const s = await signIn(h, who);
    expect((await s.request({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
    expect((await s.request({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(200);
    const after = await s.request({ method: 'GET', url: '/api/v1/auth/me' });
    expect(after.statusCode).toBe(401);
  });

  it('should expire a session after 30 idle minutes and after 12 hours in any case', async () => {
    const who = await makeStaff(h, { roles: ['customer_manager'] });
    const idle = await signIn(h, who);
    h.clock.advance(29 * 60_000);
    expect((await idle.request({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
    h.clock.advance(31 * 60_000);
    const expired = await idle.request({ method: 'GET', url: '/api/v1/auth/me' });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('SESSION_EXPIRED');

    const busy = await signIn(h, who);
    for (let i = 0; i < 12 * 3; i++) {
      h.clock.advance(20 * 60_000);
      const res = await busy.request({ method: 'GET', url: '/api/v1/auth/me' });
      if (i < 12 * 3 - 1) expect(res.statusCode).toBe(200);
      else expect(res.statusCode).toBe(401);
    }
  });

  it('should store only a hash of the session token', async () => {
    const who = await makeStaff(h, { roles: ['customer_manager'] });
    const s = await signIn(h, who);
    const token = decodeURIComponent(s.cookie.split('=')[1] ?? '');
    const rows = await h.db.selectFrom('sessions').select('token_hash').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).not.toContain(token);
    expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('should require a TOTP code for supervisors and refuse a code used twice', async () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const who = await makeStaff(h, { roles: ['supervisor'], username: 'sup.east', totpSecret: secret });
    const noCode = await login({ username: 'sup.east', password: who.password });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().code).toBe('MFA_REQUIRED');
    const code = currentTotp(secret, h.clock.now());
    expect((await login({ username: 'sup.east', password: who.password, totp: code })).statusCode).toBe(200);
    const replay = await login({ username: 'sup.east', password: who.password, totp: code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('MFA_INVALID');
    h.clock.advance(30_000);
    expect((await login({ username: 'sup.east', password: who.password, totp: currentTotp(secret, h.clock.now()) })).statusCode).toBe(200);
  });

  it('should make an admin without TOTP enrol before anything else', async () => {
    const who = await makeStaff(h, { roles: ['admin'], branch: 'HQ' });
    const s = await signIn(h, who);
    const blocked = await s.request({ method: 'GET', url: '/api/v1/admin/staff' });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('MFA_ENROLMENT_REQUIRED');
    const enrol = await s.request({ method: 'POST', url: '/api/v1/auth/mfa/enrol' });
    expect(enrol.statusCode).toBe(200);
    const { secret, otpauthUri } = enrol.json();
    expect(otpauthUri).toContain('otpauth://totp/');
    const confirm = await s.request({
      method: 'POST',
      url: '/api/v1/auth/mfa/confirm',
      payload: { code: currentTotp(secret, h.clock.now()) },
    });
    expect(confirm.statusCode).toBe(200);
    expect((await s.request({ method: 'GET', url: '/api/v1/admin/staff' })).statusCode).toBe(200);
  });

  it('should record sign-in, failed sign-in and sign-out in the audit trail without the password', async () => {
    const who = await makeStaff(h, { roles: ['customer_manager'], username: 'cm.east' });
    await login({ username: 'cm.east', password: 'a wrong secret value' });
    const s = await signIn(h, who);
    await s.request({ method: 'POST', url: '/api/v1/auth/logout' });
    const events = await h.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ['auth.login', 'failure'],
      ['auth.login', 'success'],
      ['auth.logout', 'success'],
    ]);
    expect(JSON.stringify(events)).not.toContain('a wrong secret value');
    expect(JSON.stringify(events)).not.toContain(who.password);
  });
});
