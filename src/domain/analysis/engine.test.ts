import { describe, expect, it } from 'vitest';
import { AnalysisEngine, yuan } from './engine.js';
import { EVIDENCE_VALUES, evidenceText } from './evidence.js';
import defaults from './rules.default.json' with { type: 'json' };
import { RuleSetError, compileRuleSet } from './rules.js';
import { type Transaction, transactionInput } from './transaction.js';

const DAY = 86_400_000;
const T0 = Date.parse('2025-03-01T02:00:00Z'); // 10:00 in Beijing
let seq = 0;

function txn(day: number, over: Partial<Transaction>, hourOffset = 0): Transaction {
  const atMs = T0 + day * DAY + hourOffset * 3_600_000;
  return {
    txnId: `T${++seq}`,
    accountId: 'A1',
    customerNumber: 'C1',
    bookedAt: new Date(atMs).toISOString(),
    atMs,
    amountMinor: 10_000,
    currency: 'CNY',
    direction: 'debit',
    channel: 'card',
    counterpartyName: '超市',
    counterpartyAccount: '',
    mcc: '5411',
    description: '超市购物',
    ...over,
  };
}

/** Sixty days of everyday life: a purchase a day, salary on days 9 and 39, one ATM visit, one online purchase. */
function everyday(): Transaction[] {
  const out: Transaction[] = [];
  for (let d = 0; d < 60; d++) out.push(txn(d, { amountMinor: 5_000 + (d % 7) * 1_000 }));
  for (const d of [9, 39])
    out.push(
      txn(d, {
        direction: 'credit',
        channel: 'transfer',
        counterpartyName: '某公司',
        counterpartyAccount: 'E1',
        mcc: '',
        description: '工资',
        amountMinor: 900_000,
      }),
    );
  out.push(txn(5, { channel: 'atm', mcc: '6011', amountMinor: 100_000, counterpartyName: '' }));
  out.push(txn(6, { channel: 'online', mcc: '5399', amountMinor: 20_000 }));
  out.push(
    txn(7, { channel: 'online', mcc: '', counterpartyName: '家人', counterpartyAccount: 'F1', amountMinor: 50_000, description: '转账' }),
  );
  return out;
}

function run(extra: Transaction[], rules: unknown = defaults) {
  const engine = new AnalysisEngine(compileRuleSet(rules));
  for (const t of [...everyday(), ...extra].sort((a, b) => a.atMs - b.atMs)) engine.observe(transactionInput(t));
  return engine.finish();
}

const fired = (extra: Transaction[]) => new Set(run(extra).hits.map((h) => h.id));

