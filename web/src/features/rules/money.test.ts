import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fenToYuanText, yuanTextToFen } from './money';

describe('amounts of the rule editor in yuan', () => {
  it('should show fen as yuan and read yuan back as the same fen, exactly', () => {
    expect(fenToYuanText(300_000)).toBe('3000');
    expect(fenToYuanText(12_345)).toBe('123.45');
    expect(fenToYuanText(1_230)).toBe('12.3');
    expect(fenToYuanText(1)).toBe('0.01');
    expect(yuanTextToFen('3,000')).toBe(300_000);
    expect(yuanTextToFen('0.1')).toBe(10);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        expect(yuanTextToFen(fenToYuanText(fen))).toBe(fen);
      }),
    );
  });

  it('should refuse what is not an amount of yuan and fen', () => {
    for (const text of ['', 'abc', '1.234', '-5', '1e3']) expect(yuanTextToFen(text)).toBeNaN();
  });
});
