import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { addTeamMembers, registerCaseViaApi } from '../../../test/helpers/cases.js';
import { makeCustomer, makeStaff, type Session, signIn } from '../../../test/helpers/factories.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import { newId } from '../../platform/crypto/ids.js';
import { type LoanInput, loadLoans } from '../customers/customers.service.js';
import { storeTransactions } from '../transactions/transactions.service.js';
import { runLoanWatch } from './loan-watch.service.js';

type Who = 'sup' | 'risk' | 'riskOther' | 'cm' | 'teller' | 'supWest';

interface WatchedList {
  items: { loanNumber: string; action: string; daysPastDue: number; case: { id: string; caseNumber: string } }[];
  nextCursor: string | null;
}
interface CaseWatch {
  monthlyDebtMinor: number;
  capacityMinor: number | null;
  inflows: { from: string; to: string; inflowMinor: number }[];
  loans: { loanNumber: string; action: string; raised: { kind: string; instalmentDueOn: string | null }[] }[];
}

describeEachDialect('loan watch', (dialect) => {
  let h: Harness;
  const s = {} as Record<Who, Session>; // filled in beforeAll
  const ids = {} as Record<Who, string>; // filled in beforeAll
  let loanSeq = 0;

  /** A registered EAST case, with the risk officer and the customer manager on its team unless told. */
  async function teamedCase(team: readonly ('risk' | 'cm')[] = ['risk', 'cm']) {
    const customer = await makeCustomer(h, { name: '观察客户' });
    const c = await registerCaseViaApi({ teller: s.teller, supervisor: s.sup }, customer.customerNumber, h.clock.now());
    for (const who of team) await addToTeam(c.id, who);
    return { ...c, customerNumber: customer.customerNumber };
  }

  async function addToTeam(caseId: string, who: 'risk' | 'cm') {
    await addTeamMembers(h, caseId, [{ staffId: ids[who], role: who === 'risk' ? 'risk_officer' : 'customer_manager' }], ids.sup);
  }

  /** A mortgage of the customer as the core reports it: ¥8,000 a month, due 2026-12-20 unless told. */
  function loan(customerNumber: string, over: Partial<LoanInput> = {}): LoanInput {
    loanSeq += 1;
    return {
      loanNumber: `LW${String(loanSeq).padStart(6, '0')}`,
      customerNumber,
      product: 'mortgage',
      currency: 'CNY',
      principalMinor: 150_000_000,
      outstandingMinor: 120_000_000,
      interestRateBp: 390,
      instalmentMinor: 800_000,
      startDate: '2020-01-20',
      maturityDate: '2040-01-20',
      nextPaymentDate: '2026-12-20',
      daysPastDue: 0,
      status: 'performing',
      ...over,
    };
  }

  async function importLoans(loans: LoanInput[]) {
    const result = await loadLoans(h.ctx, h.db, loans);
    expect(result.rejected).toEqual([]);
  }

  /** A salary (or any credit) of `amountMinor` on each of these days, 10:00 Beijing time. */
  async function credits(customerNumber: string, amountMinor: number, days: readonly string[]) {
    await storeTransactions(
      h.db,
      days.map((day) => ({
        txn_id: newId(),
        account_id: `A-${customerNumber}`,
        customer_number: customerNumber,
        booked_at: new Date(`${day}T10:00:00+08:00`).toISOString(),
        amount_minor: amountMinor,
        currency: 'CNY',
        direction: 'credit' as const,
        channel: 'transfer' as const,
        counterparty_name: '工资',
        counterparty_account: null,
        mcc: null,
        description: null,
        ingested_at: h.clock.now().toISOString(),
      })),
    );
  }
  /** One credit in each of the last three 30-day periods before 2026-12-07. */
  const SALARY_DAYS = ['2026-09-15', '2026-10-15', '2026-11-15'];

  const watchTasks = (caseId: string) =>
    h.db
      .selectFrom('work_tasks')
      .select(['id', 'kind', 'assignee_id', 'title', 'due_on', 'status'])
      .where('case_id', '=', caseId)
      .where('kind', 'in', ['loan_prepare', 'loan_past_due'])
      .orderBy('created_at')
      .execute();
  const caseWatch = (who: Session, caseId: string) => who.request({ method: 'GET', url: `/api/v1/cases/${caseId}/loan-watch` });
  const list = (who: Session, query = '') => who.request({ method: 'GET', url: `/api/v1/credit/watched-loans${query}` });

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off', LIFELINE_SESSION_IDLE_MINUTES: '600' });
    // Monday 2026-12-07, 10:00 in the bank's time zone (UTC+8).
    h.clock.set('2026-12-07T02:00:00.000Z');
    const roles: Record<Who, [Parameters<typeof makeStaff>[1]['roles'], 'EAST' | 'WEST']> = {
      sup: [['supervisor'], 'EAST'],
      risk: [['risk_officer'], 'EAST'],
      riskOther: [['risk_officer'], 'EAST'],
      cm: [['customer_manager'], 'EAST'],
      teller: [['staff'], 'EAST'],
      supWest: [['supervisor'], 'WEST'],
    };
    for (const [who, [r, branch]] of Object.entries(roles) as [Who, (typeof roles)[Who]][]) {
      const person = await makeStaff(h, { roles: r, branch, username: `${who.toLowerCase()}.watch` });
      ids[who] = person.id;
      s[who] = await signIn(h, person);
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  it('P7.1.2 should give the risk officer a prepare task for an instalment due within 30 days that the recent inflows will not cover', async () => {
    const c = await teamedCase();
    // ¥10,000 a month comes in; ¥8,000 is more than half of it.
    await credits(c.customerNumber, 1_000_000, SALARY_DAYS);
    const l = loan(c.customerNumber);
    await importLoans([l]);
    await runLoanWatch(h.ctx);
    const tasks = await watchTasks(c.id);
    expect(tasks).toEqual([
      expect.objectContaining({ kind: 'loan_prepare', assignee_id: ids.risk, title: l.loanNumber, due_on: '2026-12-13', status: 'open' }),
    ]);
    const audit = await h.db
      .selectFrom('audit_events')
      .select(['action', 'detail'])
      .where('target_id', '=', c.id)
      .where('action', '=', 'credit.loan_watch_raised')
      .execute();
    expect(audit).toHaveLength(1);
    // The audit says which loan and what, never the customer's inflows.
    expect(JSON.stringify(audit)).not.toContain('1000000');

    const mine = await s.risk.request({ method: 'GET', url: '/api/v1/work/tasks' });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json<{ items: { kind: string; title: string | null }[] }>().items).toContainEqual(
      expect.objectContaining({ kind: 'loan_prepare', title: l.loanNumber }),
    );

    const res = await caseWatch(s.risk, c.id);
    expect(res.statusCode, res.body).toBe(200);
    const watch = res.json<CaseWatch>();
    expect(watch.monthlyDebtMinor).toBe(800_000);
    expect(watch.capacityMinor).toBe(1_000_000);
    expect(watch.inflows).toHaveLength(6);
    expect(watch.inflows.slice(-3).map((p) => p.inflowMinor)).toEqual([1_000_000, 1_000_000, 1_000_000]);
    expect(watch.inflows.at(-1)).toMatchObject({ to: '2026-12-06' });
    expect(watch.loans).toEqual([
      expect.objectContaining({
        loanNumber: l.loanNumber,
        action: 'prepare',
        raised: [expect.objectContaining({ kind: 'prepare', instalmentDueOn: '2026-12-20' })],
      }),
    ]);
  });

  it('P7.1.2 should raise nothing when the inflows cover the instalment, or when it falls due after 30 days', async () => {
    const covered = await teamedCase();
    await credits(covered.customerNumber, 2_000_000, SALARY_DAYS);
    const later = await teamedCase();
    await importLoans([loan(covered.customerNumber), loan(later.customerNumber, { nextPaymentDate: '2027-01-20' })]);
    await runLoanWatch(h.ctx);
    expect(await watchTasks(covered.id)).toEqual([]);
    expect(await watchTasks(later.id)).toEqual([]);
    const watch = (await caseWatch(s.sup, covered.id)).json<CaseWatch>();
    expect(watch.loans.map((x) => x.action)).toEqual(['none']);
  });

  it('P7.1.2 should raise one risk task for a loan that turns past due, and no second on re-import or re-run', async () => {
    const c = await teamedCase();
    await credits(c.customerNumber, 5_000_000, SALARY_DAYS);
    const l = loan(c.customerNumber, { nextPaymentDate: '2026-11-20', daysPastDue: 17, status: 'overdue' });
    await importLoans([l]);
    await runLoanWatch(h.ctx);
    // The core sends the same loans again, a day later with one more day past due; the watch runs twice.
    await importLoans([{ ...l }]);
    await runLoanWatch(h.ctx);
    h.clock.advance(86_400_000);
    await importLoans([{ ...l, daysPastDue: 18 }]);
    await runLoanWatch(h.ctx);
    await runLoanWatch(h.ctx);
    const tasks = await watchTasks(c.id);
    expect(tasks).toEqual([
      expect.objectContaining({ kind: 'loan_past_due', assignee_id: ids.risk, title: l.loanNumber, due_on: '2026-12-07' }),
    ]);

    // Paid up: the arrears end. Falling behind again later is a new spell, with a task of its own.
    await importLoans([{ ...l, daysPastDue: 0, status: 'performing', nextPaymentDate: '2027-01-20' }]);
    await runLoanWatch(h.ctx);
    expect(await watchTasks(c.id)).toHaveLength(1);
    await importLoans([{ ...l, daysPastDue: 3, status: 'overdue', nextPaymentDate: '2027-01-20' }]);
    await runLoanWatch(h.ctx);
    expect((await watchTasks(c.id)).map((t) => t.kind)).toEqual(['loan_past_due', 'loan_past_due']);
    h.clock.set('2026-12-07T02:00:00.000Z');
  });

  it('P7.1.2 should raise a prepare task once per instalment, however often the loans are imported and watched', async () => {
    const c = await teamedCase();
    const l = loan(c.customerNumber);
    await importLoans([l]);
    await runLoanWatch(h.ctx);
    await importLoans([{ ...l, outstandingMinor: 119_500_000 }]);
    await runLoanWatch(h.ctx);
    expect(await watchTasks(c.id)).toHaveLength(1);
    // The next instalment, once due within 30 days and still uncovered, is prepared for in turn.
    await importLoans([{ ...l, nextPaymentDate: '2027-01-05' }]);
    await runLoanWatch(h.ctx);
    expect((await watchTasks(c.id)).map((t) => t.due_on)).toEqual(['2026-12-13', '2026-12-29']);
  });

  it('P7.1.2 should wait for a risk officer on the team before raising a task, and raise it once one is there', async () => {
    const c = await teamedCase(['cm']);
    await importLoans([loan(c.customerNumber, { daysPastDue: 2 })]);
    const first = await runLoanWatch(h.ctx);
    expect(first.noRiskOfficer).toBeGreaterThanOrEqual(1);
    expect(await watchTasks(c.id)).toEqual([]);
    await addToTeam(c.id, 'risk');
    await runLoanWatch(h.ctx);
    expect((await watchTasks(c.id)).map((t) => t.kind)).toEqual(['loan_past_due']);
  });

  it('P7.1 should list the watched loans of the reader’s scope, past due first, and keep a case’s watch from staff outside its team', async () => {
    const c = await teamedCase();
    await importLoans([
      loan(c.customerNumber, { daysPastDue: 9, status: 'overdue' }),
      loan(c.customerNumber, { nextPaymentDate: '2026-12-15' }),
    ]);
    const sup = await list(s.sup);
    expect(sup.statusCode, sup.body).toBe(200);
    const items = sup.json<WatchedList>().items;
    const ranks = items.map((i) => ['past_due', 'prepare', 'none'].indexOf(i.action));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(items.filter((i) => i.case.id === c.id).map((i) => i.action)).toEqual(['past_due', 'prepare']);
    // The risk officer sees the cases they are on; a colleague off the team and another branch see none of this case.
    expect((await list(s.risk)).json<WatchedList>().items.some((i) => i.case.id === c.id)).toBe(true);
    expect((await list(s.riskOther)).json<WatchedList>().items.some((i) => i.case.id === c.id)).toBe(false);
    expect((await list(s.supWest)).json<WatchedList>().items).toEqual([]);
    expect((await list(s.sup, '?action=past_due')).json<WatchedList>().items.every((i) => i.action === 'past_due')).toBe(true);
    // Pages follow each other without a gap or a repeat.
    const all = items.map((i) => i.loanNumber);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: WatchedList = (await list(s.sup, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json<WatchedList>();
      paged.push(...page.items.map((i) => i.loanNumber));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(paged).toEqual(all);

    expectProblem(await caseWatch(s.riskOther, c.id), 'FORBIDDEN');
    expectProblem(await caseWatch(s.supWest, c.id), 'NOT_FOUND');
    expectProblem(await caseWatch(s.cm, c.id), 'FORBIDDEN');
    expectProblem(await list(s.cm), 'FORBIDDEN');
    expectProblem(await list(s.teller), 'FORBIDDEN');
  });

  it('should answer bad input with a 4xx problem, never a 500', async () => {
    expectProblem(await caseWatch(s.risk, 'not_an_id'), 'VALIDATION_FAILED');
    expectProblem(await caseWatch(s.risk, 'x'.repeat(65)), 'VALIDATION_FAILED');
    expectProblem(await caseWatch(s.risk, newId()), 'NOT_FOUND');
    for (const query of ['?action=bogus', '?limit=0', '?limit=501', '?limit=x', '?cursor=%%%', '?cursor=e30', '?extra=1']) {
      const res = await list(s.sup, query);
      expectNoServerError(res, query);
      expect(res.statusCode, `${query} ${res.body}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });
});
