import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { type FakeCoreBanking, startFakeCoreBanking } from '../../../test/helpers/core-banking.js';
import { addTeamMembers, registerCaseViaApi } from '../../../test/helpers/cases.js';
import { makeCustomer, makeStaff, type Session, signIn } from '../../../test/helpers/factories.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import { httpCoreBankingTransport } from '../../platform/jobs/core-banking.js';
import { runOutboxOnce } from '../../platform/jobs/outbox.js';
import type { MailTransport } from '../../platform/jobs/outbox-smtp.js';
import { loadAccounts } from '../customers/customers.service.js';

const ILLNESS = '急性髓系白血病';
const FINANCE_NOTE = '化疗期间停薪，月供八千';

const noMail: MailTransport = {
  send: async () => {
    throw new Error('no mail in this test');
  },
};

type Who = 'sup' | 'sup2' | 'risk' | 'riskOther' | 'cm' | 'cmOther' | 'ops' | 'teller' | 'supWest' | 'admin';

describeEachDialect('emergency loans (P4.1)', (dialect) => {
  let h: Harness;
  let bank: FakeCoreBanking;
  const s = {} as Record<Who, Session>; // filled in beforeAll
  const ids = {} as Record<Who, string>; // filled in beforeAll
  let key = '';

  /**
   * A registered EAST case with the risk officer, the customer manager and operations on its team,
   * a current account holding ¥10,000 and, when given, the financial figures of its case file.
   */
  async function loanCase(finances?: { medical: number; lostIncome: number }) {
    const customer = await makeCustomer(h, { name: '贷款客户' });
    await loadAccounts(h.ctx, h.db, [
      {
        accountNumber: `L-${customer.customerNumber}`,
        customerNumber: customer.customerNumber,
        type: 'current',
        currency: 'CNY',
        balanceMinor: 1_000_000,
        status: 'active',
        openedOn: '2015-01-01',
      },
    ]);
    const c = await registerCaseViaApi({ teller: s.teller, supervisor: s.sup }, customer.customerNumber, h.clock.now(), {
      illness: ILLNESS,
      finances: FINANCE_NOTE,
    });
    await addTeamMembers(
      h,
      c.id,
      (
        [
          ['risk', 'risk_officer'],
          ['cm', 'customer_manager'],
          ['ops', 'operations'],
        ] as const
      ).map(([who, role]) => ({ staffId: ids[who], role })),
      ids.sup,
    );
    if (finances) {
      const read = await s.sup.request({ method: 'GET', url: `/api/v1/cases/${c.id}` });
      const patched = await s.sup.request({
        method: 'PATCH',
        url: `/api/v1/cases/${c.id}`,
        headers: { 'if-match': String(read.headers.etag) },
        payload: {
          financialImpact: {
            expectedMedicalCosts: { amountMinor: finances.medical, currency: 'CNY' },
            lostIncome: { amountMinor: finances.lostIncome, currency: 'CNY' },
            notes: FINANCE_NOTE,
          },
        },
      });
      expect(patched.statusCode, patched.body).toBe(200);
    }
    const account = await h.db
      .selectFrom('accounts')
      .select(['id', 'account_number'])
      .where('account_number', '=', `L-${customer.customerNumber}`)
      .executeTakeFirstOrThrow();
    return { caseId: c.id, customerNumber: customer.customerNumber, accountId: account.id, accountNumber: account.account_number };
  }

  const requestLoan = (who: Session, caseId: string, details: Record<string, unknown>) =>
    who.request({ method: 'POST', url: `/api/v1/cases/${caseId}/service-requests`, payload: { type: 'emergency_loan', details } });
  const assess = (who: Session, id: string, payload: unknown = { recommendation: 'approve', reason: '收入中断，医疗费用缺口明确' }) =>
    who.request({ method: 'POST', url: `/api/v1/service-requests/${id}/credit-assessment`, payload: payload as object });
  const decide = (who: Session, id: string, decision = 'approve') =>
    who.request({ method: 'POST', url: `/api/v1/service-requests/${id}/decision`, payload: { decision, reason: '同意发放' } });
  const book = (id: string, payload: unknown, bearer = key) =>
    h.app.inject({
      method: 'POST',
      url: `/api/v1/service-requests/${id}/booking`,
      headers: { authorization: `Bearer ${bearer}` },
      payload: payload as object,
    });
  const deliver = () =>
    runOutboxOnce(h.db, h.dialect, noMail, {
      from: 'x@bank.invalid',
      now: h.clock.now,
      options: { maxAttempts: 3, baseDelayMs: 60_000, leaseMs: 120_000, batchSize: 20 },
      coreBanking: httpCoreBankingTransport(bank.url),
    });

  beforeAll(async () => {
    bank = await startFakeCoreBanking();
    h = await createHarness(dialect, { LIFELINE_MFA: 'off', LIFELINE_SESSION_IDLE_MINUTES: '600', LIFELINE_CORE_BANKING_URL: bank.url });
    // Monday 2026-11-30, 10:00 in the bank's time zone (UTC+8).
    h.clock.set('2026-11-30T02:00:00.000Z');
    const roles: Record<Who, [Parameters<typeof makeStaff>[1]['roles'], 'EAST' | 'WEST' | 'HQ']> = {
      sup: [['supervisor'], 'EAST'],
      sup2: [['supervisor'], 'EAST'],
      risk: [['risk_officer'], 'EAST'],
      riskOther: [['risk_officer'], 'EAST'],
      cm: [['customer_manager'], 'EAST'],
      cmOther: [['customer_manager'], 'EAST'],
      ops: [['operations'], 'EAST'],
      teller: [['staff'], 'EAST'],
      supWest: [['supervisor'], 'WEST'],
      admin: [['admin'], 'HQ'],
    };
    for (const [who, [r, branch]] of Object.entries(roles) as [Who, (typeof roles)[Who]][]) {
      const person = await makeStaff(h, { roles: r, branch, username: `${who.toLowerCase()}.eloan` });
      ids[who] = person.id;
      s[who] = await signIn(h, person);
    }
    const client = await s.admin.request({
      method: 'POST',
      url: '/api/v1/admin/api-clients',
      payload: { name: '核心系统', scopes: ['loans:write'] },
    });
    expect(client.statusCode, client.body).toBe(201);
    key = (await s.admin.request({ method: 'POST', url: `/api/v1/admin/api-clients/${client.json<{ id: string }>().id}/keys` })).json<{
      key: string;
    }>().key;
  });
  afterAll(async () => {
    await bank?.close();
    await h?.close();
  });

  it('P4.1.1 should show the case’s shortfall and the cap before a loan is requested', async () => {
    // ¥30,000 medical costs + 6 × ¥2,000 lost income − ¥10,000 savings = ¥32,000.
    const c = await loanCase({ medical: 3_000_000, lostIncome: 200_000 });
    const res = await s.cm.request({ method: 'GET', url: `/api/v1/cases/${c.caseId}/emergency-loan/shortfall` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      expectedMedicalCostsMinor: 3_000_000,
      lostIncomeMinor: 1_200_000,
      liquidSavingsMinor: 1_000_000,
      horizonMonths: 6,
      shortfallMinor: 3_200_000,
      capMinor: 5_000_000,
      maximumMinor: 3_200_000,
    });
    expectProblem(await s.cmOther.request({ method: 'GET', url: `/api/v1/cases/${c.caseId}/emergency-loan/shortfall` }), 'FORBIDDEN');
    expectProblem(await s.supWest.request({ method: 'GET', url: `/api/v1/cases/${c.caseId}/emergency-loan/shortfall` }), 'NOT_FOUND');
  });

  it('P4.1 should refuse an amount above the shortfall or the cap, and any loan without a shortfall, with 422 and the reason', async () => {
    const c = await loanCase({ medical: 3_000_000, lostIncome: 200_000 });
    const above = await requestLoan(s.cm, c.caseId, { accountId: c.accountId, amountMinor: 3_300_000, termMonths: 12 });
    expectProblem(above, 'LOAN_NOT_ALLOWED');
    expect(above.statusCode).toBe(422);
    expect(above.json<{ errors: { path: string; reason: string }[] }>().errors).toEqual([
      expect.objectContaining({ path: 'body.details.amountMinor', reason: 'above_shortfall' }),
    ]);
    const far = await requestLoan(s.cm, c.caseId, { accountId: c.accountId, amountMinor: 6_000_000, termMonths: 12 });
    expect(far.json<{ errors: { reason: string }[] }>().errors.map((e) => e.reason)).toEqual(['above_cap', 'above_shortfall']);
    const none = await loanCase();
    const refused = await requestLoan(s.cm, none.caseId, { accountId: none.accountId, amountMinor: 100_000, termMonths: 12 });
    expect(refused.statusCode).toBe(422);
    expect(refused.json<{ errors: { reason: string }[] }>().errors.map((e) => e.reason)).toEqual(['no_shortfall']);
    // Nothing medical in the refusal.
    expect(refused.body).not.toContain(ILLNESS);
    expect(refused.body).not.toContain(FINANCE_NOTE);
  });

  it('P4.1 should answer bad details with 400, never 500', async () => {
    const c = await loanCase({ medical: 3_000_000, lostIncome: 200_000 });
    for (const details of [
      {},
      { accountId: c.accountId, amountMinor: -1, termMonths: 12 },
      { accountId: c.accountId, amountMinor: 100_000, termMonths: 0 },
      { accountId: c.accountId, amountMinor: 100_000, termMonths: 48 },
      { accountId: c.accountId, amountMinor: '100', termMonths: 12 },
      { accountId: 'not-an-account', amountMinor: 100_000, termMonths: 12 },
      { accountId: c.accountId, amountMinor: 100_000, termMonths: 12, description: '肺癌' },
    ]) {
      const res = await requestLoan(s.cm, c.caseId, details);
      expectNoServerError(res, JSON.stringify(details));
      expect(res.statusCode, JSON.stringify(details)).toBe(400);
    }
    for (const payload of [{}, { recommendation: 'maybe', reason: 'x' }, { recommendation: 'approve', reason: '' }]) {
      const res = await assess(s.risk, 'not-a-request', payload);
      expectNoServerError(res, JSON.stringify(payload));
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
    }
  });

  it('P4.1.1 P4.1.2 should need the risk officer’s assessment before a supervisor decides, keep four eyes, and send the disbursement once', async () => {
    const c = await loanCase({ medical: 3_000_000, lostIncome: 200_000 });
    const created = await requestLoan(s.cm, c.caseId, { accountId: c.accountId, amountMinor: 2_000_000, termMonths: 12 });
    expect(created.statusCode, created.body).toBe(201);
    const r = created.json<{ id: string; dueAt: string; requestedAt: string }>();
    // Priority time: 2 business days = 16 business hours (Monday 10:00 → Wednesday 10:00).
    expect(r.dueAt).toBe('2026-12-02T02:00:00.000Z');
    expectProblem(await decide(s.sup, r.id), 'ASSESSMENT_REQUIRED');
    expectProblem(await assess(s.riskOther, r.id), 'FORBIDDEN');
    expectProblem(await assess(s.cm, r.id), 'FORBIDDEN');
    const assessed = await assess(s.risk, r.id);
    expect(assessed.statusCode, assessed.body).toBe(200);
    expect(assessed.json()).toMatchObject({ assessment: { recommendation: 'approve', reason: '收入中断，医疗费用缺口明确' } });
    // Staff outside the case's team read neither the assessment nor the loan.
    expectProblem(await s.cmOther.request({ method: 'GET', url: `/api/v1/service-requests/${r.id}/emergency-loan` }), 'FORBIDDEN');
    expectProblem(await s.supWest.request({ method: 'GET', url: `/api/v1/service-requests/${r.id}/emergency-loan` }), 'NOT_FOUND');
    // The reason is stored encrypted.
    const stored = await h.db.selectFrom('credit_assessments').selectAll().where('request_id', '=', r.id).executeTakeFirstOrThrow();
    expect(stored.reason_enc).not.toContain('收入中断');

    h.clock.advance(3 * 3_600_000);
    const approved = await decide(s.sup, r.id);
    expect(approved.statusCode, approved.body).toBe(200);
    expectProblem(await decide(s.sup2, r.id), 'CONFLICT');
    const view = await s.risk.request({ method: 'GET', url: `/api/v1/service-requests/${r.id}/emergency-loan` });
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json()).toMatchObject({
      status: 'approved',
      hoursToDecision: 3,
      priorityHours: 16,
      amountMinor: 2_000_000,
      termMonths: 12,
    });

    expect((await deliver()).sent).toBe(1);
    expect((await deliver()).sent).toBe(0);
    // Written again (a retried decision, a replayed outbox): core banking still books it once.
    await h.db
      .updateTable('outbox')
      .set({ status: 'pending', next_attempt_at: h.clock.now().toISOString() })
      .where('kind', '=', 'core_banking')
      .execute();
    await deliver();
    const mine = bank.received.filter((x) => x.idempotencyKey === r.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      instruction: 'loan_disbursement',
      body: { requestId: r.id, customerNumber: c.customerNumber, accountNumber: c.accountNumber, amountMinor: 2_000_000, termMonths: 12 },
    });
    const sent = JSON.stringify(mine[0]);
    for (const secret of [ILLNESS, FINANCE_NOTE, c.caseId, 'severe_malignant_tumour']) expect(sent).not.toContain(secret);
  });

  it('P4.1 should refuse the supervisor who requested the loan (four eyes)', async () => {
    const c = await loanCase({ medical: 3_000_000, lostIncome: 200_000 });
    const created = await requestLoan(s.sup, c.caseId, { accountId: c.accountId, amountMinor: 1_000_000, termMonths: 6 });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    expect((await assess(s.risk, id)).statusCode).toBe(200);
    expectProblem(await decide(s.sup, id), 'FOUR_EYES');
    expect((await decide(s.sup2, id, 'reject')).statusCode).toBe(200);
  });

  it('P4.1 should record the booking reference by API key once, answer the same again and refuse another', async () => {
    const c = await loanCase({ medical: 3_000_000, lostIncome: 200_000 });
    const created = await requestLoan(s.cm, c.caseId, { accountId: c.accountId, amountMinor: 1_500_000, termMonths: 24 });
    const id = created.json<{ id: string }>().id;
    expectProblem(await book(id, { reference: 'LN-2026-0001', bookedOn: '2026-11-30' }), 'CONFLICT');
    await assess(s.risk, id);
    expect((await decide(s.sup, id)).statusCode).toBe(200);
    const first = await book(id, { reference: 'LN-2026-0001', bookedOn: '2026-11-30' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ requestId: id, reference: 'LN-2026-0001', bookedOn: '2026-11-30' });
    expect((await book(id, { reference: 'LN-2026-0001', bookedOn: '2026-11-30' })).statusCode).toBe(200);
    expectProblem(await book(id, { reference: 'LN-2026-0002', bookedOn: '2026-11-30' }), 'BOOKING_CONFLICT');
    expectProblem(await book(id, { reference: 'LN-2026-0001', bookedOn: '2026-11-30' }, 'wrong-key'), 'API_KEY_REJECTED');
    for (const bad of [{}, { reference: '', bookedOn: '2026-11-30' }, { reference: 'LN 1', bookedOn: '2026-02-30' }]) {
      const res = await book(id, bad);
      expectNoServerError(res, JSON.stringify(bad));
      expect(res.statusCode).toBe(400);
    }
    const view = await s.ops.request({ method: 'GET', url: `/api/v1/service-requests/${id}/emergency-loan` });
    expect(view.json()).toMatchObject({ booking: { reference: 'LN-2026-0001' } });
    // Operations of the team record it in the UI too (the same reference: answered as recorded).
    const byOps = await s.ops.request({
      method: 'POST',
      url: `/api/v1/service-requests/${id}/booking`,
      payload: { reference: 'LN-2026-0001', bookedOn: '2026-11-30' },
    });
    expect(byOps.statusCode, byOps.body).toBe(200);
    expectProblem(
      await s.cm.request({
        method: 'POST',
        url: `/api/v1/service-requests/${id}/booking`,
        payload: { reference: 'X1', bookedOn: '2026-11-30' },
      }),
      'FORBIDDEN',
    );
  });
});
