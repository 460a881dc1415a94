import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { makeCustomer, type Session, staffSession } from '../../../test/helpers/factories.js';
import { registerCaseViaApi } from '../../../test/helpers/cases.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import defaultRules from '../../domain/analysis/rules.default.json' with { type: 'json' };
import { TRANSACTION_COLUMNS, type Transaction, toTransaction } from '../../domain/analysis/transaction.js';
import { activeRuleSet } from '../rules/rules.service.js';
import { ingestTransactions } from '../ingestion/ingest.service.js';
import { RULES_CACHE_MS } from './decisions.service.js';

type Column = (typeof TRANSACTION_COLUMNS)[number];
type Row = Record<Column, string>;
interface Decision {
  decision: 'allow' | 'review' | 'hold';
  protected: boolean;
  score: number;
  rules: { id: string; detail: string }[];
  rulesVersion: string;
}

const URL = '/api/v1/transactions/decisions';
const DAY = 86_400_000;

/** A row of API.md's columns: an ordinary card purchase unless told otherwise. */
function row(customerNumber: string, over: Partial<Row>): Row {
  return {
    txn_id: `T-${customerNumber}-${Math.random().toString(36).slice(2)}`,
    account_id: `${customerNumber}-ACC`,
    customer_number: customerNumber,
    booked_at: '2026-11-28T10:00:00+08:00',
    amount_minor: '20000',
    currency: 'CNY',
    direction: 'debit',
    channel: 'card',
    counterparty_name: '华联超市',
    counterparty_account: '',
    mcc: '5411',
    description: '日常购物',
    ...over,
  };
}
function txn(r: Row): Transaction {
  const t = toTransaction(TRANSACTION_COLUMNS.map((c) => r[c]));
  if (typeof t === 'string') throw new Error(t);
  return t;
}
/** The NDJSON object of a row, as a payment system sends it (amount as a number). */
const body = (r: Row) => ({ ...r, amount_minor: Number(r.amount_minor) });

/** A large transfer to a payee never seen before: far above the baseline, and a new payee. */
const bigTransfer = (customerNumber: string) =>
  row(customerNumber, {
    amount_minor: '5000000',
    channel: 'transfer',
    counterparty_name: '陌生人',
    counterparty_account: '6222000011112222',
    mcc: '',
    description: '转账',
  });

