import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { registerCaseViaApi } from '../../../test/helpers/cases.js';
import { makeCustomer, makeStaff, type Session, signIn } from '../../../test/helpers/factories.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import { newId } from '../../platform/crypto/ids.js';
import { loadLoans } from '../customers/customers.service.js';

type Who = 'supEast' | 'supWest' | 'inspector' | 'teller' | 'cm';

interface Indicator {
  id: string;
  value: number | null;
  numerator?: number;
  denominator?: number;
  gap?: string;
}

describeEachDialect('indicators API (P8.2)', (dialect) => {
  let h: Harness;
  const s = {} as Record<Who, Session>; // filled in beforeAll
  const ids = {} as Record<Who, string>; // filled in beforeAll
  const byId = (list: Indicator[]) => Object.fromEntries(list.map((k) => [k.id, k]));
  const kpisOf = async (who: Session, query: string) => {
    const res = await who.request({ method: 'GET', url: `/api/v1/kpis?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ branch: string | null; indicators: Indicator[] }>();
  };

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off', LIFELINE_SESSION_IDLE_MINUTES: '600' });
    const roles: Record<Who, [Parameters<typeof makeStaff>[1]['roles'], 'EAST' | 'WEST' | 'HQ']> = {
      supEast: [['supervisor'], 'EAST'],
      supWest: [['supervisor'], 'WEST'],
      inspector: [['inspector'], 'HQ'],
      teller: [['staff'], 'EAST'],
      cm: [['customer_manager'], 'EAST'],
    };
    for (const [who, [r, branch]] of Object.entries(roles) as [Who, (typeof roles)[Who]][]) {
      const person = await makeStaff(h, { roles: r, branch, username: `${who.toLowerCase()}.kpi` });
      ids[who] = person.id;
      s[who] = await signIn(h, person);
    }

    // Monday 2026-11-02, 10:00 in Beijing: one case registered (its lead decided at once), one lead left undecided.
    h.clock.set('2026-11-02T02:00:00.000Z');
    const customer = await makeCustomer(h, { name: '指标客户' });
    const c = await registerCaseViaApi({ teller: s.teller, supervisor: s.supEast }, customer.customerNumber, h.clock.now());
    const other = await makeCustomer(h, { name: '待核实客户' });
    const lead = await s.teller.request({
      method: 'POST',
      url: '/api/v1/leads',
      payload: { channel: 'self_report', customerNumber: other.customerNumber, summary: '客户自述确诊。' },
    });
    expect(lead.statusCode, lead.body).toBe(201);

    // Two service requests, their times set as the fixture says: 4 business hours on time, 10 late.
    const base = {
      case_id: c.id,
      branch_id: (await h.db.selectFrom('cases').select('branch_id').where('id', '=', c.id).executeTakeFirstOrThrow()).branch_id,
      customer_id: customer.id,
      type_code: 'account_help',
      details: '{}',
      note_enc: null,
      assignee_id: null,
      requested_by: ids.cm,
      standard_due_at: '2026-11-10T01:00:00.000Z',
      reviewed_by: null,
      reviewed_at: null,
      decided_by: null,
      decided_at: null,
      decision_reason_enc: null,
      started_by: null,
      started_at: null,
      completed_by: ids.cm,
      outcome_enc: null,
      cancelled_by: null,
      cancelled_at: null,
      cancel_reason_enc: null,
      version: 1,
      status: 'completed' as const,
      requested_at: '2026-11-02T01:00:00.000Z',
    };
    await h.db
      .insertInto('service_requests')
      .values([
        { ...base, id: newId(), due_at: '2026-11-04T01:00:00.000Z', completed_at: '2026-11-02T05:00:00.000Z' },
        { ...base, id: newId(), due_at: '2026-11-03T01:00:00.000Z', completed_at: '2026-11-03T03:00:00.000Z' },
      ])
      .execute();

    // Two contact duties: one done on its day, one still open after it.
    const task = {
      case_id: c.id,
      assignee_id: ids.cm,
      kind: 'contact' as const,
      title: null,
      title_enc: null,
      department: null,
      duty_key: null,
      interaction_id: null,
      created_at: '2026-11-02T02:00:00.000Z',
      created_by: null,
      completed_by: null,
      cancelled_at: null,
      note_enc: null,
      completion_note_enc: null,
      service_request_id: null,
    };
    await h.db
      .insertInto('work_tasks')
      .values([
        { ...task, id: newId(), due_on: '2026-11-05', status: 'done', completed_at: '2026-11-05T02:00:00.000Z', completed_by: ids.cm },
        { ...task, id: newId(), due_on: '2026-11-06', status: 'open', completed_at: null },
      ])
      .execute();

    // Two loans of the registered customer: one 45 days past due.
    const loan = {
      customerNumber: customer.customerNumber,
      product: 'consumer' as const,
      currency: 'CNY',
      principalMinor: 10_000_000,
      outstandingMinor: 5_000_000,
      interestRateBp: 450,
      instalmentMinor: 300_000,
      startDate: '2024-01-15',
      maturityDate: '2027-01-15',
      nextPaymentDate: '2026-12-15',
    };
    await loadLoans(h.ctx, h.db, [
      { ...loan, loanNumber: `L-${customer.customerNumber}-1`, daysPastDue: 45, status: 'overdue' },
      { ...loan, loanNumber: `L-${customer.customerNumber}-2`, daysPastDue: 0, status: 'performing' },
    ]);

    // Friday 2026-11-20, 12:00 in Beijing.
    h.clock.set('2026-11-20T04:00:00.000Z');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('P8.2.1 P8.2.2 P8.2.3 should compute the branch’s indicators for the supervisor from the fixture, as counted by hand', async () => {
    const answer = await kpisOf(s.supEast, 'from=2026-11-01&to=2026-11-30');
    expect(answer.branch).toBe('EAST');
    const k = byId(answer.indicators);
    // The registered case's lead was decided at once; the other is undecided past its two business days.
    expect(k.lead_verified_on_time_rate).toMatchObject({ value: 0.5, numerator: 1, denominator: 2 });
    expect(k.service_handling_hours_median).toMatchObject({ value: 7, denominator: 2 });
    expect(k.service_overdue_rate).toMatchObject({ value: 0.5, numerator: 1, denominator: 2 });
    expect(k.duties_on_time_rate).toMatchObject({ value: 0.5, numerator: 1, denominator: 2 });
    expect(k.ci_loans_30dpd_rate).toMatchObject({ value: 0.5, numerator: 1, denominator: 2 });
    expect(k.loans_restructured).toMatchObject({ value: 0 });
    // No alerts were raised: a rate with no denominator is null, never 0.
    expect(k.alert_contacted_within_target_rate).toMatchObject({ value: null, denominator: 0, gap: 'no_denominator' });
    expect(k.satisfaction_mean).toMatchObject({ value: null, gap: 'not_recorded_yet' });
    expect(k.satisfaction_response_rate).toMatchObject({ value: null, gap: 'not_recorded_yet' });
  });

  it('P8.2 should keep a supervisor to their branch and give inspectors any branch or all', async () => {
    const west = byId((await kpisOf(s.supWest, 'from=2026-11-01&to=2026-11-30')).indicators);
    expect(west.service_overdue_rate?.value).toBeNull();
    expect(west.lead_verified_on_time_rate?.value).toBeNull();
    expectProblem(await s.supEast.request({ method: 'GET', url: '/api/v1/kpis?from=2026-11-01&to=2026-11-30&branch=WEST' }), 'FORBIDDEN');
    expectProblem(await s.teller.request({ method: 'GET', url: '/api/v1/kpis?from=2026-11-01&to=2026-11-30' }), 'FORBIDDEN');
    const all = await kpisOf(s.inspector, 'from=2026-11-01&to=2026-11-30');
    expect(all.branch).toBeNull();
    expect(byId(all.indicators).service_overdue_rate).toMatchObject({ numerator: 1, denominator: 2 });
    expect((await kpisOf(s.inspector, 'from=2026-11-01&to=2026-11-30&branch=east')).branch).toBe('EAST');
    expectProblem(await s.inspector.request({ method: 'GET', url: '/api/v1/kpis?from=2026-11-01&to=2026-11-30&branch=NOPE' }), 'NOT_FOUND');
    // October had none of it.
    expect(byId((await kpisOf(s.supEast, 'from=2026-10-01&to=2026-10-31')).indicators).service_overdue_rate?.value).toBeNull();
  });

  it('P8.2 should export the same numbers as an XLSX workbook, one sheet per month and branch', async () => {
    const res = await s.inspector.request({ method: 'GET', url: '/api/v1/kpis/export?from=2026-10-15&to=2026-11-30&locale=en' });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    // exceljs declares an ArrayBuffer-backed Buffer; the payload's bytes are copied into one.
    await book.xlsx.load(new Uint8Array(res.rawPayload).buffer as ArrayBuffer);
    const names = book.worksheets.map((w) => w.name);
    expect(names).toEqual(expect.arrayContaining(['2026-10 EAST', '2026-10 WEST', '2026-11 EAST', '2026-11 WEST']));
    const nov = book.getWorksheet('2026-11 EAST');
    const rows = new Map<string, unknown[]>();
    nov?.eachRow((row) => {
      // Row values are 1-based with an empty first cell.
      const values = (row.values as unknown[]).slice(1);
      rows.set(String(values[0]), values);
    });
    expect(rows.get('Business handled late')?.slice(1, 4)).toEqual([0.5, 1, 2]);
    expect(rows.get('Satisfaction (mean score)')?.[4]).toBe('Lifeline does not record its source yet');
  });

  it('should answer a bad period with 400, never a 500', async () => {
    for (const q of [
      'from=2026-11-30&to=2026-11-01',
      'from=2026-02-30&to=2026-03-01',
      'from=2025-01-01&to=2026-11-30',
      'to=2026-11-30',
      'from=x&to=y',
      'from=2026-11-01&to=2026-11-30&branch=%27%3B',
    ]) {
      const res = await s.supEast.request({ method: 'GET', url: `/api/v1/kpis?${q}` });
      expectNoServerError(res, q);
      expect(res.statusCode, q).toBe(400);
    }
  });
});
