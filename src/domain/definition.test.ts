import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DefinitionFinding, judgeDefinition } from './definition.js';

const base: DefinitionFinding = {
  conditionCategory: 'severe_malignant_tumour',
  lifeAffected: true,
  lifeEffect: '化疗期间无法工作，需家人陪护',
  financesAffected: false,
};

describe('the definition of a critical-illness customer (P2.1)', () => {
  it('P2.1 should accept a known condition that seriously affects life, or finances shown by figures or an explained gap', () => {
    expect(judgeDefinition(base)).toEqual([]);
    expect(
      judgeDefinition({
        conditionCategory: 'serious_accidental_injury',
        lifeAffected: false,
        financesAffected: true,
        finances: { medicalCosts: { amountMinor: 35_000_00, currency: 'CNY' } },
      }),
    ).toEqual([]);
    expect(
      judgeDefinition({
        ...base,
        lifeAffected: false,
        lifeEffect: undefined,
        financesAffected: true,
        financesUnknownReason: '客户尚未拿到住院账单',
      }),
    ).toEqual([]);
  });

  it('P2.1 should refuse a finding where neither life nor finances are seriously affected', () => {
    expect(judgeDefinition({ ...base, lifeAffected: false, financesAffected: false })).toEqual([
      { path: 'lifeAffected', reason: 'not_seriously_affected' },
    ]);
  });

  it('P2.1 should ask how life is affected, and for figures or the reason they are unknown', () => {
    expect(judgeDefinition({ ...base, lifeEffect: '  ' })).toEqual([{ path: 'lifeEffect', reason: 'life_effect_missing' }]);
    expect(judgeDefinition({ ...base, financesAffected: true, finances: { debts: { amountMinor: 0, currency: 'CNY' } } })).toEqual([
      { path: 'finances', reason: 'figures_or_reason_missing' },
    ]);
    expect(judgeDefinition({ ...base, conditionCategory: 'flu' })).toEqual([{ path: 'conditionCategory', reason: 'unknown_category' }]);
  });

  it('should never pass a finding with no serious effect at all, whatever else it says (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string(), { nil: undefined }), (category, reason) => {
        const problems = judgeDefinition({
          conditionCategory: category,
          lifeAffected: false,
          financesAffected: false,
          financesUnknownReason: reason,
        });
        expect(problems.some((p) => p.reason === 'not_seriously_affected')).toBe(true);
      }),
    );
  });
});
