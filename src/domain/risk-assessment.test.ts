import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalysisEngine, tightenedRules } from './analysis/engine.js';
import defaults from './analysis/rules.default.json' with { type: 'json' };
import { compileRuleSet } from './analysis/rules.js';
import { type Transaction, transactionInput } from './analysis/transaction.js';
import {
  creditExposure,
  type ExposureLoan,
  fundSafetyExposure,
  monitoringOf,
  reviewState,
  SENSITIVITY_MULTIPLIER,
  suggestedSensitivity,
  tightenedAmount,
  tightenedMultiple,
} from './risk-assessment.js';

const loan = (over: Partial<ExposureLoan>): ExposureLoan => ({
  product: 'consumer',
  status: 'performing',
  principalMinor: 100_000_00,
  outstandingMinor: 60_000_00,
  daysPastDue: 0,
  ...over,
});

/** A cash withdrawal of ¥12,000 by a customer with no history: below the shipped ¥20,000 threshold. */
function withdrawal(customerNumber: string): Transaction {
  const atMs = Date.parse('2026-11-30T03:00:00Z');
  return {
    txnId: `W-${customerNumber}`,
    accountId: 'A1',
    customerNumber,
    bookedAt: new Date(atMs).toISOString(),
    atMs,
    amountMinor: 1_200_000,
    currency: 'CNY',
    direction: 'debit',
    channel: 'atm',
    counterpartyName: '',
    counterpartyAccount: '',
    mcc: '6011',
    description: 'ATM取现',
  };
}

