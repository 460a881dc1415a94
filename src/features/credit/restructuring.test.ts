import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { type FakeCoreBanking, startFakeCoreBanking } from '../../../test/helpers/core-banking.js';
import { addTeamMembers, registerCaseViaApi } from '../../../test/helpers/cases.js';
import { makeCustomer, makeStaff, type Session, signIn } from '../../../test/helpers/factories.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import { TINY_PNG_BASE64 } from '../../../test/helpers/service-requests.js';
import { httpCoreBankingTransport } from '../../platform/jobs/core-banking.js';
import { runOutboxOnce } from '../../platform/jobs/outbox.js';
import type { MailTransport } from '../../platform/jobs/outbox-smtp.js';
import { loadLoans } from '../customers/customers.service.js';

const ILLNESS = '胰腺癌晚期';

const noMail: MailTransport = {
  send: async () => {
    throw new Error('no mail in this test');
  },
};

type Who = 'sup' | 'sup2' | 'risk' | 'riskOther' | 'cm' | 'cmOther' | 'teller' | 'supWest';

interface Comparison {
  before: { months: number; instalmentMinor: number; totalInterestMinor: number; instalments: { dueOn: string }[] };
  after: { months: number; instalmentMinor: number; totalInterestMinor: number };
  costDifferenceMinor: number;
}

