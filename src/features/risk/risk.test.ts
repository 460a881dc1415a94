import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { addTeamMembers, registerCaseViaApi } from '../../../test/helpers/cases.js';
import { type FakeCoreBanking, startFakeCoreBanking } from '../../../test/helpers/core-banking.js';
import { makeCustomer, makeStaff, type Session, signIn } from '../../../test/helpers/factories.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import { TRANSACTION_COLUMNS, type Transaction, toTransaction } from '../../domain/analysis/transaction.js';
import type { TeamRole } from '../../domain/duties.js';
import { httpCoreBankingTransport } from '../../platform/jobs/core-banking.js';
import { runOutboxOnce } from '../../platform/jobs/outbox.js';
import type { MailTransport } from '../../platform/jobs/outbox-smtp.js';
import { loadLoans } from '../customers/customers.service.js';
import { ingestTransactions } from '../ingestion/ingest.service.js';
import { activeRuleSet } from '../rules/rules.service.js';

const NOTES = '化疗期间收入中断，信用卡额度宜下调以免过度负债';

interface Measure {
  id: string;
  kind: 'monitoring' | 'credit_limit';
  status: string;
  sensitivity: string | null;
  newLimitMinor: number | null;
  currentLimitMinor: number | null;
  instructed: boolean;
}
interface Assessment {
  credit: {
    drawnMinor: number;
    undrawnCardLimitMinor: number;
    totalMinor: number;
    pastDueMinor: number;
    guaranteesMinor: null;
    loans: { id: string }[];
  };
  fundSafety: { unresolvedAlerts: number; unresolvedMinor: number };
  sensitivity: string;
  multiplier: number;
  suggestedSensitivity: string;
  notes: string | null;
  reviewOn: string | null;
  version: number;
  measures: Measure[];
  canEdit: boolean;
}
interface Decision {
  decision: 'allow' | 'review' | 'hold';
  rules: { id: string; detail: string }[];
  monitoring: { level: string; multiplier: number } | null;
}

type Who = 'sup' | 'sup2' | 'risk' | 'riskOther' | 'riskSup' | 'cm' | 'teller' | 'supWest';

const noMail: MailTransport = {
  send: async () => {
    throw new Error('no mail in this test');
  },
};

/** A ¥12,000 cash withdrawal at an ATM: below the shipped ¥20,000 threshold, above it halved. */
function withdrawal(customerNumber: string, id: string): Transaction {
  const fields: Record<(typeof TRANSACTION_COLUMNS)[number], string> = {
    txn_id: id,
    account_id: `${customerNumber}-ACC`,
    customer_number: customerNumber,
    booked_at: '2026-11-30T11:00:00+08:00',
    amount_minor: '1200000',
    currency: 'CNY',
    direction: 'debit',
    channel: 'atm',
    counterparty_name: '',
    counterparty_account: '',
    mcc: '6011',
    description: 'ATM取现',
  };
  const t = toTransaction(TRANSACTION_COLUMNS.map((c) => fields[c]));
  if (typeof t === 'string') throw new Error(t);
  return t;
}

