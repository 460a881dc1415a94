import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { makeStaff, type Session, signIn } from '../../../test/helpers/factories.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import shippedRules from '../../domain/analysis/rules.default.json' with { type: 'json' };
import { compileRuleSet, type RuleSetJson } from '../../domain/analysis/rules.js';
import type { TransactionTable } from '../../platform/db/tables/transactions.js';
import type { Actor } from '../../platform/http/context.js';
import { storedTransaction } from '../transactions/transactions.service.js';
import { storeTransactions } from '../transactions/transactions.service.js';
import { type Comparison, RuleSetComparison } from './rules.dry-run.js';
import { activeRuleSet, dryRunRuleSet } from './rules.service.js';

const NOW = Date.parse('2026-11-28T09:00:00.000Z'); // the harness clock
const DAY = 86_400_000;

/** A stored transaction `daysAgo` days before the harness clock, at 11:00 Beijing time. */
function txn(id: string, customer: string, daysAgo: number, fields: Partial<TransactionTable>): TransactionTable {
  const day = new Date(NOW - daysAgo * DAY).toISOString().slice(0, 10);
  return {
    txn_id: id,
    account_id: `${customer}-1`,
    customer_number: customer,
    booked_at: `${day}T03:00:00.000Z`,
    amount_minor: 10_000,
    currency: 'CNY',
    direction: 'debit',
    channel: 'card',
    counterparty_name: '超市',
    counterparty_account: null,
    mcc: '5411',
    description: null,
    ingested_at: new Date(NOW).toISOString(),
    ...fields,
  };
}

/**
 * A: everyday card payments, then ¥50,000 to a new payee (fund safety under the shipped rules).
 * B: a critical-illness insurance payout (an illness signal). C: three payments to one hospital
 * (30 points, below the shipped threshold). D: a ¥20,000 ATM withdrawal 60 days ago.
 */
const FIXTURE: TransactionTable[] = [
  ...[20, 19, 18, 17, 16, 15].map((d, i) => txn(`A-${i}`, 'RA0001', d, { counterparty_account: `M${i}` })),
  txn('A-9', 'RA0001', 2, {
    amount_minor: 5_000_000,
    channel: 'transfer',
    counterparty_name: '陌生人',
    counterparty_account: 'NEWPAYEE',
    mcc: null,
  }),
  txn('B-1', 'RB0001', 5, {
    amount_minor: 20_000_000,
    direction: 'credit',
    channel: 'transfer',
    counterparty_name: '平安人寿保险',
    counterparty_account: 'INS1',
    mcc: null,
    description: '重疾理赔款',
  }),
  ...[12, 8, 4].map((d, i) =>
    txn(`C-${i}`, 'RC0001', d, { amount_minor: 50_000, counterparty_name: '市第一人民医院', counterparty_account: 'HOSP1', mcc: '8062' }),
  ),
  txn('D-1', 'RD0001', 60, { amount_minor: 2_000_000, channel: 'atm', counterparty_name: null, mcc: '6011' }),
];

/** The shipped rules with a lower illness threshold and higher payout and fund-safety bars. */
function candidateJson(version: string): RuleSetJson {
  const json: RuleSetJson = structuredClone(shippedRules) as RuleSetJson; // the shipped file is a valid RuleSetJson
  json.version = version;
  json.thresholds.illness_signal = 30;
  for (const rule of json.rules) {
    if (rule.id === 'ci_insurance_payout') rule.params.minAmountMinor = 50_000_000;
    if (rule.id === 'new_payee_large') rule.params.minAmountMinor = 10_000_000;
    if (rule.id === 'outflow_above_baseline') rule.params.multiple = 1000;
  }
  return json;
}

function compare(rows: readonly TransactionTable[], opts: { groupCustomers?: number; listCap?: number } = {}): Comparison {
  const comparison = new RuleSetComparison(compileRuleSet(candidateJson('T1')), compileRuleSet(shippedRules), {
    asOf: new Date(NOW),
    ...opts,
  });
  const ordered = [...rows].sort((a, b) =>
    a.customer_number === b.customer_number ? a.booked_at.localeCompare(b.booked_at) : a.customer_number.localeCompare(b.customer_number),
  );
  for (const r of ordered) {
    const t = storedTransaction(r);
    if (typeof t === 'string') throw new Error(t);
    comparison.observe(t);
  }
  return comparison.finish();
}

const recent = FIXTURE.filter((r) => r.customer_number !== 'RD0001');

