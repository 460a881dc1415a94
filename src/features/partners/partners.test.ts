import { createReadStream } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../../test/api/expect-problem.js';
import { type Session, makeBranches, staffSession } from '../../../test/helpers/factories.js';
import { type Harness, createHarness, describeEachDialect } from '../../../test/helpers/harness.js';
import { type PartnerKey, issuePartnerKey, registerPartner, sendReferral, validReferral } from '../../../test/helpers/partners.js';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.service.js';
import { importCsv } from '../customers/customers.import.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures');

interface PartnerView {
  id: string;
  code: string;
  name: string;
  defaultBranchId: string;
  status: 'active' | 'disabled';
  keys: { keyId: string; status: 'active' | 'revoked'; createdAt: string; revokedAt: string | null; lastUsedAt: string | null }[];
  version: number;
}

describeEachDialect('partner hospitals', (dialect) => {
  let h: Harness;
  let branches: Record<'HQ' | 'EAST' | 'WEST', string>;
  let admin: Session;

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off' });
    branches = await makeBranches(h);
    admin = (await staffSession(h, { roles: ['admin'], branch: 'HQ', username: 'partner.admin' })).session;
    // The demo customers: T0000002 王秀英 belongs to WEST.
    await importCsv(h.ctx, 'customers', createReadStream(path.join(FIXTURES, 'customers.csv')), SYSTEM_ACTOR);
  });
  afterAll(async () => {
    await h?.close();
  });

  const get = async (id: string) => (await admin.request({ method: 'GET', url: `/api/v1/admin/partners/${id}` })).json<PartnerView>();
  const auditOf = (action: string) => h.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('seq').execute();
  const leadOf = (id: string) =>
    h.db
      .selectFrom('leads')
      .select(['id', 'branch_id', 'channel', 'partner_id', 'referral_id', 'customer_id'])
      .where('id', '=', id)
      .executeTakeFirst();

  describe('administration', () => {
    it('should register a partner, list it with its keys and never show or store a secret in clear', async () => {
      const { partnerId, key } = await registerPartner(admin, { code: 'RUIJIN', name: '瑞金医院', defaultBranchId: branches.EAST });
      expect(key.keyId).toEqual(expect.any(String));
      expect(key.secret.length).toBeGreaterThanOrEqual(40);

      const list = await admin.request({ method: 'GET', url: '/api/v1/admin/partners' });
      expect(list.statusCode, list.body).toBe(200);
      const partner = list.json<{ items: PartnerView[] }>().items.find((p) => p.id === partnerId);
      expect(partner).toMatchObject({ code: 'RUIJIN', name: '瑞金医院', defaultBranchId: branches.EAST, status: 'active', version: 1 });
      expect(partner?.keys).toEqual([
        { keyId: key.keyId, status: 'active', createdAt: expect.any(String), revokedAt: null, lastUsedAt: null },
      ]);
      expect(list.body).not.toContain(key.secret);

      const row = await h.db.selectFrom('partner_keys').selectAll().where('id', '=', key.keyId).executeTakeFirstOrThrow();
      expect(row.secret_enc).toMatch(/^enc:v\d+:/);
      expect(row.secret_enc).not.toContain(key.secret);
      expect(h.ctx.cipher.decrypt(row.secret_enc, { table: 'partner_keys', column: 'secret_enc', rowId: key.keyId })).toBe(key.secret);
      // Nowhere else either: not in the audit trail, not in the idempotency store.
      const audit = await h.db.selectFrom('audit_events').select('detail').execute();
      for (const e of audit) expect(e.detail).not.toContain(key.secret);
      const issued = await auditOf('partner.key_issued');
      expect(issued.at(-1)).toMatchObject({ target_type: 'partner', target_id: partnerId });
      expect(JSON.parse(issued.at(-1)?.detail ?? '{}')).toEqual({ code: 'RUIJIN', keyId: key.keyId });
      expect((await auditOf('partner.created')).at(-1)).toMatchObject({ target_id: partnerId, actor_username: 'partner.admin' });
    });

    it('should refuse a taken code with 409 and an unknown branch with 400, storing nothing', async () => {
      await registerPartner(admin, { code: 'HUASHAN', defaultBranchId: branches.EAST });
      const before = await h.db.selectFrom('partners').select('id').execute();
      const taken = await admin.request({
        method: 'POST',
        url: '/api/v1/admin/partners',
        payload: { code: 'HUASHAN', name: 'x', defaultBranchId: branches.EAST },
      });
      expectProblem(taken, 'CONFLICT');
      const branch = await admin.request({
        method: 'POST',
        url: '/api/v1/admin/partners',
        payload: { code: 'NOBRANCH', name: 'x', defaultBranchId: 'no-such-branch' },
      });
      expect(expectProblem(branch, 'VALIDATION_FAILED').errors).toEqual([
        { path: 'body.defaultBranchId', message: 'no such branch', reason: 'unknown' },
      ]);
      for (const code of ['lower', 'A', 'WITH SPACE', '医院', `${'X'.repeat(33)}`]) {
        const res = await admin.request({
          method: 'POST',
          url: '/api/v1/admin/partners',
          payload: { code, name: 'x', defaultBranchId: branches.EAST },
        });
        expect(expectProblem(res, 'VALIDATION_FAILED').errors?.[0]?.path, code).toBe('body.code');
      }
      expect(await h.db.selectFrom('partners').select('id').execute()).toHaveLength(before.length);
    });

    it('should change a partner only with the current If-Match, and audit it', async () => {
      const { partnerId } = await registerPartner(admin, { code: 'ZHONGSHAN', defaultBranchId: branches.EAST });
      const patch = (body: Record<string, unknown>, ifMatch?: string) =>
        admin.request({
          method: 'PATCH',
          url: `/api/v1/admin/partners/${partnerId}`,
          payload: body,
          headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
        });
      expectProblem(await patch({ name: '中山医院' }), 'PRECONDITION_REQUIRED');
      expectProblem(await patch({ name: '中山医院' }, '"7"'), 'PRECONDITION_FAILED');
      expectProblem(await patch({}, '"1"'), 'VALIDATION_FAILED');
      const ok = await patch({ name: '中山医院', defaultBranchId: branches.WEST }, '"1"');
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.headers.etag).toBe('"2"');
      expect(ok.json<PartnerView>()).toMatchObject({ name: '中山医院', defaultBranchId: branches.WEST, version: 2 });
      expectProblem(await patch({ status: 'disabled' }, '"1"'), 'PRECONDITION_FAILED');
      const updated = (await auditOf('partner.updated')).at(-1);
      expect(updated).toMatchObject({ target_id: partnerId, branch_id: branches.WEST });
      expect(JSON.parse(updated?.detail ?? '{}')).toMatchObject({ fields: ['name', 'defaultBranchId'] });
    });

    it('should answer 404 for unknown partners and keys', async () => {
      const ghost = '0190aaaa-0000-7000-8000-000000000000';
      expectProblem(await admin.request({ method: 'GET', url: `/api/v1/admin/partners/${ghost}` }), 'NOT_FOUND');
      expectProblem(await admin.request({ method: 'POST', url: `/api/v1/admin/partners/${ghost}/keys` }), 'NOT_FOUND');
      const { partnerId } = await registerPartner(admin, { code: 'GHOSTKEY', defaultBranchId: branches.EAST });
      expectProblem(await admin.request({ method: 'POST', url: `/api/v1/admin/partners/${partnerId}/keys/${ghost}/revoke` }), 'NOT_FOUND');
    });

    it('should answer 403 to every role but admin on the partner admin routes', async () => {
      const { partnerId, key } = await registerPartner(admin, { code: 'FORBID', defaultBranchId: branches.EAST });
      for (const role of ['supervisor', 'inspector', 'customer_manager', 'staff'] as const) {
        const s = (await staffSession(h, { roles: [role], branch: 'EAST' })).session;
        for (const [method, url] of [
          ['GET', '/api/v1/admin/partners'],
          ['POST', '/api/v1/admin/partners'],
          ['GET', `/api/v1/admin/partners/${partnerId}`],
          ['PATCH', `/api/v1/admin/partners/${partnerId}`],
          ['POST', `/api/v1/admin/partners/${partnerId}/keys`],
          ['POST', `/api/v1/admin/partners/${partnerId}/keys/${key.keyId}/revoke`],
        ] as const) {
          const res = await s.request({
            method,
            url,
            headers: { 'if-match': '"1"' },
            ...(method === 'GET' ? {} : { payload: { status: 'disabled' } }),
          });
          expectProblem(res, 'FORBIDDEN');
        }
      }
      expect((await get(partnerId)).keys).toMatchObject([{ keyId: key.keyId, status: 'active' }]);
    });
  });

  describe('referrals', () => {
    let ruijin: { partnerId: string; key: PartnerKey };
    beforeAll(async () => {
      ruijin = await registerPartner(admin, { code: 'REFERRER', name: '转诊医院', defaultBranchId: branches.EAST });
    });

    it('P2.2.2 P9.2.1 should create a lead in the partner’s default branch and answer the same lead for the same referralId', async () => {
      const body = validReferral();
      const first = await sendReferral(h, ruijin.key, body);
      expect(first.statusCode, first.body).toBe(202);
      const { leadId } = first.json<{ leadId: string }>();
      expect(await leadOf(leadId)).toMatchObject({
        channel: 'hospital',
        branch_id: branches.EAST,
        partner_id: ruijin.partnerId,
        referral_id: body.referralId,
      });

      h.clock.advance(1000);
      const again = await sendReferral(h, ruijin.key, body);
      expect(again.statusCode, again.body).toBe(202);
      expect(again.json()).toEqual({ leadId });
      // Even with other details: the referral id is the hospital's promise that it is the same referral.
      h.clock.advance(1000);
      const changed = await sendReferral(h, ruijin.key, { ...body, condition: { category: 'deep_coma', summary: 'x' } });
      expect(changed.json()).toEqual({ leadId });
      expect(await h.db.selectFrom('leads').select('id').where('referral_id', '=', String(body.referralId)).execute()).toHaveLength(1);

      const events = (await auditOf('partner.referral_received')).filter((e) => e.target_id === leadId);
      expect(events).toHaveLength(3);
      for (const e of events) {
        expect(e).toMatchObject({ actor_id: null, actor_username: 'partner:REFERRER', target_type: 'lead' });
        // No patient data in the trail: not the name, the ID number, the phone, the condition or the referral id.
        for (const secret of ['赵', '110101198001011234', '13800000000', '肺癌', 'severe_malignant_tumour', String(body.referralId)]) {
          expect(e.detail).not.toContain(secret);
        }
      }
      expect(JSON.parse(events[0]?.detail ?? '{}')).toMatchObject({
        partnerId: ruijin.partnerId,
        keyId: ruijin.key.keyId,
        repeated: false,
      });
      expect(JSON.parse(events[1]?.detail ?? '{}')).toMatchObject({ repeated: true });
      expect((await get(ruijin.partnerId)).keys[0]?.lastUsedAt).toEqual(expect.any(String));
    });

    it('should put a referral of a known customer in the customer’s branch', async () => {
      const res = await sendReferral(
        h,
        ruijin.key,
        validReferral({ patient: { name: '王秀英', nationalId: '330102197211032464', dateOfBirth: '1972-11-03' } }),
      );
      expect(res.statusCode, res.body).toBe(202);
      const lead = await leadOf(res.json<{ leadId: string }>().leadId);
      expect(lead?.branch_id).toBe(branches.WEST);
      expect(lead?.customer_id).toEqual(expect.any(String));
    });

    it('should answer concurrent copies of one referral (separately signed) with one lead', async () => {
      const body = validReferral();
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          sendReferral(h, ruijin.key, body, { timestamp: Math.floor(h.clock.now().getTime() / 1000) - i }),
        ),
      );
      for (const a of answers) expect([202, 409], a.body).toContain(a.statusCode);
      const ids = new Set(answers.filter((a) => a.statusCode === 202).map((a) => a.json<{ leadId: string }>().leadId));
      expect(ids.size).toBe(1);
      expect(await h.db.selectFrom('leads').select('id').where('referral_id', '=', String(body.referralId)).execute()).toHaveLength(1);
      expect(
        await h.db.selectFrom('partner_referrals').select('id').where('referral_id', '=', String(body.referralId)).execute(),
      ).toHaveLength(1);
    });

    it('should keep referral ids apart between partners', async () => {
      const other = await registerPartner(admin, { code: 'OTHERHOSP', defaultBranchId: branches.WEST });
      const body = validReferral();
      const a = await sendReferral(h, ruijin.key, body);
      const b = await sendReferral(h, other.key, body);
      expect(a.statusCode, a.body).toBe(202);
      expect(b.statusCode, b.body).toBe(202);
      expect(a.json<{ leadId: string }>().leadId).not.toBe(b.json<{ leadId: string }>().leadId);
    });

    it('should rotate keys: a second key works alongside the first, and after revoking the first only the second', async () => {
      const rotating = await registerPartner(admin, { code: 'ROTATE', defaultBranchId: branches.EAST });
      const second = await issuePartnerKey(admin, rotating.partnerId);
      expect((await sendReferral(h, rotating.key, validReferral())).statusCode).toBe(202);
      expect((await sendReferral(h, second, validReferral())).statusCode).toBe(202);
      const revoked = await admin.request({
        method: 'POST',
        url: `/api/v1/admin/partners/${rotating.partnerId}/keys/${rotating.key.keyId}/revoke`,
      });
      expect(revoked.statusCode, revoked.body).toBe(200);
      expect(revoked.json<PartnerView>().keys.map((k) => [k.keyId, k.status])).toEqual([
        [rotating.key.keyId, 'revoked'],
        [second.keyId, 'active'],
      ]);
      expectProblem(await sendReferral(h, rotating.key, validReferral()), 'PARTNER_AUTH_FAILED');
      expect((await sendReferral(h, second, validReferral())).statusCode).toBe(202);
      // Revoking again changes nothing and records nothing more.
      await admin.request({ method: 'POST', url: `/api/v1/admin/partners/${rotating.partnerId}/keys/${rotating.key.keyId}/revoke` });
      expect((await auditOf('partner.key_revoked')).filter((e) => e.target_id === rotating.partnerId)).toHaveLength(1);
    });

    it('should stop every key of a disabled partner at once, and accept them again when it is enabled', async () => {
      const p = await registerPartner(admin, { code: 'DISABLEME', defaultBranchId: branches.EAST });
      const patch = (status: string, version: number) =>
        admin.request({
          method: 'PATCH',
          url: `/api/v1/admin/partners/${p.partnerId}`,
          payload: { status },
          headers: { 'if-match': `"${version}"` },
        });
      expect((await patch('disabled', 1)).statusCode).toBe(200);
      expectProblem(await sendReferral(h, p.key, validReferral()), 'PARTNER_AUTH_FAILED');
      expect((await patch('active', 2)).statusCode).toBe(200);
      expect((await sendReferral(h, p.key, validReferral())).statusCode).toBe(202);
    });

    it('should cap the active keys of a partner', async () => {
      const p = await registerPartner(admin, { code: 'MANYKEYS', defaultBranchId: branches.EAST });
      for (let i = 1; i < 5; i++) await issuePartnerKey(admin, p.partnerId);
      expectProblem(await admin.request({ method: 'POST', url: `/api/v1/admin/partners/${p.partnerId}/keys` }), 'CONFLICT');
    });

    it('should limit the requests of one key per minute', async () => {
      const p = await registerPartner(admin, { code: 'CHATTY', defaultBranchId: branches.EAST });
      const other = await issuePartnerKey(admin, p.partnerId);
      let limited = 0;
      for (let i = 0; i < 125; i++) {
        // Each from its own address: the limit is the key's, not the address's.
        const res = await sendReferral(h, p.key, { not: 'valid' }, { remoteAddress: `10.9.${i >> 8}.${i & 255}` });
        if (res.statusCode === 429) {
          expectProblem(res, 'RATE_LIMITED');
          limited += 1;
        } else expectProblem(res, 'VALIDATION_FAILED');
      }
      expect(limited).toBe(5);
      // Another key of the same partner has its own budget.
      expectProblem(await sendReferral(h, other, { not: 'valid' }), 'VALIDATION_FAILED');
    });
  });
});