describeEachDialect('risk assessment API', (dialect) => {
  let h: Harness;
  let bank: FakeCoreBanking;
  const s = {} as Record<Who, Session>; // filled in beforeAll
  const ids = {} as Record<Who, string>; // filled in beforeAll

  /** A registered EAST case with the risk officer(s) and the customer manager on its team, and a loan and a credit card. */
  async function teamedCase(officers: Who[] = ['risk']) {
    const customer = await makeCustomer(h, { name: '风险客户' });
    const c = await registerCaseViaApi({ teller: s.teller, supervisor: s.sup }, customer.customerNumber, h.clock.now(), {
      illness: '急性白血病',
      finances: '停薪',
      evidenceRef: 'SCAN-RISK-1',
    });
    const members: [Who, TeamRole][] = [...officers.map((o): [Who, TeamRole] => [o, 'risk_officer']), ['cm', 'customer_manager']];
    await addTeamMembers(
      h,
      c.id,
      members.map(([who, role]) => ({ staffId: ids[who], role })),
      ids.sup,
    );
    const base = {
      customerNumber: customer.customerNumber,
      currency: 'CNY',
      interestRateBp: 500,
      startDate: '2024-01-01',
      maturityDate: '2029-01-01',
    };
    await loadLoans(h.ctx, h.db, [
      {
        ...base,
        loanNumber: `L-${customer.customerNumber}-1`,
        product: 'consumer',
        principalMinor: 10_000_000,
        outstandingMinor: 6_000_000,
        instalmentMinor: 200_000,
        nextPaymentDate: '2026-12-10',
        daysPastDue: 12,
        status: 'overdue',
      },
      {
        ...base,
        loanNumber: `L-${customer.customerNumber}-CC`,
        product: 'credit_card',
        principalMinor: 5_000_000,
        outstandingMinor: 1_200_000,
        instalmentMinor: 120_000,
        nextPaymentDate: '2026-12-20',
        daysPastDue: 0,
        status: 'performing',
      },
    ]);
    const loans = await h.db
      .selectFrom('loans')
      .select(['id', 'product'])
      .where('loan_number', 'like', `L-${customer.customerNumber}-%`)
      .execute();
    const card = loans.find((l) => l.product === 'credit_card')?.id ?? '';
    return { ...c, customerNumber: customer.customerNumber, card };
  }

  const read = (who: Session, caseId: string) => who.request({ method: 'GET', url: `/api/v1/cases/${caseId}/risk-assessment` });
  const save = (who: Session, caseId: string, payload: unknown, headers: Record<string, string> = {}) =>
    who.request({ method: 'PUT', url: `/api/v1/cases/${caseId}/risk-assessment`, payload: payload as object, headers });
  const decide = (who: Session, measureId: string, decision: string) =>
    who.request({ method: 'POST', url: `/api/v1/risk-measures/${measureId}/decision`, payload: { decision } });
  const decideTxn = (who: Session, t: Transaction) =>
    who.request({
      method: 'POST',
      url: '/api/v1/transactions/decisions',
      payload: {
        txn_id: t.txnId,
        account_id: t.accountId,
        customer_number: t.customerNumber,
        booked_at: t.bookedAt,
        amount_minor: t.amountMinor,
        currency: t.currency,
        direction: t.direction,
        channel: t.channel,
        counterparty_name: '',
        counterparty_account: '',
        mcc: t.mcc,
        description: t.description,
      },
    });
  const ingest = async (t: Transaction) => {
    const rules = await activeRuleSet(h.db);
    return h.db.transaction().execute((trx) => ingestTransactions(h.ctx, trx, [t], { rules, batchId: null }));
  };

  beforeAll(async () => {
    bank = await startFakeCoreBanking();
    h = await createHarness(dialect, { LIFELINE_MFA: 'off', LIFELINE_SESSION_IDLE_MINUTES: '600', LIFELINE_CORE_BANKING_URL: bank.url });
    // Monday 2026-11-30, 11:00 in the bank's time zone (UTC+8).
    h.clock.set('2026-11-30T03:00:00.000Z');
    const roles: Record<Who, [Parameters<typeof makeStaff>[1]['roles'], 'EAST' | 'WEST' | 'HQ']> = {
      sup: [['supervisor'], 'EAST'],
      sup2: [['supervisor'], 'EAST'],
      risk: [['risk_officer'], 'EAST'],
      riskOther: [['risk_officer'], 'EAST'],
      riskSup: [['risk_officer', 'supervisor'], 'EAST'],
      cm: [['customer_manager'], 'EAST'],
      teller: [['staff'], 'EAST'],
      supWest: [['supervisor'], 'WEST'],
    };
    for (const [who, [r, branch]] of Object.entries(roles) as [Who, (typeof roles)[Who]][]) {
      const person = await makeStaff(h, { roles: r, branch, username: `${who.toLowerCase()}.risk` });
      ids[who] = person.id;
      s[who] = await signIn(h, person);
    }
  });
  afterAll(async () => {
    await h?.close();
    await bank?.close();
  });

  it('P3.2.3 should show the case’s credit and fund-safety exposure to its team, computed from the master data', async () => {
    const c = await teamedCase();
    const res = await read(s.cm, c.id);
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json<Assessment>();
    expect(a.credit).toMatchObject({
      drawnMinor: 7_200_000,
      undrawnCardLimitMinor: 3_800_000,
      totalMinor: 11_000_000,
      pastDueMinor: 6_000_000,
      guaranteesMinor: null,
    });
    expect(a.credit.loans).toHaveLength(2);
    expect(a.fundSafety).toMatchObject({ unresolvedAlerts: 0, unresolvedMinor: 0 });
    expect(a).toMatchObject({
      sensitivity: 'normal',
      multiplier: 1,
      suggestedSensitivity: 'heightened',
      notes: null,
      version: 0,
      canEdit: false,
    });
    expect((await read(s.risk, c.id)).json<Assessment>().canEdit).toBe(true);
    expect((await read(s.sup, c.id)).statusCode).toBe(200);
  });

  it('P5.4.1 should keep the assessment from staff outside the case’s team and from other branches', async () => {
    const c = await teamedCase();
    expectProblem(await read(s.riskOther, c.id), 'FORBIDDEN');
    expectProblem(await read(s.teller, c.id), 'FORBIDDEN');
    expectProblem(await read(s.supWest, c.id), 'NOT_FOUND');
    expectProblem(await save(s.riskOther, c.id, { reviewOn: '2026-12-15', measures: [] }), 'FORBIDDEN');
    // A team member who is not its risk officer reads it but does not assess.
    expectProblem(await save(s.cm, c.id, { reviewOn: '2026-12-15', measures: [] }), 'FORBIDDEN');
  });

  it('P7.2.2 should save notes encrypted, the review date and the monitoring, on the timeline and in the audit trail, and date the risk review', async () => {
    const c = await teamedCase();
    const res = await save(s.risk, c.id, {
      notes: NOTES,
      reviewOn: '2026-12-15',
      measures: [{ kind: 'monitoring', sensitivity: 'heightened' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json<Assessment>();
    expect(a).toMatchObject({ notes: NOTES, reviewOn: '2026-12-15', sensitivity: 'heightened', multiplier: 0.5, version: 1 });
    expect(a.measures).toEqual([expect.objectContaining({ kind: 'monitoring', status: 'in_force', sensitivity: 'heightened' })]);
    const row = await h.db.selectFrom('risk_assessments').select('notes_enc').where('case_id', '=', c.id).executeTakeFirstOrThrow();
    expect(row.notes_enc).toMatch(/^enc:v\d+:/);
    expect(row.notes_enc).not.toContain('化疗');
    const monitoring = await h.db
      .selectFrom('customer_monitoring')
      .selectAll()
      .where('customer_number', '=', c.customerNumber)
      .executeTakeFirst();
    expect(monitoring?.level).toBe('heightened');
    const events = await h.db.selectFrom('audit_events').select(['action', 'detail']).where('target_id', '=', c.id).execute();
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['risk.assessment_saved', 'risk.monitoring_set']));
    expect(JSON.stringify(events)).not.toContain('化疗');
    const review = await h.db
      .selectFrom('work_tasks')
      .select(['due_on', 'assignee_id'])
      .where('case_id', '=', c.id)
      .where('kind', '=', 'risk_review')
      .where('status', '=', 'open')
      .execute();
    expect(review).toEqual([{ due_on: '2026-12-15', assignee_id: ids.risk }]);
    const timeline = await s.risk.request({ method: 'GET', url: `/api/v1/cases/${c.id}/timeline?limit=500` });
    expect(timeline.statusCode, timeline.body).toBe(200);
    const kinds = timeline.json<{ items: { kind: string; summary: string }[] }>().items.map((i) => i.kind);
    expect(kinds).toEqual(expect.arrayContaining(['risk.assessed', 'risk.monitoring_set']));
    expect(timeline.body).not.toContain('化疗期间收入中断');
    // Back to normal ends the stronger monitoring; the change is a measure of its own.
    const back = await save(s.risk, c.id, { reviewOn: '2026-12-20', measures: [] }, { 'if-match': '"1"' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json<Assessment>()).toMatchObject({ notes: NOTES, sensitivity: 'normal', version: 2 });
    expect(back.json<Assessment>().measures.map((m) => `${m.sensitivity}:${m.status}`)).toEqual([
      'heightened:superseded',
      'normal:in_force',
    ]);
    expect(await h.db.selectFrom('customer_monitoring').selectAll().where('customer_number', '=', c.customerNumber).execute()).toEqual([]);
    expectProblem(await save(s.risk, c.id, { reviewOn: '2026-12-20', measures: [] }, { 'if-match': '"1"' }), 'PRECONDITION_FAILED');
  });

  it('P7.2.2 should judge the same withdrawal by tightened thresholds once the monitoring is heightened, in the engine and in real-time decisions', async () => {
    const c = await teamedCase();
    const before = await decideTxn(s.sup, withdrawal(c.customerNumber, `D1-${c.id}`));
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json<Decision>()).toMatchObject({ decision: 'allow', rules: [], monitoring: null });
    expect((await ingest(withdrawal(c.customerNumber, `W1-${c.id}`))).alerts).toBe(0);

    expect(
      (await save(s.risk, c.id, { reviewOn: '2026-12-15', measures: [{ kind: 'monitoring', sensitivity: 'heightened' }] })).statusCode,
    ).toBe(200);

    const after = (await decideTxn(s.sup, withdrawal(c.customerNumber, `D2-${c.id}`))).json<Decision>();
    expect(after).toMatchObject({ decision: 'hold', monitoring: { level: 'heightened', multiplier: 0.5 } });
    expect(after.rules.map((r) => r.id)).toEqual(['large_cash_withdrawal']);
    expect(after.rules[0]?.detail).toContain('stronger monitoring (heightened)');

    expect((await ingest(withdrawal(c.customerNumber, `W2-${c.id}`))).alerts).toBe(1);
    const alert = await h.db.selectFrom('fund_alerts').select('id').where('case_id', '=', c.id).executeTakeFirstOrThrow();
    const view = await s.cm.request({ method: 'GET', url: `/api/v1/alerts/${alert.id}` });
    expect(view.statusCode, view.body).toBe(200);
    const rules = view.json<{ rules: { id: string; detail: string; monitoring: { level: string; multiplier: number } | null }[] }>().rules;
    expect(rules).toEqual([expect.objectContaining({ id: 'large_cash_withdrawal', monitoring: { level: 'heightened', multiplier: 0.5 } })]);
    expect(rules[0]?.detail).toContain('stronger monitoring');
    // The alert now counts in the case's fund-safety exposure.
    expect((await read(s.risk, c.id)).json<Assessment>().fundSafety).toMatchObject({ unresolvedAlerts: 1, unresolvedMinor: 1_200_000 });
  });

  it('P3.2.3 four-eyes: should have a credit-limit change approved by another supervisor and instruct core banking once, without medical information', async () => {
    const c = await teamedCase(['risk', 'riskSup']);
    const proposed = await save(s.riskSup, c.id, {
      reviewOn: '2026-12-31',
      measures: [{ kind: 'credit_limit', loanId: c.card, newLimitMinor: 2_000_000 }],
    });
    expect(proposed.statusCode, proposed.body).toBe(200);
    const m = proposed.json<Assessment>().measures.find((x) => x.kind === 'credit_limit');
    expect(m).toMatchObject({ status: 'proposed', currentLimitMinor: 5_000_000, newLimitMinor: 2_000_000, instructed: false });
    const measureId = m?.id ?? '';
    // Saving the same choice again keeps the one proposal.
    const again = await save(s.riskSup, c.id, {
      reviewOn: '2026-12-31',
      measures: [{ kind: 'credit_limit', loanId: c.card, newLimitMinor: 2_000_000 }],
    });
    expect(again.json<Assessment>().measures.filter((x) => x.kind === 'credit_limit')).toHaveLength(1);

    expectProblem(await decide(s.riskSup, measureId, 'approve'), 'FOUR_EYES');
    expectProblem(await decide(s.risk, measureId, 'approve'), 'FORBIDDEN');
    expectProblem(await decide(s.supWest, measureId, 'approve'), 'NOT_FOUND');
    const ok = await decide(s.sup2, measureId, 'approve');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<Assessment>().measures.find((x) => x.id === measureId)).toMatchObject({ status: 'approved', instructed: true });
    expectProblem(await decide(s.sup, measureId, 'approve'), 'CONFLICT');

    const run = () =>
      runOutboxOnce(h.db, h.dialect, noMail, {
        from: 'x@bank.invalid',
        now: h.clock.now,
        options: { maxAttempts: 3, baseDelayMs: 60_000, leaseMs: 120_000, batchSize: 20 },
        coreBanking: httpCoreBankingTransport(bank.url),
      });
    await run();
    await run();
    const sent = bank.received.filter((r) => r.idempotencyKey === measureId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      instruction: 'credit_limit_change',
      body: { customerNumber: c.customerNumber, currentLimitMinor: 5_000_000, newLimitMinor: 2_000_000, currency: 'CNY' },
    });
    expect(JSON.stringify(sent[0]?.body)).not.toMatch(/白血病|停薪|condition|diagnos/);
    const timeline = await s.sup.request({ method: 'GET', url: `/api/v1/cases/${c.id}/timeline?limit=500` });
    const kinds = timeline.json<{ items: { kind: string }[] }>().items.map((i) => i.kind);
    expect(kinds).toEqual(expect.arrayContaining(['risk.credit_limit_proposed', 'risk.credit_limit_approved']));
  });

  it('P3.2.3 should withdraw a proposal no longer chosen and let a supervisor reject another', async () => {
    const c = await teamedCase();
    const first = await save(s.risk, c.id, {
      reviewOn: '2026-12-31',
      measures: [{ kind: 'credit_limit', loanId: c.card, newLimitMinor: 3_000_000 }],
    });
    const firstId = first.json<Assessment>().measures[0]?.id ?? '';
    const second = await save(s.risk, c.id, {
      reviewOn: '2026-12-31',
      measures: [{ kind: 'credit_limit', loanId: c.card, newLimitMinor: 1_000_000 }],
    });
    const measures = second.json<Assessment>().measures;
    expect(measures.map((m) => `${m.newLimitMinor}:${m.status}`)).toEqual(['3000000:withdrawn', '1000000:proposed']);
    expectProblem(await decide(s.sup, firstId, 'approve'), 'CONFLICT');
    const rejected = await decide(s.sup, measures[1]?.id ?? '', 'reject');
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json<Assessment>().measures[1]?.status).toBe('rejected');
  });

  it('should answer bad input with 4xx, never 500', async () => {
    const c = await teamedCase();
    expectProblem(await save(s.risk, c.id, { reviewOn: '2026-02-30', measures: [] }), 'VALIDATION_FAILED');
    expectProblem(await save(s.risk, c.id, { reviewOn: '2026-11-01', measures: [] }), 'VALIDATION_FAILED');
    expectProblem(
      await save(s.risk, c.id, { reviewOn: '2026-12-31', measures: [{ kind: 'monitoring', sensitivity: 'extreme' }] }),
      'VALIDATION_FAILED',
    );
    expectProblem(
      await save(s.risk, c.id, {
        reviewOn: '2026-12-31',
        measures: [{ kind: 'credit_limit', loanId: 'not-a-loan-of-theirs', newLimitMinor: 1 }],
      }),
      'VALIDATION_FAILED',
    );
    expectProblem(
      await save(s.risk, c.id, {
        reviewOn: '2026-12-31',
        measures: [
          { kind: 'monitoring', sensitivity: 'high' },
          { kind: 'monitoring', sensitivity: 'normal' },
        ],
      }),
      'VALIDATION_FAILED',
    );
    expectProblem(await read(s.risk, 'no-such-case'), 'NOT_FOUND');
    expectProblem(await decide(s.sup, 'no-such-measure', 'approve'), 'NOT_FOUND');
    expectProblem(await decide(s.sup, 'x', 'maybe'), 'VALIDATION_FAILED');
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (payload) => {
        expectNoServerError(await save(s.risk, c.id, { payload }), 'PUT risk-assessment');
        const raw = await s.risk.request({
          method: 'PUT',
          url: `/api/v1/cases/${c.id}/risk-assessment`,
          payload: JSON.stringify(payload ?? null) ?? 'null',
          headers: { 'content-type': 'application/json' },
        });
        expectNoServerError(raw, 'PUT risk-assessment (raw)');
      }),
      { numRuns: 40 },
    );
  });
});
