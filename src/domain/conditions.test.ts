import { describe, expect, it } from 'vitest';
import { CONDITION_CATEGORIES, isConditionCategory } from './conditions.js';

describe('condition categories', () => {
  it('P2.1 should hold the 28 severe and 3 mild conditions of the 2020 standard, and two more', () => {
    expect(CONDITION_CATEGORIES.filter((c) => c.group === 'severe')).toHaveLength(28);
    expect(CONDITION_CATEGORIES.filter((c) => c.group === 'mild')).toHaveLength(3);
    expect(CONDITION_CATEGORIES.filter((c) => c.group === 'other').map((c) => c.code)).toEqual([
      'serious_accidental_injury',
      'other_major_circumstance',
    ]);
  });

  it('should have unique snake_case codes and names in both languages', () => {
    const codes = CONDITION_CATEGORIES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of CONDITION_CATEGORIES) {
      expect(c.code).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(c.zh.length).toBeGreaterThan(0);
      expect(c.en.length).toBeGreaterThan(0);
    }
    expect(new Set(CONDITION_CATEGORIES.map((c) => c.zh)).size).toBe(codes.length);
  });

  it('should recognise its codes only', () => {
    expect(isConditionCategory('severe_malignant_tumour')).toBe(true);
    expect(isConditionCategory('flu')).toBe(false);
    expect(isConditionCategory(42)).toBe(false);
    expect(isConditionCategory('toString')).toBe(false);
  });
});
