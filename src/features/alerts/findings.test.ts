import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding, FindingRule } from '../../domain/analysis/engine.js';
import { RULE_IDS, type RuleId } from '../../domain/analysis/rules.js';
import type { Transaction } from '../../domain/analysis/transaction.js';
import { defaultRuleSet } from '../analysis/analysis.service.js';
import { flaggedTransactions, illnessLeadSummary, transactionScore } from './findings.service.js';

const rules = defaultRuleSet();

const ruleArb: fc.Arbitrary<FindingRule> = fc.record({
  id: fc.constantFrom<RuleId>(...RULE_IDS),
  evidence: fc.uniqueArray(fc.constantFrom('T1', 'T2', 'T3', 'T4', 'T5'), { maxLength: 5 }),
  detail: fc.string({ maxLength: 80 }),
});

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

describe('the summary of an analysis lead', () => {
  const txn: Transaction = {
    txnId: 'T-77',
    accountId: 'A1',
    customerNumber: 'C1',
    bookedAt: '2026-11-20T02:00:00Z',
    atMs: Date.parse('2026-11-20T02:00:00Z'),
    amountMinor: 1_500_000,
    currency: 'CNY',
    direction: 'credit',
    channel: 'transfer',
    counterpartyName: '平安人寿',
    counterpartyAccount: 'INS',
    mcc: '',
    description: '重疾理赔',
  };

  it('should name the score, each rule with its description and numbers, and each evidence transaction with its date and amount', () => {
    const f: Finding = {
      kind: 'illness_signal',
      customerNumber: 'C1',
      score: 60,
      rules: [{ id: 'ci_insurance_payout', evidence: ['T-77'], detail: '¥15000.00 from 平安人寿: 重疾理赔' }],
    };
    const text = illnessLeadSummary(f, rules, new Map([[txn.txnId, txn]]));
    expect(text).toContain('score 60');
    expect(text).toContain('ci_insurance_payout (weight 60)');
    expect(text).toContain('critical-illness insurance payout');
    expect(text).toContain('¥15000.00 from 平安人寿');
    expect(text).toContain('T-77 2026-11-20 02:00 收入 ¥15000.00 CNY 平安人寿');
  });

  it('should stay within a lead summary’s 4,000 characters whatever the finding', () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 12 }), fc.string({ maxLength: 2000 }), (fired, detail) => {
        const f: Finding = { kind: 'illness_signal', customerNumber: 'C1', score: 50, rules: fired.map((r) => ({ ...r, detail })) };
        expect(illnessLeadSummary(f, rules, new Map()).length).toBeLessThanOrEqual(4000);
      }),
    );
  });
});
