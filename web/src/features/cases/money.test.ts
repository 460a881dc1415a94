import { describe, expect, it } from 'vitest';
import { minorToYuanText, yuanToMinor, yuanToMoney } from './money';

describe('yuan to fen', () => {
  it('should convert exactly, without floating point', () => {
    expect(yuanToMinor('0.1')).toBe(10);
    expect(yuanToMinor('0.29')).toBe(29);
    expect(yuanToMinor('1.005')).toBeUndefined();
    expect(yuanToMinor('12,345.6')).toBe(1_234_560);
    expect(yuanToMinor('9999999999999.99')).toBe(999_999_999_999_999);
    expect(yuanToMinor(' 8 000 ')).toBe(800_000);
    expect(yuanToMinor('')).toBeNull();
  });

  it('should refuse what is not an amount', () => {
    for (const bad of ['-1', '1e3', 'abc', '1.2.3', '.5', '12345678901234']) expect(yuanToMinor(bad), bad).toBeUndefined();
  });

  it('should give Money in CNY and read back', () => {
    expect(yuanToMoney('15000')).toEqual({ amountMinor: 1_500_000, currency: 'CNY' });
    expect(minorToYuanText(1_234_560)).toBe('12345.60');
    expect(minorToYuanText(5)).toBe('0.05');
    for (const n of [0, 1, 99, 100, 123_456_789]) expect(yuanToMinor(minorToYuanText(n))).toBe(n);
  });
});