describe('rule-set comparison', () => {
  it('should list the customers each rule set finds that the other does not, with both scores', () => {
    const result = compare(recent);
    expect(result.customers).toBe(3);
    const illness = result.kinds.find((k) => k.kind === 'illness_signal');
    expect(illness).toMatchObject({ active: 1, candidate: 1 });
    expect(illness?.newlyFound).toEqual({
      count: 1,
      customers: [
        {
          customerNumber: 'RC0001',
          score: 30,
          rules: ['recurring_hospital_payments'],
          activeScore: 30,
          activeRules: ['recurring_hospital_payments'],
        },
      ],
    });
    expect(illness?.noLongerFound).toEqual({
      count: 1,
      customers: [{ customerNumber: 'RB0001', score: 0, rules: [], activeScore: 60, activeRules: ['ci_insurance_payout'] }],
    });
    const fund = result.kinds.find((k) => k.kind === 'fund_safety');
    expect(fund).toMatchObject({ active: 1, candidate: 0, newlyFound: { count: 0, customers: [] } });
    expect(fund?.noLongerFound.customers).toEqual([
      { customerNumber: 'RA0001', score: 0, rules: [], activeScore: 100, activeRules: ['outflow_above_baseline', 'new_payee_large'] },
    ]);
  });

  it('should count per rule the customers it fired for under each rule set, whatever the score', () => {
    const counts = Object.fromEntries(compare(recent).rules.map((r) => [r.id, [r.active, r.candidate]]));
    expect(counts).toMatchObject({
      recurring_hospital_payments: [1, 1],
      ci_insurance_payout: [1, 0],
      new_payee_large: [1, 0],
      outflow_above_baseline: [1, 0],
      large_cash_withdrawal: [0, 0],
      medical_crowdfunding: [0, 0],
    });
  });

  it('should give the same answer whatever the size of the customer groups, and cap the lists only', () => {
    const whole = compare(FIXTURE);
    expect(compare(FIXTURE, { groupCustomers: 1 })).toEqual(whole);
    const capped = compare(FIXTURE, { listCap: 0 });
    expect(capped.kinds.map((k) => [k.newlyFound.count, k.noLongerFound.count])).toEqual(
      whole.kinds.map((k) => [k.newlyFound.count, k.noLongerFound.count]),
    );
    expect(capped.kinds.flatMap((k) => [...k.newlyFound.customers, ...k.noLongerFound.customers])).toEqual([]);
  });
});

interface Detail {
  version: string;
  status: string;
  builtIn: boolean;
  note: string | null;
  createdBy: { id: string; displayName: string } | null;
  activatedBy: { id: string } | null;
  definition: RuleSetJson;
}
interface DryRun {
  candidate: string;
  active: string;
  rows: number;
  customers: number;
  truncated: boolean;
  customersWithheld: boolean;
  kinds: Comparison['kinds'];
  rules: { id: string; description: string; active: number; candidate: number }[];
}

