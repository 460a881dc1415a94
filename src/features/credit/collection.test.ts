import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { addTeamMembers, registerCaseViaApi } from '../../../test/helpers/cases.js';
import { makeCustomer, makeStaff, type Session, signIn } from '../../../test/helpers/factories.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';

const ILLNESS = '急性白血病';
const FINANCES = '化疗期间停薪，房贷月供八千';
const EVIDENCE = 'SCAN-COLL-2207';

interface Treatment {
  gentle: boolean;
  maxContactsPerWeek: number;
  quietHours: { from: string; to: string };
  channels: string[];
  pausedUntil?: string;
  set?: boolean;
  version?: number;
  contactsInPastWeek?: number;
}

type Who = 'sup' | 'risk' | 'riskOther' | 'cm' | 'teller' | 'supWest' | 'admin';

describeEachDialect('gentle collection API', (dialect) => {
  let h: Harness;
  const s = {} as Record<Who, Session>; // filled in beforeAll
  const ids = {} as Record<Who, string>; // filled in beforeAll
  let key = '';

  /** A registered EAST case with the risk officer and the customer manager on its team. */
  async function teamedCase() {
    const customer = await makeCustomer(h, { name: '催收客户' });
    const c = await registerCaseViaApi({ teller: s.teller, supervisor: s.sup }, customer.customerNumber, h.clock.now(), {
      illness: ILLNESS,
      finances: FINANCES,
      evidenceRef: EVIDENCE,
    });
    await addTeamMembers(
      h,
      c.id,
      (
        [
          ['risk', 'risk_officer'],
          ['cm', 'customer_manager'],
        ] as const
      ).map(([who, role]) => ({ staffId: ids[who], role })),
      ids.sup,
    );
    return { ...c, customerNumber: customer.customerNumber };
  }

  const treatmentOf = (who: Session, caseId: string) => who.request({ method: 'GET', url: `/api/v1/cases/${caseId}/collection-treatment` });
  const setTreatment = (who: Session, caseId: string, payload: unknown) =>
    who.request({ method: 'PUT', url: `/api/v1/cases/${caseId}/collection-treatment`, payload: payload as object });
  const contact = (who: Session, caseId: string, payload: unknown) =>
    who.request({ method: 'POST', url: `/api/v1/cases/${caseId}/collection-contacts`, payload: payload as object });
  const lookup = (bearer: string, customerNumber: string) =>
    h.app.inject({ method: 'GET', url: `/api/v1/collection-treatment/${customerNumber}`, headers: { authorization: `Bearer ${bearer}` } });

  const CALM = {
    gentle: true,
    maxContactsPerWeek: 2,
    quietHours: { from: '19:00', to: '10:00' },
    channels: ['letter', 'sms'],
    pausedUntil: null,
  };

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off', LIFELINE_SESSION_IDLE_MINUTES: '600' });
    // Monday 2026-11-30, 11:00 in the bank's time zone (UTC+8).
    h.clock.set('2026-11-30T03:00:00.000Z');
    const roles: Record<Who, [Parameters<typeof makeStaff>[1]['roles'], 'EAST' | 'WEST' | 'HQ']> = {
      sup: [['supervisor'], 'EAST'],
      risk: [['risk_officer'], 'EAST'],
      riskOther: [['risk_officer'], 'EAST'],
      cm: [['customer_manager'], 'EAST'],
      teller: [['staff'], 'EAST'],
      supWest: [['supervisor'], 'WEST'],
      admin: [['admin'], 'HQ'],
    };
    for (const [who, [r, branch]] of Object.entries(roles) as [Who, (typeof roles)[Who]][]) {
      const person = await makeStaff(h, { roles: r, branch, username: `${who.toLowerCase()}.coll` });
      ids[who] = person.id;
      s[who] = await signIn(h, person);
    }
    const client = await s.admin.request({
      method: 'POST',
      url: '/api/v1/admin/api-clients',
      payload: { name: '催收系统', scopes: ['collection:read'] },
    });
    expect(client.statusCode, client.body).toBe(201);
    key = (await s.admin.request({ method: 'POST', url: `/api/v1/admin/api-clients/${client.json<{ id: string }>().id}/keys` })).json<{
      key: string;
    }>().key;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('P7.1.2 should start a registered case on the gentle default and let its risk officer set the treatment', async () => {
    const c = await teamedCase();
    const before = await treatmentOf(s.cm, c.id);
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json<Treatment>()).toMatchObject({
      gentle: true,
      maxContactsPerWeek: 1,
      channels: ['sms', 'letter'],
      set: false,
      version: 0,
    });
    const set = await setTreatment(s.risk, c.id, { ...CALM, pausedUntil: '2026-12-31' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json<Treatment>()).toMatchObject({
      maxContactsPerWeek: 2,
      quietHours: { from: '19:00', to: '10:00' },
      pausedUntil: '2026-12-31',
      set: true,
      version: 1,
    });
    // A customer manager reads it but does not set it; a stale If-Match is refused.
    expectProblem(await setTreatment(s.cm, c.id, CALM), 'FORBIDDEN');
    expectProblem(
      await s.sup.request({
        method: 'PUT',
        url: `/api/v1/cases/${c.id}/collection-treatment`,
        payload: CALM,
        headers: { 'if-match': '"0"' },
      }),
      'PRECONDITION_FAILED',
    );
    expect(
      (
        await s.sup.request({
          method: 'PUT',
          url: `/api/v1/cases/${c.id}/collection-treatment`,
          payload: CALM,
          headers: { 'if-match': '"1"' },
        })
      ).statusCode,
    ).toBe(200);
    const audit = await h.db
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', c.id)
      .where('action', '=', 'collection.treatment_set')
      .execute();
    expect(audit).toHaveLength(2);
  });

  it('P7.1.2 should keep the treatment from staff outside the case’s team and from other branches', async () => {
    const c = await teamedCase();
    expectProblem(await treatmentOf(s.riskOther, c.id), 'FORBIDDEN');
    expectProblem(await setTreatment(s.riskOther, c.id, CALM), 'FORBIDDEN');
    expectProblem(await treatmentOf(s.supWest, c.id), 'NOT_FOUND');
    expectProblem(await treatmentOf(s.teller, c.id), 'FORBIDDEN');
  });

  it('P7.1.2 should refuse a collection contact that would break the treatment, each with its own code', async () => {
    const c = await teamedCase();
    expect((await setTreatment(s.risk, c.id, { ...CALM, maxContactsPerWeek: 1, pausedUntil: '2026-11-30' })).statusCode).toBe(200);
    // Monday 11:00 local: paused through today.
    expectProblem(await contact(s.risk, c.id, { channel: 'sms' }), 'COLLECTION_PAUSED');
    // Tuesday: a call is not an allowed channel; 20:00 local is quiet.
    expectProblem(await contact(s.risk, c.id, { channel: 'phone', at: '2026-12-01T11:00:00+08:00' }), 'COLLECTION_CHANNEL_NOT_ALLOWED');
    expectProblem(await contact(s.risk, c.id, { channel: 'sms', at: '2026-12-01T20:00:00+08:00' }), 'COLLECTION_QUIET_HOURS');
    const ok = await contact(s.risk, c.id, { channel: 'letter', at: '2026-12-01T11:00:00+08:00' });
    expect(ok.statusCode, ok.body).toBe(201);
    expectProblem(await contact(s.risk, c.id, { channel: 'sms', at: '2026-12-02T11:00:00+08:00' }), 'COLLECTION_WEEKLY_LIMIT');
    expect((await contact(s.risk, c.id, { channel: 'sms', at: '2026-12-08T11:30:00+08:00' })).statusCode).toBe(201);
  });

  it('P7.1.2 should answer the collection system the case’s treatment, the standard one otherwise, and nothing medical', async () => {
    const c = await teamedCase();
    expect((await setTreatment(s.risk, c.id, { ...CALM, pausedUntil: '2027-01-15' })).statusCode).toBe(200);
    const res = await lookup(key, c.customerNumber.toLowerCase());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      customerNumber: c.customerNumber,
      gentle: true,
      maxContactsPerWeek: 2,
      quietHours: { from: '19:00', to: '10:00' },
      // In the channels' own order, whatever the order they were set in.
      channels: ['sms', 'letter'],
      pausedUntil: '2027-01-15',
    });
    for (const secret of [ILLNESS, FINANCES, EVIDENCE, c.caseNumber, c.id]) expect(res.body).not.toContain(secret);
    const stranger = await lookup(key, 'C00000001');
    expect(stranger.json()).toEqual({
      customerNumber: 'C00000001',
      gentle: false,
      maxContactsPerWeek: 7,
      quietHours: { from: '22:00', to: '08:00' },
      channels: ['phone', 'sms', 'letter', 'visit'],
    });
    expectProblem(await lookup('llk_not-a-key', c.customerNumber), 'API_KEY_REJECTED');
  });

  it('P7.1.2 should send a reviewed reminder through the outbox as a contact the treatment allows, and nothing else', async () => {
    const c = await teamedCase();
    const templates = await s.risk.request({ method: 'GET', url: '/api/v1/credit/reminder-templates' });
    expect(templates.statusCode, templates.body).toBe(200);
    expect(templates.json<{ items: { template: string }[] }>().items.map((t) => t.template)).toContain('upcoming_instalment');
    const remind = (who: Session, payload: unknown) =>
      who.request({ method: 'POST', url: `/api/v1/cases/${c.id}/collection-reminders`, payload: payload as object });

    const sent = await remind(s.risk, { template: 'upcoming_instalment', dueDate: '2026-12-20' });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json()).toMatchObject({ channel: 'sms', template: 'upcoming_instalment', smsQueued: false });
    // No gateway in the tests: the SMS is kept as skipped, and the answer says it was not queued.
    const rows = await h.db.selectFrom('outbox').selectAll().where('kind', '=', 'sms').where('status', '=', 'skipped').execute();
    const mine = rows
      .map((r) => JSON.parse(r.payload) as { customerId: string; text: string })
      .filter((p) => p.text.includes('2026年12月20日'));
    expect(mine).toHaveLength(1);
    for (const secret of [ILLNESS, FINANCES, EVIDENCE, c.customerNumber]) expect(mine[0]?.text).not.toContain(secret);

    // The gentle default allows one contact a week: the reminder was it.
    expectProblem(await remind(s.risk, { template: 'offer_help' }), 'COLLECTION_WEEKLY_LIMIT');
    expectProblem(await remind(s.riskOther, { template: 'offer_help' }), 'FORBIDDEN');
    expectProblem(await remind(s.cm, { template: 'offer_help' }), 'FORBIDDEN');
    for (const bad of [
      { template: '请立即还款，否则起诉' },
      { template: 'offer_help', text: 'free text' },
      { template: 'missed_instalment', dueDate: '2026-02-30' },
      {},
    ])
      expect((await remind(s.risk, bad)).statusCode, JSON.stringify(bad)).toBe(400);
  });

  it('should answer any treatment body with the treatment or a 4xx, never a 500', async () => {
    const c = await teamedCase();
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            gentle: fc.oneof(fc.boolean(), fc.string()),
            maxContactsPerWeek: fc.oneof(fc.integer({ min: -2, max: 20 }), fc.double()),
            quietHours: fc.oneof(
              fc.record({ from: fc.string({ maxLength: 6 }), to: fc.constantFrom('08:00', '24:00', '7:00') }),
              fc.anything(),
            ),
            channels: fc.array(fc.constantFrom('sms', 'letter', 'phone', 'visit', 'fax'), { maxLength: 5 }),
            pausedUntil: fc.oneof(fc.constant(null), fc.constantFrom('2026-12-31', '2026-02-30', 'soon')),
          },
          { requiredKeys: [] },
        ),
        async (payload) => expectNoServerError(await setTreatment(s.risk, c.id, payload), JSON.stringify(payload)),
      ),
      { numRuns: 60 },
    );
  });
});