describeEachDialect('restructuring (P7.1.1)', (dialect) => {
  let h: Harness;
  let bank: FakeCoreBanking;
  const s = {} as Record<Who, Session>; // filled in beforeAll
  const ids = {} as Record<Who, string>; // filled in beforeAll

  /** A registered EAST case with the risk officer and the customer manager on its team, and a consumer loan of ¥12,000 at 6 %. */
  async function loanCase() {
    const customer = await makeCustomer(h, { name: '重组客户' });
    const loanNumber = `LN-${customer.customerNumber}`;
    await loadLoans(h.ctx, h.db, [
      {
        loanNumber,
        customerNumber: customer.customerNumber,
        product: 'consumer',
        currency: 'CNY',
        principalMinor: 2_400_000,
        outstandingMinor: 1_200_000,
        interestRateBp: 600,
        instalmentMinor: 103_279,
        startDate: '2025-12-31',
        maturityDate: '2027-12-31',
        nextPaymentDate: '2027-01-31',
        daysPastDue: 0,
        status: 'performing',
      },
    ]);
    const c = await registerCaseViaApi({ teller: s.teller, supervisor: s.sup }, customer.customerNumber, h.clock.now(), {
      illness: ILLNESS,
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
    const loan = await h.db.selectFrom('loans').select('id').where('loan_number', '=', loanNumber).executeTakeFirstOrThrow();
    return { caseId: c.id, loanId: loan.id, loanNumber, customerNumber: customer.customerNumber };
  }

  const propose = (who: Session, caseId: string, details: Record<string, unknown>) =>
    who.request({ method: 'POST', url: `/api/v1/cases/${caseId}/service-requests`, payload: { type: 'restructuring', details } });
  const decide = (who: Session, id: string) =>
    who.request({
      method: 'POST',
      url: `/api/v1/service-requests/${id}/decision`,
      payload: { decision: 'approve', reason: '同意调整还款计划' },
    });
  const sign = async (id: string) => {
    const summary = await s.cm.request({ method: 'GET', url: `/api/v1/service-requests/${id}/summary?locale=zh-CN` });
    expect(summary.statusCode, summary.body).toBe(200);
    const signed = await s.cm.request({
      method: 'POST',
      url: `/api/v1/service-requests/${id}/signatures`,
      payload: {
        kind: 'on_device',
        locale: 'zh-CN',
        summarySha256: summary.json<{ sha256: string }>().sha256,
        imagePng: `data:image/png;base64,${TINY_PNG_BASE64}`,
        place: '东城支行',
      },
    });
    expect(signed.statusCode, signed.body).toBe(201);
  };

  beforeAll(async () => {
    bank = await startFakeCoreBanking();
    h = await createHarness(dialect, { LIFELINE_MFA: 'off', LIFELINE_SESSION_IDLE_MINUTES: '600', LIFELINE_CORE_BANKING_URL: bank.url });
    h.clock.set('2026-12-14T02:00:00.000Z');
    const roles: Record<Who, [Parameters<typeof makeStaff>[1]['roles'], 'EAST' | 'WEST']> = {
      sup: [['supervisor'], 'EAST'],
      sup2: [['supervisor'], 'EAST'],
      risk: [['risk_officer'], 'EAST'],
      riskOther: [['risk_officer'], 'EAST'],
      cm: [['customer_manager'], 'EAST'],
      cmOther: [['customer_manager'], 'EAST'],
      teller: [['staff'], 'EAST'],
      supWest: [['supervisor'], 'WEST'],
    };
    for (const [who, [r, branch]] of Object.entries(roles) as [Who, (typeof roles)[Who]][]) {
      const person = await makeStaff(h, { roles: r, branch, username: `${who.toLowerCase()}.restr` });
      ids[who] = person.id;
      s[who] = await signIn(h, person);
    }
  });
  afterAll(async () => {
    await bank?.close();
    await h?.close();
  });

  it('P7.1.1 should preview the old and new schedules side by side with the exact difference in total cost', async () => {
    const c = await loanCase();
    const res = await s.risk.request({
      method: 'POST',
      url: '/api/v1/credit/restructuring-preview',
      payload: { caseId: c.caseId, loanId: c.loanId, change: 'term_extension', months: 12 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json<Comparison>();
    expect(v.before.months).toBe(12);
    expect(v.after.months).toBe(24);
    expect(v.before.instalments[1]?.dueOn).toBe('2027-02-28');
    expect(v.costDifferenceMinor).toBe(v.after.totalInterestMinor - v.before.totalInterestMinor);
    expect(v.costDifferenceMinor).toBeGreaterThan(0);
    for (const payload of [
      { caseId: c.caseId, loanId: c.loanId, change: 'rate_reduction', annualRatePercent: 7 },
      { caseId: c.caseId, loanId: 'no-such-loan', change: 'deferral', months: 3 },
      { caseId: c.caseId, loanId: c.loanId, change: 'sideways' },
      {},
    ]) {
      const bad = await s.risk.request({ method: 'POST', url: '/api/v1/credit/restructuring-preview', payload });
      expectNoServerError(bad, JSON.stringify(payload));
      expect(bad.statusCode, bad.body).toBe(400);
    }
    expectProblem(
      await s.supWest.request({
        method: 'POST',
        url: '/api/v1/credit/restructuring-preview',
        payload: { caseId: c.caseId, loanId: c.loanId, change: 'deferral', months: 3 },
      }),
      'NOT_FOUND',
    );
  });

  it('P7.1.1 should let only the case’s risk officer propose, and check the change fits the loan', async () => {
    const c = await loanCase();
    const details = { loanId: c.loanId, change: 'deferral', months: 3, rationale: '治疗期间收入下降' };
    expectProblem(await propose(s.cm, c.caseId, details), 'FORBIDDEN');
    expectProblem(await propose(s.riskOther, c.caseId, details), 'FORBIDDEN');
    for (const bad of [
      { ...details, months: undefined },
      { ...details, annualRatePercent: 3 },
      { loanId: c.loanId, change: 'rate_reduction', annualRatePercent: 8, rationale: 'x' },
      { ...details, loanId: 'someone-elses' },
    ]) {
      const res = await propose(s.risk, c.caseId, bad);
      expectNoServerError(res, JSON.stringify(bad));
      expect(res.statusCode, res.body).toBe(400);
    }
    const ok = await propose(s.risk, c.caseId, details);
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('P7.1.1 should need the customer’s signature and a supervisor, then send the new schedule once and show the approval on the timeline', async () => {
    const c = await loanCase();
    const created = await propose(s.risk, c.caseId, {
      loanId: c.loanId,
      change: 'reduced_instalment',
      instalmentMinor: 60_000,
      rationale: '月供负担过重',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    const view = await s.cm.request({ method: 'GET', url: `/api/v1/service-requests/${id}/restructuring` });
    expect(view.statusCode, view.body).toBe(200);
    const v = view.json<Comparison & { signed: boolean }>();
    expect(v.signed).toBe(false);
    expect(v.after.instalmentMinor).toBeLessThanOrEqual(60_000);
    expectProblem(await s.cmOther.request({ method: 'GET', url: `/api/v1/service-requests/${id}/restructuring` }), 'FORBIDDEN');

    expectProblem(await decide(s.sup, id), 'SIGNATURE_REQUIRED');
    await sign(id);
    const approved = await decide(s.sup, id);
    expect(approved.statusCode, approved.body).toBe(200);
    const deliver = () =>
      runOutboxOnce(h.db, h.dialect, noMail, {
        from: 'x@bank.invalid',
        now: h.clock.now,
        options: { maxAttempts: 3, baseDelayMs: 60_000, leaseMs: 120_000, batchSize: 20 },
        coreBanking: httpCoreBankingTransport(bank.url),
      });
    expect((await deliver()).sent).toBe(1);
    expect((await deliver()).sent).toBe(0);
    const sent = bank.received.filter((x) => x.idempotencyKey === id);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      instruction: 'loan_reschedule',
      body: { requestId: id, loanNumber: c.loanNumber, customerNumber: c.customerNumber, months: v.after.months },
    });
    expect(JSON.stringify(sent[0])).not.toContain(ILLNESS);
    expect(JSON.stringify(sent[0])).not.toContain(c.caseId);

    const timeline = await s.cm.request({ method: 'GET', url: `/api/v1/cases/${c.caseId}/timeline` });
    expect(timeline.statusCode, timeline.body).toBe(200);
    expect(timeline.body).toContain('service.approved');
  });
});