describe('risk assessment (P3.2.3, P7.2.2)', () => {
  it('P3.2.3 should count outstanding loans and undrawn card limits as credit exposure, and closed loans not at all', () => {
    const e = creditExposure([
      loan({}),
      loan({ product: 'credit_card', principalMinor: 50_000_00, outstandingMinor: 12_000_00 }),
      loan({ product: 'mortgage', outstandingMinor: 800_000_00, daysPastDue: 31, status: 'overdue' }),
      loan({ status: 'closed', outstandingMinor: 5_000_00 }),
    ]);
    expect(e).toEqual({
      drawnMinor: 872_000_00,
      undrawnCardLimitMinor: 38_000_00,
      totalMinor: 910_000_00,
      pastDueMinor: 800_000_00,
      openLoans: 3,
      guaranteesMinor: null,
    });
    expect(creditExposure([])).toMatchObject({ totalMinor: 0, openLoans: 0 });
  });

  it('P3.2.3 should never give a negative exposure, whatever the master data says', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            product: fc.constantFrom('mortgage', 'consumer', 'business', 'credit_card'),
            status: fc.constantFrom('performing', 'overdue', 'restructured', 'closed'),
            principalMinor: fc.integer({ min: -1_000_000, max: 1_000_000_000 }),
            outstandingMinor: fc.integer({ min: -1_000_000, max: 1_000_000_000 }),
            daysPastDue: fc.integer({ min: 0, max: 400 }),
          }),
        ),
        (loans) => {
          const e = creditExposure(loans);
          expect(e.drawnMinor).toBeGreaterThanOrEqual(0);
          expect(e.undrawnCardLimitMinor).toBeGreaterThanOrEqual(0);
          expect(e.totalMinor).toBe(e.drawnMinor + e.undrawnCardLimitMinor);
          expect(e.pastDueMinor).toBeLessThanOrEqual(e.drawnMinor);
        },
      ),
    );
  });

  it('P7.2.2 should count unresolved and confirmed alerts and their amounts as fund-safety exposure', () => {
    const f = fundSafetyExposure([
      { status: 'open', resolution: null, amountMinor: 1_000 },
      { status: 'contacted', resolution: null, amountMinor: 2_000 },
      { status: 'resolved', resolution: 'fraud', amountMinor: 40_000 },
      { status: 'resolved', resolution: 'escalated', amountMinor: 5_000 },
      { status: 'resolved', resolution: 'legitimate', amountMinor: 900_000 },
    ]);
    expect(f).toEqual({ unresolvedAlerts: 2, unresolvedMinor: 3_000, confirmedAlerts: 2, confirmedMinor: 45_000, legitimateAlerts: 1 });
  });

  it('P7.2.2 should suggest a stronger monitoring the more is at stake', () => {
    const none = creditExposure([]);
    const quiet = fundSafetyExposure([]);
    expect(suggestedSensitivity(none, quiet)).toBe('normal');
    expect(suggestedSensitivity(creditExposure([loan({ daysPastDue: 5 })]), quiet)).toBe('heightened');
    expect(suggestedSensitivity(none, fundSafetyExposure([{ status: 'open', resolution: null, amountMinor: 1 }]))).toBe('high');
  });

  it('P7.2.2 should map the sensitivity levels to threshold factors, normal leaving the thresholds as they are', () => {
    expect(SENSITIVITY_MULTIPLIER).toEqual({ normal: 1, heightened: 0.5, high: 0.25 });
    expect(monitoringOf('normal')).toBeNull();
    expect(monitoringOf('high')).toEqual({ level: 'high', multiplier: 0.25 });
    expect(tightenedAmount(2_000_000, 0.5)).toBe(1_000_000);
    expect(tightenedAmount(333, 0.5)).toBe(167);
    expect(tightenedMultiple(8, 0.25)).toBe(2);
    expect(tightenedMultiple(3, 0.25)).toBe(1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.constantFrom(1, 0.5, 0.25), (minor, m) => {
        const t = tightenedAmount(minor, m);
        expect(t).toBeLessThanOrEqual(minor);
        expect(Number.isInteger(t)).toBe(true);
        if (m === 1) expect(t).toBe(minor);
      }),
    );
  });

  it('P7.2.2 should tighten only the fund-safety thresholds of a rule set', () => {
    const rules = compileRuleSet(defaults);
    const tight = tightenedRules(rules.byId, 0.5);
    expect(tight.large_cash_withdrawal?.params.minAmountMinor).toBe((rules.byId.large_cash_withdrawal?.params.minAmountMinor ?? 0) / 2);
    expect(tight.outflow_above_baseline?.params.multiple).toBe((rules.byId.outflow_above_baseline?.params.multiple ?? 0) / 2);
    expect(tight.medical_spend_above_baseline).toBe(rules.byId.medical_spend_above_baseline);
    // The rule set itself is left alone.
    expect(rules.byId.large_cash_withdrawal?.params.minAmountMinor).toBe(2_000_000);
  });

  it('P7.2.2 should raise no finding below the normal threshold, and one naming the stronger monitoring under heightened sensitivity', () => {
    const rules = compileRuleSet(defaults);
    const engine = new AnalysisEngine(rules, undefined, new Map([['WATCHED', { level: 'heightened', multiplier: 0.5 }]]));
    engine.observe(transactionInput(withdrawal('PLAIN')));
    engine.observe(transactionInput(withdrawal('WATCHED')));
    const { findings } = engine.finish();
    expect(findings.map((f) => f.customerNumber)).toEqual(['WATCHED']);
    const rule = findings[0]?.rules[0];
    expect(rule?.id).toBe('large_cash_withdrawal');
    expect(rule?.monitoring).toEqual({ level: 'heightened', multiplier: 0.5 });
    expect(rule?.hits[0]?.monitoring).toEqual({ level: 'heightened', multiplier: 0.5 });
    expect(rule?.detail).toContain('stronger monitoring (heightened)');
  });

  it('P7.2.2 should tell a review date due today, overdue before, upcoming after', () => {
    expect(reviewState('2026-12-01', '2026-12-01')).toBe('due');
    expect(reviewState('2026-11-30', '2026-12-01')).toBe('overdue');
    expect(reviewState('2026-12-02', '2026-12-01')).toBe('upcoming');
  });
});
