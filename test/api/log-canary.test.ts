import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { syncRoles } from '../../src/features/staff/bootstrap.service.js';
import { FieldCipher } from '../../src/platform/crypto/field-cipher.js';
import { reconcileKeyMetadata } from '../../src/platform/crypto/key-metadata.js';
import { generateKeys } from '../../src/platform/crypto/keyring.js';
import type { AppContext } from '../../src/platform/http/context.js';
import { type Session, makeCustomer, makeStaff, signIn } from '../helpers/factories.js';
import { type Harness, TestClock, describeEachDialect, freshDatabase, migrateTestDatabase, testConfig } from '../helpers/harness.js';

/**
 * No sensitive value ever reaches the logs (DESIGN.md "Data conventions"): canary values go in
 * through the API, the routes that write and read them run (errors included) with the most verbose
 * logger, and neither the captured log output nor the audit trail's details may contain any of them.
 */

const CANARY = {
  nationalId: '110101198807150013',
  phone: '13987654321',
  illness: '金丝雀病情描述-急性髓系白血病-7f3a',
  financialNote: '金丝雀财务备注-房贷断供-9b2c',
  leadSummary: '金丝雀线索摘要-医院来电-4d5e',
} as const;

describeEachDialect('log canary', (dialect) => {
  const lines: string[] = [];
  let h: Harness;
  let app: FastifyInstance;
  let sup: Session;
  let cm: Session;
  let insp: Session;
  let teller: Session;
  let customerId = '';
  let drop: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    const { config, dataDir } = testConfig({ LIFELINE_MFA: 'off' });
    const { database, drop: dropDb } = await freshDatabase(dialect, dataDir);
    drop = dropDb;
    await migrateTestDatabase(database, dialect);
    const keys = generateKeys();
    await reconcileKeyMetadata(database.db, keys);
    await syncRoles(database.db);
    const clock = new TestClock();
    const ctx: AppContext = { config, db: database.db, dialect, cipher: new FieldCipher(keys), now: clock.now };
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    app = await buildApp(ctx, { logger: { level: 'trace', stream } });
    await app.ready();
    h = {
      dialect,
      ctx,
      db: database.db,
      app,
      clock,
      keys,
      config,
      dataDir,
      async close() {
        await app.close();
        await database.close();
        await drop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
    sup = await signIn(h, await makeStaff(h, { roles: ['supervisor'], branch: 'EAST', username: 'sup.canary' }));
    cm = await signIn(h, await makeStaff(h, { roles: ['customer_manager'], branch: 'EAST', username: 'cm.canary' }));
    insp = await signIn(h, await makeStaff(h, { roles: ['inspector'], branch: 'HQ', username: 'insp.canary' }));
    teller = await signIn(h, await makeStaff(h, { roles: ['staff'], branch: 'EAST', username: 'teller.canary' }));
    customerId = (await makeCustomer(h, { branch: 'EAST', name: '金丝雀客户', nationalId: CANARY.nationalId, phone: CANARY.phone })).id;
  });
  afterAll(async () => h.close());

  it('should keep every canary out of the logs and the audit details across writes, reads and errors', async () => {
    const customer = await sup.request({ method: 'GET', url: `/api/v1/customers/${customerId}` });
    expect(customer.statusCode, customer.body).toBe(200);
    const customerNumber = customer.json<{ customer: { customerNumber: string } }>().customer.customerNumber;

    // Leads: written with identifiers and a summary, read back, refused when malformed.
    const lead = await teller.request({
      method: 'POST',
      url: '/api/v1/leads',
      payload: {
        channel: 'self_report',
        customerNumber,
        subject: { name: '金丝雀客户', nationalId: CANARY.nationalId, phone: CANARY.phone },
        summary: CANARY.leadSummary,
      },
    });
    expect(lead.statusCode, lead.body).toBe(201);
    const leadId = lead.json<{ id: string }>().id;
    expect((await sup.request({ method: 'GET', url: `/api/v1/leads/${leadId}` })).statusCode).toBe(200);
    await teller.request({
      method: 'POST',
      url: '/api/v1/leads',
      payload: { channel: 'nonsense', summary: CANARY.leadSummary, subject: { nationalId: CANARY.nationalId } },
    });
    await teller.request({
      method: 'POST',
      url: '/api/v1/leads',
      payload: `{"channel":"self_report","summary":"${CANARY.leadSummary}","subject":{"nationalId":"${CANARY.nationalId}"`,
      headers: { 'content-type': 'application/json' },
    });
    expect(
      (
        await sup.request({
          method: 'POST',
          url: `/api/v1/leads/${leadId}/decision`,
          payload: {
            decision: 'confirm',
            reason: '核实属实',
            definition: {
              conditionCategory: 'severe_malignant_tumour',
              lifeAffected: true,
              lifeEffect: '确诊后无法工作',
              financesAffected: false,
            },
          },
        })
      ).statusCode,
    ).toBe(200);

    // The case: registered with the illness and the financial note, read, changed, refused.
    const form = {
      leadId,
      condition: { category: 'severe_malignant_tumour', description: CANARY.illness },
      mobilityImpaired: false,
      financialImpact: { notes: CANARY.financialNote },
      severity: 'high',
      reviewOn: '2027-02-01',
      consent: { healthProcessing: { givenAt: '2026-11-27T08:00:00Z', channel: 'paper', evidenceRef: 'DOC-C', scope: '健康信息处理' } },
    };
    const registered = await sup.request({ method: 'POST', url: '/api/v1/cases', payload: form });
    expect(registered.statusCode, registered.body).toBe(201);
    const caseId = registered.json<{ id: string }>().id;
    expect((await sup.request({ method: 'POST', url: '/api/v1/cases', payload: form })).statusCode).toBe(409);
    expect((await sup.request({ method: 'GET', url: `/api/v1/cases/${caseId}` })).statusCode).toBe(200);
    expect(
      (await insp.request({ method: 'GET', url: `/api/v1/cases/${caseId}?reason=${encodeURIComponent('季度质检抽查')}` })).statusCode,
    ).toBe(200);
    const patch = {
      condition: { category: 'severe_malignant_tumour', description: `${CANARY.illness}-更新` },
      financialImpact: { notes: CANARY.financialNote },
    };
    expect(
      (await sup.request({ method: 'PATCH', url: `/api/v1/cases/${caseId}`, payload: patch, headers: { 'if-match': '"99"' } })).statusCode,
    ).toBe(412);
    expect(
      (await sup.request({ method: 'PATCH', url: `/api/v1/cases/${caseId}`, payload: patch, headers: { 'if-match': '"1"' } })).statusCode,
    ).toBe(200);
    expect(
      (
        await sup.request({
          method: 'PATCH',
          url: `/api/v1/cases/${caseId}`,
          payload: { condition: { category: CANARY.illness, description: 1 } },
          headers: { 'if-match': '"2"' },
        })
      ).statusCode,
    ).toBe(400);

    // The team, need-to-know and break glass.
    const me = await cm.request({ method: 'GET', url: '/api/v1/auth/me' });
    const cmId = me.json<{ user: { id: string } }>().user.id;
    expect(
      (await cm.request({ method: 'GET', url: `/api/v1/cases/${caseId}` })).json<{ sensitiveVisible: boolean }>().sensitiveVisible,
    ).toBe(false);
    expect(
      (
        await cm.request({
          method: 'POST',
          url: `/api/v1/cases/${caseId}/break-glass`,
          payload: { reason: '客户急诊来电，需要立即了解病情以协助办理紧急业务' },
        })
      ).statusCode,
    ).toBe(201);
    expect((await cm.request({ method: 'GET', url: `/api/v1/cases/${caseId}` })).statusCode).toBe(200);
    expect(
      (
        await sup.request({
          method: 'PUT',
          url: `/api/v1/cases/${caseId}/team`,
          payload: { members: [{ staffId: cmId, role: 'customer_manager', primary: true }] },
        })
      ).statusCode,
    ).toBe(200);

    // Customers: search by identifier (in the body), the masked page, the reveal, and malformed searches.
    expect(
      (await sup.request({ method: 'POST', url: '/api/v1/customers/search', payload: { nationalId: CANARY.nationalId } })).statusCode,
    ).toBe(200);
    expect((await sup.request({ method: 'POST', url: '/api/v1/customers/search', payload: { phone: CANARY.phone } })).statusCode).toBe(200);
    expect(
      (
        await sup.request({
          method: 'POST',
          url: '/api/v1/customers/search',
          payload: { nationalId: CANARY.nationalId, extra: CANARY.phone },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await sup.request({
          method: 'POST',
          url: '/api/v1/customers/search',
          payload: `{"nationalId":"${CANARY.nationalId}",`,
          headers: { 'content-type': 'application/json' },
        })
      ).statusCode,
    ).toBe(400);
    const reveal = await sup.request({
      method: 'POST',
      url: `/api/v1/customers/${customerId}/reveal`,
      payload: { fields: ['nationalId', 'phone'] },
    });
    expect(reveal.statusCode, reveal.body).toBe(200);
    expect(reveal.body).toContain(CANARY.nationalId);

    const log = lines.join('');
    expect(log.length).toBeGreaterThan(1000);
    expect(log).toContain('incoming request');
    for (const [name, value] of Object.entries(CANARY)) expect(log.includes(value), `${name} found in the logs`).toBe(false);

    const details = (await h.db.selectFrom('audit_events').select('detail').execute()).map((r) => r.detail).join('\n');
    expect(details.length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(CANARY)) expect(details.includes(value), `${name} found in the audit trail`).toBe(false);
  });
  it('should log route patterns and no query value, so an identifier sent in a URL never reaches the logs', async () => {
    const before = lines.length;
    const refused = [
      // Identifiers belong in a POST body (API.md); a client that puts them in the URL is refused.
      `/api/v1/customers?nationalId=${CANARY.nationalId}`,
      `/api/v1/customers/search?nationalId=${CANARY.nationalId}&phone=${CANARY.phone}`,
      `/api/v1/leads?status=new&q=${CANARY.nationalId}`,
      `/api/v1/customers/${CANARY.nationalId}`,
      `/api/v1/no-such-route/${CANARY.nationalId}?phone=${encodeURIComponent(CANARY.phone)}`,
      `/api/v1/customers/${CANARY.nationalId}${'x'.repeat(300)}?nationalId=${CANARY.nationalId}`,
      `/api/v1/customers/%zz${CANARY.nationalId}?nationalId=${CANARY.nationalId}`,
    ];
    for (const url of refused) {
      const res = await sup.request({ method: 'GET', url });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
    }
    // The web app's paths: its page when it is built, a 404 otherwise; logged the same way.
    await sup.request({ method: 'GET', url: `/somewhere/${CANARY.nationalId}?phone=${CANARY.phone}` });
    expect(
      (await insp.request({ method: 'GET', url: `/api/v1/cases?status=active&reason=${encodeURIComponent('季度质检抽查')}` })).statusCode,
    ).toBeLessThan(500);
    const log = lines.slice(before).join('');
    expect(log).toContain('incoming request');
    for (const [name, value] of Object.entries(CANARY)) expect(log.includes(value), `${name} found in the logs`).toBe(false);
    expect(log).not.toContain('季度质检抽查');
    const urls = lines
      .slice(before)
      .map((l) => JSON.parse(l) as { req?: { url?: string } })
      .flatMap((l) => (l.req?.url ? [l.req.url] : []));
    // The route's pattern, and the query's names with their values left out.
    expect(urls).toContain('/api/v1/customers/:id');
    expect(urls).toContain('/api/v1/cases?status=~&reason=~');
  });
});