describeEachDialect('real-time transaction decisions', (dialect) => {
  let h: Harness;
  let sup: Session;
  let supWest: Session;
  let risk: Session;
  let teller: Session;
  let key = '';
  const customers = { registered: '', plain: '', fresh: '' };

  const decide = (payload: unknown, k = key) =>
    h.app.inject({ method: 'POST', url: URL, headers: { authorization: `Bearer ${k}` }, payload: payload as object });
  const stateOf = async (customerNumber: string) =>
    (await h.db.selectFrom('analysis_states').select('record').where('customer_number', '=', customerNumber).executeTakeFirst())?.record;

  /** Registers a case for the customer through the API (lead, confirmation, registration). */
  async function register(customerNumber: string): Promise<void> {
    await registerCaseViaApi({ teller, supervisor: sup }, customerNumber, h.clock.now());
  }

  /** Sixty days of everyday card spending, ingested as core banking would send it. */
  async function history(customerNumber: string): Promise<void> {
    const start = Date.parse('2026-09-29T02:00:00Z');
    const rows = Array.from({ length: 40 }, (_, i) =>
      txn(row(customerNumber, { txn_id: `H-${customerNumber}-${i}`, booked_at: new Date(start + i * 1.5 * DAY).toISOString() })),
    );
    const rules = await activeRuleSet(h.db);
    await h.db.transaction().execute((trx) => ingestTransactions(h.ctx, trx, rows, { rules, batchId: null }));
  }

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off' });
    const admin = (await staffSession(h, { roles: ['admin'], branch: 'HQ' })).session;
    sup = (await staffSession(h, { roles: ['supervisor'], branch: 'EAST' })).session;
    supWest = (await staffSession(h, { roles: ['supervisor'], branch: 'WEST' })).session;
    risk = (await staffSession(h, { roles: ['risk_officer'], branch: 'EAST' })).session;
    teller = (await staffSession(h, { roles: ['staff'], branch: 'EAST' })).session;
    customers.registered = (await makeCustomer(h)).customerNumber;
    customers.plain = (await makeCustomer(h)).customerNumber;
    customers.fresh = (await makeCustomer(h)).customerNumber;
    await register(customers.registered);
    await register(customers.fresh);
    await history(customers.registered);
    await history(customers.plain);
    const client = await admin.request({
      method: 'POST',
      url: '/api/v1/admin/api-clients',
      payload: { name: '支付系统', scopes: ['transactions:decide'] },
    });
    const issued = await admin.request({ method: 'POST', url: `/api/v1/admin/api-clients/${client.json<{ id: string }>().id}/keys` });
    key = issued.json<{ key: string }>().key;
  });
  afterAll(async () => h.close());

  it('P7.2.2 should hold a large transfer to a new payee of a registered customer, and leave the stored state as it was', async () => {
    const before = await stateOf(customers.registered);
    expect(before).toBeDefined();
    const res = await decide(body(bigTransfer(customers.registered)));
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json<Decision>();
    expect(d).toMatchObject({ decision: 'hold', protected: true, rulesVersion: defaultRules.version });
    expect(d.score).toBeGreaterThanOrEqual(defaultRules.thresholds.fund_safety);
    expect(d.rules.map((r) => r.id)).toEqual(expect.arrayContaining(['outflow_above_baseline', 'new_payee_large']));
    expect(d.rules.every((r) => r.detail.length > 0)).toBe(true);
    expect(await stateOf(customers.registered)).toEqual(before);
    const stored = await h.db.selectFrom('transactions').select('txn_id').where('customer_number', '=', customers.registered).execute();
    expect(stored).toHaveLength(40);
  });

  it('should allow an everyday purchase of a registered customer', async () => {
    const res = await decide(body(row(customers.registered, {})));
    expect(res.json<Decision>()).toEqual({
      decision: 'allow',
      protected: true,
      score: 0,
      rules: [],
      rulesVersion: defaultRules.version,
      monitoring: null,
    });
  });

  it('should allow, unprotected and unjudged, what it would hold for a registered customer', async () => {
    const d = (await decide(body(bigTransfer(customers.plain)))).json<Decision>();
    expect(d).toEqual({ decision: 'allow', protected: false, score: 0, rules: [], rulesVersion: defaultRules.version, monitoring: null });
  });

  it('should keep the rules that need history quiet for a customer without any, but not the others', async () => {
    expect(await stateOf(customers.fresh)).toBeUndefined();
    expect((await decide(body(bigTransfer(customers.fresh)))).json<Decision>()).toMatchObject({
      decision: 'allow',
      protected: true,
      score: 0,
    });
    const cash = row(customers.fresh, { amount_minor: '2000000', channel: 'atm', counterparty_name: '', mcc: '', description: 'ATM取款' });
    const d = (await decide(body(cash))).json<Decision>();
    expect(d).toMatchObject({ decision: 'hold', protected: true });
    expect(d.rules.map((r) => r.id)).toEqual(['large_cash_withdrawal']);
  });

  it('should answer review when fund-safety rules fire below the threshold of a newly activated rule set', async () => {
    const lowered = {
      ...defaultRules,
      version: 'test-review',
      rules: defaultRules.rules.map((r) => (r.kind === 'fund_safety' ? { ...r, weight: 10 } : r)),
    };
    await h.db
      .insertInto('rule_sets')
      .values({
        version: lowered.version,
        definition: JSON.stringify(lowered),
        note: null,
        status: 'active',
        created_by: null,
        created_at: h.clock.now().toISOString(),
        activated_by: null,
        activated_at: h.clock.now().toISOString(),
      })
      .execute();
    try {
      // The compiled rule set is reused for a few seconds: the activation counts once they are over.
      expect((await decide(body(bigTransfer(customers.registered)))).json<Decision>().rulesVersion).toBe(defaultRules.version);
      h.clock.advance(RULES_CACHE_MS + 1);
      const d = (await decide(body(bigTransfer(customers.registered)))).json<Decision>();
      expect(d).toMatchObject({ decision: 'review', protected: true, rulesVersion: 'test-review' });
      expect(d.score).toBeGreaterThan(0);
      expect(d.score).toBeLessThan(lowered.thresholds.fund_safety);
    } finally {
      await h.db.updateTable('rule_sets').set({ status: 'retired' }).where('version', '=', lowered.version).execute();
      h.clock.advance(RULES_CACHE_MS + 1);
    }
  });

  it('should count decisions by outcome in /metrics', async () => {
    await decide(body(bigTransfer(customers.registered)));
    const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/lifeline_transaction_decisions_total\{decision="hold",protected="true"\} [1-9]/);
  });

  it('should let supervisors try it by session for customers of their branch only', async () => {
    const own = await sup.request({ method: 'POST', url: URL, payload: body(bigTransfer(customers.registered)) });
    expect(own.json<Decision>().decision).toBe('hold');
    expectProblem(await supWest.request({ method: 'POST', url: URL, payload: body(bigTransfer(customers.registered)) }), 'NOT_FOUND');
    expectProblem(await risk.request({ method: 'POST', url: URL, payload: body(bigTransfer(customers.registered)) }), 'FORBIDDEN');
  });

  it('should refuse bad transactions with the failing field, as ingestion would', async () => {
    const cases: [Partial<Row> | Record<string, unknown>, string][] = [
      [{ amount_minor: '-5' }, 'body.amount_minor'],
      [{ booked_at: '2026-13-01T00:00:00Z' }, 'body.booked_at'],
      [{ channel: 'pigeon' }, 'body.channel'],
      [{ currency: 'yuan' }, 'body.currency'],
      [{ mcc: '12' }, 'body.mcc'],
    ];
    for (const [over, path] of cases) {
      const p = expectProblem(await decide({ ...body(row(customers.registered, {})), ...over }), 'VALIDATION_FAILED');
      expect(p.errors?.map((e) => e.path)).toEqual([path]);
    }
    expectProblem(await decide({ ...body(row(customers.registered, {})), extra: 1 }), 'VALIDATION_FAILED');
    expectProblem(await decide({ ...body(row(customers.registered, {})), amount_minor: 1.5 }), 'VALIDATION_FAILED');
  });

  it('should never answer a 500, whatever JSON is sent', async () => {
    const base = body(row(customers.registered, {}));
    const field = fc.constantFrom(...TRANSACTION_COLUMNS);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.record({ f: field, v: fc.jsonValue() }).map(({ f, v }) => ({ ...base, [f]: v })),
          fc.dictionary(field, fc.oneof(fc.string(), fc.integer(), fc.constant(null))),
        ),
        async (payload) => {
          const res = await h.app.inject({
            method: 'POST',
            url: URL,
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            payload: JSON.stringify(payload),
          });
          expectNoServerError(res, JSON.stringify(payload).slice(0, 200));
        },
      ),
      { numRuns: 150 },
    );
  });
});
