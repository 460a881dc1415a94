import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskAddress, maskNationalId, maskPhone } from './masking.js';

describe('masking of identifiers', () => {
  it('should keep the first and last four characters of a national ID', () => {
    expect(maskNationalId('110105198203151234')).toBe('1101**********1234');
  });

  it('should keep the prefix and the last four digits of a mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('should keep only the city of an address', () => {
    expect(maskAddress('浙江省杭州市西湖区文三路88号3幢501室')).toBe('浙江省杭州市***');
    expect(maskAddress('上海市浦东新区世纪大道100号')).toBe('上海市***');
    expect(maskAddress('Flat 3, 12 Harbour Road')).toBe('Flat***');
  });

  it('should never show more than half of a national ID, nor more than all but four digits of a phone', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (s) => {
        const masked = maskNationalId(s.trim());
        const shown = [...masked].filter((c) => c !== '*').length;
        return shown <= Math.ceil(s.trim().length / 2);
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,15}$/), (digits) => {
        const masked = maskPhone(digits);
        const hidden = masked.replace(/[^*]/g, '').length;
        return masked.length === digits.length && hidden >= Math.min(digits.length, 4);
      }),
    );
  });
});