describe('the analysis engine', () => {
  it('should stay quiet on everyday life', () => {
    expect(run([])).toEqual({ findings: [], hits: [] });
  });

  it('should find medical spending above the baseline and payments to one hospital, as an explained finding', () => {
    const bills = [62, 66, 70].map((d) =>
      txn(d, { mcc: '8062', counterpartyName: '西湖人民医院', amountMinor: 800_000, description: '住院医疗费' }),
    );
    const { findings } = run(bills);
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f?.kind).toBe('illness_signal');
    expect(f?.score).toBe(70);
    expect(f?.rules.map((r) => r.id)).toEqual(['medical_spend_above_baseline', 'recurring_hospital_payments']);
    expect(f?.rules[1]?.evidence).toEqual([bills[2]?.txnId]);
    expect(f?.rules[0]?.detail).toContain('¥');
  });

  it('should add illness rules that fired in an earlier run within the window to a later finding', () => {
    const rules = compileRuleSet(defaults);
    const first = new AnalysisEngine(rules);
    const bills = [62, 66].map((d) => txn(d, { mcc: '8062', counterpartyName: '西湖人民医院', amountMinor: 800_000 }));
    for (const t of [...everyday(), ...bills].sort((a, b) => a.atMs - b.atMs)) first.observe(transactionInput(t));
    const one = first.finish();
    // The medical spending alone (40) stays below the threshold (50): no finding yet.
    expect(one.findings).toEqual([]);
    expect(one.hits.map((h) => h.id)).toEqual(['medical_spend_above_baseline']);
    const crowdfunding = (day: number) =>
      txn(day, { direction: 'credit', channel: 'transfer', counterpartyName: '水滴筹', description: '提现', amountMinor: 300_000 });
    const later = (day: number) => {
      // The same state, a new run: the next day's file.
      const engine = new AnalysisEngine(rules, first.state);
      engine.observe(transactionInput(crowdfunding(day)));
      return engine.finish().findings[0];
    };
    const soon = later(80);
    expect(soon?.score).toBe(100);
    expect(soon?.rules.find((r) => r.id === 'medical_spend_above_baseline')).toMatchObject({
      evidence: [],
      detail: expect.stringMatching(/fired earlier/),
    });
    const late = later(130);
    // Two months on, the hospital bills no longer count (payroll has stopped meanwhile, a rule of its own).
    expect(late?.rules.map((r) => r.id)).not.toContain('medical_spend_above_baseline');
    expect(late?.rules.map((r) => r.id)).toContain('medical_crowdfunding');
  });

  it('should fire each illness rule on its pattern', () => {
    const bill = txn(61, { mcc: '8062', counterpartyName: '医院', amountMinor: 500_000 });
    expect(
      fired([
        txn(61, {
          direction: 'credit',
          channel: 'transfer',
          counterpartyName: '安康人寿保险股份有限公司',
          description: '重大疾病保险理赔款',
          amountMinor: 20_000_000,
        }),
      ]),
    ).toEqual(new Set(['ci_insurance_payout']));
    expect(
      fired([txn(61, { direction: 'credit', channel: 'transfer', counterpartyName: '水滴筹', description: '提现', amountMinor: 300_000 })]),
    ).toEqual(new Set(['medical_crowdfunding']));
    expect(
      fired([
        bill,
        txn(63, {
          direction: 'credit',
          channel: 'online',
          counterpartyName: '本行',
          description: '理财产品提前赎回',
          amountMinor: 5_000_000,
        }),
      ]),
    ).toContain('early_redemption_near_medical');
    expect(
      fired([txn(58, { direction: 'credit', channel: 'online', description: '定期存款提前支取', amountMinor: 5_000_000 }), bill]),
    ).toContain('early_redemption_near_medical');
    // The last salary on day 39; silence until day 90 is longer than 45 days.
    expect(fired([txn(90, {})])).toEqual(new Set(['payroll_stopped']));
  });

  it('should fire each fund-safety rule on its pattern', () => {
    expect(fired([txn(61, { amountMinor: 6_000_000, mcc: '5944', counterpartyName: '珠宝店' })])).toEqual(
      new Set(['outflow_above_baseline']),
    );
    expect(
      fired([txn(61, { channel: 'online', mcc: '', counterpartyAccount: 'X9', counterpartyName: '安全账户', amountMinor: 2_000_000 })]),
    ).toEqual(new Set(['new_payee_large', 'outflow_above_baseline']));
    expect(fired(Array.from({ length: 5 }, (_, k) => txn(61, { amountMinor: 90_000 }, k * 0.1)))).toEqual(new Set(['outflow_burst']));
    expect(fired([txn(61, { amountMinor: 300_000 }, -9)])).toEqual(new Set(['unusual_hour_or_channel'])); // 01:00 in Beijing
    expect(fired([txn(61, { channel: 'counter', mcc: '', amountMinor: 600_000 })])).toEqual(
      new Set(['unusual_hour_or_channel', 'outflow_above_baseline']),
    );
    expect(fired([txn(61, { channel: 'atm', mcc: '6011', amountMinor: 2_000_000 })])).toEqual(
      new Set(['large_cash_withdrawal', 'outflow_above_baseline']),
    );
  });

  it('should stay quiet on the look-alikes', () => {
    expect(fired([txn(61, { mcc: '5912', counterpartyName: '康宁大药房', amountMinor: 15_000 })])).toEqual(new Set());
    // Salary twelve days late, then on time again.
    expect(
      fired([
        txn(81, {
          direction: 'credit',
          channel: 'transfer',
          counterpartyAccount: 'E1',
          mcc: '',
          description: '工资',
          amountMinor: 900_000,
        }),
        txn(88, {}),
      ]),
    ).toEqual(new Set());
    // Announced big payments and a transfer to the customer's own other account.
    const own = txn(40, { accountId: 'A2', direction: 'credit', channel: 'transfer', mcc: '', description: '利息', amountMinor: 100 });
    expect(
      fired([
        own,
        txn(61, {
          channel: 'online',
          mcc: '',
          counterpartyAccount: 'A2',
          counterpartyName: '本人',
          amountMinor: 8_000_000,
          description: '转入本人账户',
        }),
        txn(61, {
          channel: 'counter',
          mcc: '',
          counterpartyAccount: 'H1',
          counterpartyName: '置业公司',
          amountMinor: 30_000_000,
          description: '购房首付款（大额预约）',
        }),
        txn(62, { channel: 'counter', mcc: '', amountMinor: 5_000_000, description: '大额取现预约' }),
      ]),
    ).toEqual(new Set());
  });

  it('should use the weights and threshold of the rule set', () => {
    const rules = structuredClone(defaults);
    rules.thresholds.fund_safety = 90;
    const { findings, hits } = run([txn(61, { amountMinor: 6_000_000, mcc: '5944' })], rules);
    expect(hits.map((h) => h.id)).toEqual(['outflow_above_baseline']);
    expect(findings).toEqual([]);
  });

  it('should refuse a rule set with unknown rules or bad parameters, saying which', () => {
    const rules = structuredClone(defaults) as { rules: { id: string; params: Record<string, unknown> }[] };
    rules.rules.push({ ...structuredClone(rules.rules[0] ?? { id: '', params: {} }), id: 'mind_reading' });
    const first = rules.rules[0];
    if (first) first.params.multiple = 'lots';
    expect(() => compileRuleSet(rules)).toThrow(RuleSetError);
    expect(() => compileRuleSet(rules)).toThrow(/mind_reading[\s\S]*multiple|multiple[\s\S]*mind_reading/);
  });

  it('should give every hit its facts as data, with exactly the values its key names, and the detail made from them', () => {
    const night = [txn(61, { channel: 'transfer', mcc: '', counterpartyAccount: 'X9', amountMinor: 8_800_000 }, -7.4)];
    const { findings } = run([
      ...night,
      txn(61, { channel: 'atm', mcc: '6011', amountMinor: 2_000_000 }, -7.3),
      ...[62, 66, 70].map((d) => txn(d, { mcc: '8062', counterpartyName: '西湖人民医院', amountMinor: 800_000 })),
      txn(71, { direction: 'credit', channel: 'transfer', counterpartyName: '水滴筹', description: '提现', amountMinor: 300_000 }),
    ]);
    const rules = findings.flatMap((f) => f.rules);
    expect(rules.length).toBeGreaterThan(4);
    for (const r of rules) {
      expect(r.detail).toBe(evidenceText(r.facts));
      expect(r.hits.map((h) => h.txnId)).toEqual(r.evidence);
      for (const facts of [r.facts, ...r.hits.map((h) => h.facts)]) {
        expect(Object.keys(facts.values).sort()).toEqual([...EVIDENCE_VALUES[facts.key]].sort());
      }
    }
  });

  it('should write money as yuan and fen without floating point', () => {
    expect(yuan(1_234_567_801)).toBe('¥12345678.01');
    expect(yuan(5)).toBe('¥0.05');
  });
});
