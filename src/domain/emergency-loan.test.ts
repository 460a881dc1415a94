import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emergencyLoanMaximum, emergencyLoanRefusals, emergencyShortfall } from './emergency-loan.js';

describe('emergency loan', () => {
  it('P4.1 should count medical costs and six months of lost income, less liquid savings', () => {
    expect(
      emergencyShortfall({ expectedMedicalCostsMinor: 8_000_000, lostMonthlyIncomeMinor: 600_000, liquidSavingsMinor: 5_000_000 }),
    ).toEqual({
      expectedMedicalCostsMinor: 8_000_000,
      lostIncomeMinor: 3_600_000,
      liquidSavingsMinor: 5_000_000,
      horizonMonths: 6,
      shortfallMinor: 6_600_000,
    });
  });

  it('P4.1 should find no shortfall when savings cover the costs, and none when nothing is recorded', () => {
    expect(
      emergencyShortfall({ expectedMedicalCostsMinor: 100_000, lostMonthlyIncomeMinor: null, liquidSavingsMinor: 500_000 }).shortfallMinor,
    ).toBe(0);
    expect(
      emergencyShortfall({ expectedMedicalCostsMinor: null, lostMonthlyIncomeMinor: null, liquidSavingsMinor: 0 }).shortfallMinor,
    ).toBe(0);
  });

  it('P4.1 should refuse an amount above the cap or the shortfall, and any amount without a shortfall', () => {
    expect(emergencyLoanRefusals(1_000_000, 5_000_000, 2_000_000)).toEqual([]);
    expect(emergencyLoanRefusals(2_000_000, 5_000_000, 2_000_000)).toEqual([]);
    expect(emergencyLoanRefusals(2_000_001, 5_000_000, 2_000_000)).toEqual(['above_shortfall']);
    expect(emergencyLoanRefusals(6_000_000, 5_000_000, 9_000_000)).toEqual(['above_cap']);
    expect(emergencyLoanRefusals(6_000_000, 5_000_000, 5_500_000)).toEqual(['above_cap', 'above_shortfall']);
    expect(emergencyLoanRefusals(100, 5_000_000, 0)).toEqual(['no_shortfall']);
    expect(emergencyLoanMaximum(5_000_000, 2_000_000)).toBe(2_000_000);
    expect(emergencyLoanMaximum(5_000_000, 0)).toBe(0);
  });

  it('P4.1 should accept exactly the amounts up to the lower of cap and shortfall', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.integer({ min: 1, max: 10_000_000 }), fc.nat(10_000_000), (amount, cap, shortfall) => {
        const ok = emergencyLoanRefusals(amount, cap, shortfall).length === 0;
        expect(ok).toBe(shortfall > 0 && amount <= emergencyLoanMaximum(cap, shortfall));
      }),
    );
  });
});
