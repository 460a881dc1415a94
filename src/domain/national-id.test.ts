import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidResidentId, looksLikeResidentId, makeResidentId, residentIdCheckCharacter } from './national-id.js';

describe('resident identity number', () => {
  it('should compute the check character of the GB 11643 example', () => {
    // The standard's worked example: 11010519491231002X.
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    expect(isValidResidentId('11010519491231002X')).toBe(true);
  });

  it('should refuse a number whose check character is wrong', () => {
    expect(isValidResidentId('110105194912310021')).toBe(false);
    expect(isValidResidentId('11010519491231002')).toBe(false);
    expect(looksLikeResidentId('11010519491231002x')).toBe(false);
  });

  it('should build numbers that always validate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 110000, max: 659999 }),
        fc.date({ min: new Date('1900-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        (region, date, seq) => {
          const id = makeResidentId(String(region), date.toISOString().slice(0, 10), seq);
          return id.length === 18 && isValidResidentId(id);
        },
      ),
    );
  });

  it('should detect any single changed digit', () => {
    const id = makeResidentId('330106', '1968-04-12', 123);
    for (let i = 0; i < 17; i++) {
      const digit = Number(id[i]);
      const changed = `${id.slice(0, i)}${(digit + 1) % 10}${id.slice(i + 1)}`;
      expect(isValidResidentId(changed)).toBe(false);
    }
  });
});
