import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalysisEngine, type Finding, type FindingRule } from '../../domain/analysis/engine.js';
import { type Evidence, evidenceText } from '../../domain/analysis/evidence.js';
import { RULE_IDS, type RuleId } from '../../domain/analysis/rules.js';
import { type Transaction, transactionInput } from '../../domain/analysis/transaction.js';
import { defaultRuleSet } from '../analysis/analysis.service.js';
import { analysisLeadSummary, flaggedTransactions, leadAnalysis, transactionScore } from './findings.service.js';

const rules = defaultRuleSet();

const factsOf = (txnId: string, amountMinor: number): Evidence => ({
  key: 'large_cash_withdrawal',
  values: { amountMinor, channel: txnId },
});

const ruleArb: fc.Arbitrary<FindingRule> = fc
  .record({
    id: fc.constantFrom<RuleId>(...RULE_IDS),
    evidence: fc.uniqueArray(fc.constantFrom('T1', 'T2', 'T3', 'T4', 'T5'), { maxLength: 5 }),
    amount: fc.integer({ min: 1, max: 10_000_000 }),
  })
  .map(({ id, evidence, amount }) => {
    const hits = evidence.map((txnId, k) => ({ txnId, facts: factsOf(txnId, amount + k) }));
    const facts = hits.at(-1)?.facts ?? factsOf('', amount);
    return { id, evidence, detail: evidenceText(facts), facts, hits };
  });

/** A customer's ordinary history, then the night of issue 10: a ¥88,000 transfer at 18:40Z and a ¥15,000 ATM withdrawal at 18:45Z. */
function nightOfIssue10(): { finding: Finding | undefined; transfer: Transaction; atm: Transaction } {
  const base = Date.parse('2026-09-01T02:00:00Z'); // 10:00 in Beijing
  const txn = (n: number, atMs: number, over: Partial<Transaction>): Transaction => ({
    txnId: `N-${n}`,
    accountId: 'A1',
    customerNumber: 'C1',
    bookedAt: new Date(atMs).toISOString(),
    atMs,
    amountMinor: 8_000,
    currency: 'CNY',
    direction: 'debit',
    channel: 'card',
    counterpartyName: '超市',
    counterpartyAccount: '',
    mcc: '5411',
    description: '',
    ...over,
  });
  const history = Array.from({ length: 60 }, (_, d) => txn(d, base + d * 86_400_000, { amountMinor: 6_000 + (d % 5) * 1_000 }));
  history.push(txn(100, base + 5 * 86_400_000, { channel: 'atm', mcc: '6011', amountMinor: 100_000, counterpartyName: '' }));
  history.push(txn(101, base + 6 * 86_400_000, { channel: 'transfer', mcc: '', counterpartyAccount: 'F1', amountMinor: 50_000 }));
  const transfer = txn(200, Date.parse('2026-10-30T18:40:00Z'), {
    channel: 'transfer',
    mcc: '',
    counterpartyName: '陌生收款人',
    counterpartyAccount: '6222000011112222',
    amountMinor: 8_800_000,
  });
  const atm = txn(201, Date.parse('2026-10-30T18:45:00Z'), { channel: 'atm', mcc: '6011', counterpartyName: '', amountMinor: 1_500_000 });
  const engine = new AnalysisEngine(rules);
  for (const t of [...history, transfer, atm]) engine.observe(transactionInput(t));
  return { finding: engine.finish().findings.find((f) => f.kind === 'fund_safety'), transfer, atm };
}

