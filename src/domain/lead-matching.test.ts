import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUTOMATIC_METHODS, pickMatch } from './lead-matching.js';

describe('lead matching', () => {
  it('should prefer the customer number, then national ID, phone, name and date of birth', () => {
    expect(pickMatch({ customer_number: ['a'], national_id: ['b'] })).toEqual({
      customerId: 'a',
      method: 'customer_number',
      strength: 'exact',
    });
    expect(pickMatch({ customer_number: [], national_id: ['b'], phone: ['c'] })).toEqual({
      customerId: 'b',
      method: 'national_id',
      strength: 'exact',
    });
    expect(pickMatch({ phone: ['c'], name_dob: ['d'] })).toEqual({ customerId: 'c', method: 'phone', strength: 'strong' });
    expect(pickMatch({ name_dob: ['d'] })).toEqual({ customerId: 'd', method: 'name_dob', strength: 'probable' });
  });

  it('should pass over a method that finds several customers', () => {
    expect(pickMatch({ phone: ['a', 'b'], name_dob: ['c'] })).toEqual({ customerId: 'c', method: 'name_dob', strength: 'probable' });
    expect(pickMatch({ name_dob: ['a', 'b'] })).toBeNull();
    expect(pickMatch({})).toBeNull();
  });

  it('should always answer the first method that found exactly one customer', () => {
    const ids = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 });
    fc.assert(
      fc.property(fc.record({ customer_number: ids, national_id: ids, phone: ids, name_dob: ids }), (found) => {
        const match = pickMatch(found);
        const first = AUTOMATIC_METHODS.find((m) => new Set(found[m.method]).size === 1);
        if (!first) expect(match).toBeNull();
        else expect(match).toEqual({ customerId: found[first.method][0], method: first.method, strength: first.strength });
      }),
    );
  });
});