describeEachDialect('rule sets API', (dialect) => {
  let h: Harness;
  let sup: Session;
  let cm: Session;
  let insp: Session;
  let admin: Session;
  let risk: Session;
  let supId: string;

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off' });
    const supervisor = await makeStaff(h, { roles: ['supervisor'], branch: 'EAST' });
    supId = supervisor.id;
    sup = await signIn(h, supervisor);
    cm = await signIn(h, await makeStaff(h, { roles: ['customer_manager'], branch: 'EAST' }));
    insp = await signIn(h, await makeStaff(h, { roles: ['inspector'], branch: 'HQ' }));
    admin = await signIn(h, await makeStaff(h, { roles: ['admin'], branch: 'HQ' }));
    risk = await signIn(h, await makeStaff(h, { roles: ['risk_officer'], branch: 'WEST' }));
    await storeTransactions(h.db, FIXTURE);
  });
  afterAll(async () => {
    await h?.close();
  });

  const create = (s: Session, body: unknown) =>
    s.request({
      method: 'POST',
      url: '/api/v1/analysis/rule-sets',
      payload: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
  const dryRun = (s: Session, version: string, days?: number) =>
    s.request({ method: 'POST', url: `/api/v1/analysis/rule-sets/${version}/dry-run`, payload: days === undefined ? {} : { days } });
  const activate = (s: Session, version: string) => s.request({ method: 'POST', url: `/api/v1/analysis/rule-sets/${version}/activate` });
  const counts = async () => ({
    states: (
      await h.db
        .selectFrom('analysis_states')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
    leads: (
      await h.db
        .selectFrom('leads')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
    alerts: (
      await h.db
        .selectFrom('fund_alerts')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
    ruleSets: (
      await h.db
        .selectFrom('rule_sets')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
    audit: (
      await h.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  });

  it('should show the shipped rule set as the active, built-in one while none was activated', async () => {
    const list = await insp.request({ method: 'GET', url: '/api/v1/analysis/rule-sets' });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<{ items: Detail[] }>().items).toEqual([
      expect.objectContaining({ version: shippedRules.version, status: 'active', builtIn: true, createdBy: null }),
    ]);
    const active = await risk.request({ method: 'GET', url: '/api/v1/analysis/rule-sets/active' });
    expect(active.statusCode, active.body).toBe(200);
    const body = active.json<Detail>();
    expect(body.definition).toEqual(shippedRules);
    expect(body.definition.rules.every((r) => r.description.length > 0)).toBe(true);
    expect((await insp.request({ method: 'GET', url: `/api/v1/analysis/rule-sets/${shippedRules.version}` })).statusCode).toBe(200);
    expectProblem(await insp.request({ method: 'GET', url: '/api/v1/analysis/rule-sets/9.9' }), 'NOT_FOUND');
  });

  it('should save a valid definition as a draft, audited, and refuse its version a second time', async () => {
    const res = await create(sup, { definition: candidateJson('2026.1'), note: '  提高门槛  ' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Detail>()).toMatchObject({
      version: '2026.1',
      status: 'draft',
      builtIn: false,
      note: '提高门槛',
      createdBy: { id: supId },
      activatedBy: null,
    });
    const audit = await h.db.selectFrom('audit_events').selectAll().where('action', '=', 'rules.created').execute();
    expect(audit.map((a) => a.target_id)).toEqual(['2026.1']);
    expectProblem(await create(sup, { definition: candidateJson('2026.1') }), 'CONFLICT');
    expectProblem(await create(sup, { definition: candidateJson(shippedRules.version) }), 'CONFLICT');
    const list = (await sup.request({ method: 'GET', url: '/api/v1/analysis/rule-sets' })).json<{ items: Detail[] }>().items;
    expect(list.map((i) => [i.version, i.status])).toEqual([
      ['2026.1', 'draft'],
      [shippedRules.version, 'active'],
    ]);
  });

  it('should answer an invalid definition 422 with every problem and its path', async () => {
    const bad = candidateJson('2026.bad');
    bad.thresholds.fund_safety = 0;
    for (const rule of bad.rules) if (rule.id === 'new_payee_large') rule.params.minAmountMinor = 'lots';
    bad.rules.push({ id: 'mind_reading', kind: 'fund_safety', description: '', params: {}, weight: 10 });
    const first = expectProblem(await create(sup, { definition: bad }), 'RULES_INVALID');
    expect(first.errors?.map((e) => e.path)).toEqual(['body.definition.thresholds.fund_safety']);
    bad.thresholds.fund_safety = 50;
    const second = expectProblem(await create(sup, { definition: bad }), 'RULES_INVALID');
    expect(second.errors?.map((e) => e.path).sort()).toEqual([
      'body.definition.rules.mind_reading',
      'body.definition.rules.new_payee_large.params.minAmountMinor',
    ]);
    const named = expectProblem(await create(sup, { definition: candidateJson('active') }), 'RULES_INVALID');
    expect(named.errors?.map((e) => e.path)).toEqual(['body.definition.version']);
    expectProblem(await create(sup, { definition: candidateJson('a/b') }), 'RULES_INVALID');
    expectProblem(await create(sup, { definition: 'x' }), 'VALIDATION_FAILED');
  });

  it('should keep creation and activation to supervisors, and reading to rules readers', async () => {
    expectProblem(await create(cm, { definition: candidateJson('2026.cm') }), 'FORBIDDEN');
    expectProblem(await create(insp, { definition: candidateJson('2026.insp') }), 'FORBIDDEN');
    expectProblem(await activate(risk, '2026.1'), 'FORBIDDEN');
    expectProblem(await cm.request({ method: 'GET', url: '/api/v1/analysis/rule-sets' }), 'FORBIDDEN');
    expectProblem(await dryRun(cm, '2026.1'), 'FORBIDDEN');
    expect((await insp.request({ method: 'GET', url: '/api/v1/analysis/rule-sets/2026.1' })).statusCode).toBe(200);
  });

  it('should compare a draft with the active rule set over the last days and store nothing', async () => {
    const before = await counts();
    const res = await dryRun(risk, '2026.1');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<DryRun>();
    expect(body).toMatchObject({ candidate: '2026.1', active: shippedRules.version, rows: 11, customers: 3, truncated: false });
    expect(body.kinds).toEqual(compare(recent).kinds);
    const rule = body.rules.find((r) => r.id === 'ci_insurance_payout');
    expect(rule).toMatchObject({ active: 1, candidate: 0 });
    expect(rule?.description).toMatch(/insurance/);
    expect(await counts()).toEqual(before);

    const longer = (await dryRun(insp, '2026.1', 90)).json<DryRun>();
    expect(longer).toMatchObject({ rows: 12, customers: 4 });
    expect(longer.rules.find((r) => r.id === 'large_cash_withdrawal')).toMatchObject({ active: 1, candidate: 1 });
    expect(longer.kinds.find((k) => k.kind === 'fund_safety')).toMatchObject({ active: 2, candidate: 1 });
  });

  it('should give admins the counts without customer numbers', async () => {
    const body = (await dryRun(admin, '2026.1')).json<DryRun>();
    expect(body.customersWithheld).toBe(true);
    expect(body.kinds.map((k) => [k.newlyFound.count, k.noLongerFound.count])).toEqual([
      [1, 1],
      [0, 1],
    ]);
    expect(body.kinds.flatMap((k) => [...k.newlyFound.customers, ...k.noLongerFound.customers])).toEqual([]);
  });

  it('should stop at the row cap and say the answer is truncated', async () => {
    const ctx = { ...h.ctx, config: { ...h.ctx.config, rules: { dryRunMaxRows: 5 } } };
    const actor: Actor = {
      id: supId,
      username: 'sup',
      displayName: 'sup',
      roles: ['supervisor'],
      branchId: 'EAST',
      sessionId: 's',
      sessionStage: 'full',
      mustChangePassword: false,
      ip: '127.0.0.1',
    };
    const result = await dryRunRuleSet(ctx, h.db, actor, '2026.1', 30);
    expect(result).toMatchObject({ rows: 5, customers: 1, truncated: true, maxRows: 5 });
    expect((await dryRunRuleSet(ctx, h.db, actor, '2026.1', 1)).truncated).toBe(false);
  });

  it('should refuse a dry run outside 1 to 180 days', async () => {
    expectProblem(await dryRun(sup, '2026.1', 0), 'VALIDATION_FAILED');
    expectProblem(await dryRun(sup, '2026.1', 181), 'VALIDATION_FAILED');
    expectProblem(await dryRun(sup, 'nope', 30), 'NOT_FOUND');
  });

  it('should activate a version, retiring the previous one, so that ingestion uses it', async () => {
    const res = await activate(sup, '2026.1');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Detail>()).toMatchObject({ status: 'active', activatedBy: { id: supId } });
    expect((await activeRuleSet(h.db)).version).toBe('2026.1');
    const list = (await sup.request({ method: 'GET', url: '/api/v1/analysis/rule-sets' })).json<{ items: Detail[] }>().items;
    expect(list.map((i) => [i.version, i.status, i.builtIn])).toEqual([
      ['2026.1', 'active', false],
      [shippedRules.version, 'retired', true],
    ]);
    expectProblem(await activate(sup, '2026.1'), 'CONFLICT');
    expectProblem(await activate(sup, 'nope'), 'NOT_FOUND');

    // The dry run of the old set now mirrors the first one.
    const back = (await dryRun(sup, shippedRules.version)).json<DryRun>();
    expect(back.active).toBe('2026.1');
    expect(back.kinds.find((k) => k.kind === 'illness_signal')?.newlyFound.customers.map((c) => c.customerNumber)).toEqual(['RB0001']);

    const again = await activate(sup, shippedRules.version);
    expect(again.statusCode, again.body).toBe(200);
    expect((await activeRuleSet(h.db)).version).toBe(shippedRules.version);
    const actions = await h.db
      .selectFrom('audit_events')
      .select(['action', 'target_id'])
      .where('action', '=', 'rules.activated')
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.target_id)).toEqual(['2026.1', shippedRules.version]);
    const active = await h.db.selectFrom('rule_sets').select('version').where('status', '=', 'active').execute();
    expect(active).toEqual([{ version: shippedRules.version }]);
  });

  it('should never answer arbitrary JSON bodies with a server error', async () => {
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record({ definition: fc.jsonValue(), note: fc.oneof(fc.string(), fc.jsonValue()) }, { requiredKeys: [] }),
      fc.record({
        definition: fc.dictionary(fc.constantFrom('version', 'scoreCap', 'thresholds', 'plannedMarkers', 'rules', 'x'), fc.jsonValue()),
      }),
      fc.record({ days: fc.jsonValue() }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const payload = JSON.stringify(b) ?? 'null';
        const headers = { 'content-type': 'application/json' };
        expectNoServerError(
          await sup.request({ method: 'POST', url: '/api/v1/analysis/rule-sets', payload, headers }),
          `create ${payload}`,
        );
        expectNoServerError(
          await sup.request({ method: 'POST', url: '/api/v1/analysis/rule-sets/2026.1/dry-run', payload, headers }),
          `dry run ${payload}`,
        );
      }),
      { numRuns: 40 },
    );
  });
});