describe('flagged transactions of a fund-safety finding', () => {
  it('should give each evidence transaction exactly the rules that name it', () => {
    fc.assert(
      fc.property(fc.uniqueArray(ruleArb, { selector: (r) => r.id, maxLength: 6 }), (fired) => {
        const f: Finding = { kind: 'fund_safety', customerNumber: 'C1', score: 100, rules: fired };
        const flagged = flaggedTransactions(f);
        const named = new Set(fired.flatMap((r) => r.evidence));
        expect(new Set(flagged.keys())).toEqual(named);
        for (const [txnId, list] of flagged) {
          expect(list.map((r) => r.id).sort()).toEqual(
            fired
              .filter((r) => r.evidence.includes(txnId))
              .map((r) => r.id)
              .sort(),
          );
        }
      }),
    );
  });

  it('should give each flagged transaction the facts of its own hit, never another transaction’s', () => {
    fc.assert(
      fc.property(fc.uniqueArray(ruleArb, { selector: (r) => r.id, maxLength: 6 }), (fired) => {
        const f: Finding = { kind: 'fund_safety', customerNumber: 'C1', score: 100, rules: fired };
        for (const [txnId, list] of flaggedTransactions(f)) {
          for (const r of list) {
            expect(r.evidence).toEqual([txnId]);
            expect(r.facts).toEqual(fired.find((x) => x.id === r.id)?.hits.find((h) => h.txnId === txnId)?.facts);
            expect(r.detail).toBe(evidenceText(r.facts));
          }
        }
      }),
    );
  });

  it('P7.2.1 should explain the ¥88,000 night transfer by its own amount, not by the ATM withdrawal five minutes later', () => {
    const { finding, transfer, atm } = nightOfIssue10();
    const odd = finding?.rules.find((r) => r.id === 'unusual_hour_or_channel');
    expect(odd?.evidence).toEqual([transfer.txnId, atm.txnId]);
    const flagged = finding ? flaggedTransactions(finding) : new Map<string, FindingRule[]>();
    const ofTransfer = flagged.get(transfer.txnId)?.find((r) => r.id === 'unusual_hour_or_channel');
    expect(ofTransfer).toMatchObject({
      evidence: [transfer.txnId],
      facts: { key: 'unusual_hour', values: { amountMinor: 8_800_000, hour: 2 } },
    });
    expect(ofTransfer?.detail).toContain('¥88000.00 at 02h');
    expect(ofTransfer?.detail).not.toContain('¥15000.00');
    const ofAtm = flagged.get(atm.txnId)?.find((r) => r.id === 'unusual_hour_or_channel');
    expect(ofAtm).toMatchObject({ evidence: [atm.txnId], facts: { values: { amountMinor: 1_500_000 } } });
    // Every rule of each alert names its own transaction only.
    for (const [txnId, list] of flagged) for (const r of list) expect(r.evidence).toEqual([txnId]);
  });

  it('should score a transaction by its rules’ weights, never above the cap', () => {
    fc.assert(
      fc.property(fc.uniqueArray(ruleArb, { selector: (r) => r.id, maxLength: 6 }), (fired) => {
        const score = transactionScore(fired, rules);
        const sum = fired.reduce((s, r) => s + (rules.byId[r.id]?.weight ?? 0), 0);
        expect(score).toBe(Math.min(rules.scoreCap, sum));
      }),
    );
  });
});

describe('the analysis of an analysis lead', () => {
  const txn = (n: number, over: Partial<Transaction> = {}): Transaction => ({
    txnId: `DEMO-1-C0000001-${String(n).padStart(4, '0')}`,
    accountId: 'A1',
    customerNumber: 'C1',
    bookedAt: '2026-11-20T02:00:00Z',
    atMs: Date.parse('2026-11-20T02:00:00Z') + n * 60_000,
    amountMinor: 1_500_000,
    currency: 'CNY',
    direction: 'credit',
    channel: 'transfer',
    counterpartyName: '平安人寿',
    counterpartyAccount: 'INS',
    mcc: '',
    description: '重疾理赔',
    ...over,
  });

  it('should carry the score, each rule with its weight and facts, and each evidence transaction with its time, direction and amount', () => {
    const t = txn(77);
    const facts: Evidence = {
      key: 'ci_insurance_payout',
      values: { amountMinor: 1_500_000, insurer: '平安人寿', description: '重疾理赔' },
    };
    const f: Finding = {
      kind: 'illness_signal',
      customerNumber: 'C1',
      score: 60,
      rules: [{ id: 'ci_insurance_payout', evidence: [t.txnId], detail: evidenceText(facts), facts, hits: [{ txnId: t.txnId, facts }] }],
    };
    expect(leadAnalysis(f, rules, new Map([[t.txnId, t]]))).toEqual({
      score: 60,
      threshold: 50,
      ruleSetVersion: rules.version,
      rules: [
        {
          id: 'ci_insurance_payout',
          weight: 60,
          facts,
          transactions: [
            {
              id: t.txnId,
              bookedAt: new Date(t.atMs).toISOString(),
              direction: 'credit',
              amountMinor: 1_500_000,
              currency: 'CNY',
              counterpartyName: '平安人寿',
            },
          ],
        },
      ],
    });
    expect(analysisLeadSummary(f, rules)).toBe(
      `Transaction analysis: illness signal, score 60 (threshold 50, rule set ${rules.version}); rules: ci_insurance_payout`,
    );
  });

  it('should keep every rule and evidence transaction of a big finding, where the old summary text was cut at 4,000 characters', () => {
    const ids = ['medical_spend_above_baseline', 'recurring_hospital_payments', 'early_redemption_near_medical'] as const;
    const all = Array.from({ length: 60 }, (_, n) => txn(n, { direction: 'debit', counterpartyName: '钱塘中心医院', mcc: '8062' }));
    const f: Finding = {
      kind: 'illness_signal',
      customerNumber: 'C0000001',
      score: 100,
      rules: ids.map((id, k) => {
        const hits = all.slice(k * 20, k * 20 + 20).map((t) => ({ txnId: t.txnId, facts: factsOf(t.txnId, t.amountMinor) }));
        const facts = factsOf('', 1);
        return { id, evidence: hits.map((h) => h.txnId), detail: evidenceText(facts), facts, hits };
      }),
    };
    const analysis = leadAnalysis(f, rules, new Map(all.map((t) => [t.txnId, t])));
    expect(analysis.rules.map((r) => r.transactions.length)).toEqual([20, 20, 20]);
    expect(analysis.rules.flatMap((r) => r.transactions.map((t) => t.id))).toEqual(all.map((t) => t.txnId));
  });
});
