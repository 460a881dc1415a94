import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalysisState, I, NEVER, STRIDES } from './state.js';
import { hashBytes, hashText } from './transaction.js';

const key = (s: string) => Buffer.from(s, 'utf8');

describe('the analysis state', () => {
  it('should find customers again, growing past its first capacity', () => {
    const state = new AnalysisState(16);
    const slots = Array.from({ length: 500 }, (_, n) => state.findOrAdd(key(`C${n}`), 0, key(`C${n}`).length));
    expect(new Set(slots).size).toBe(500);
    for (let n = 0; n < 500; n++) expect(state.find(key(`C${n}`), 0, key(`C${n}`).length)).toBe(slots[n]);
    expect(state.find(key('nobody'), 0, 6)).toBe(-1);
    expect(state.key(slots[42] ?? 0)).toBe('C42');
    expect(state.i[(slots[0] ?? 0) * STRIDES.i + I.payrollLastDay]).toBe(NEVER);
  });

  it('should serialise and load back to the same records', () => {
    const state = new AnalysisState(16);
    for (let n = 0; n < 100; n++) {
      const slot = state.findOrAdd(key(`客户${n}`), 0, key(`客户${n}`).length);
      state.f[slot * STRIDES.f] = n * 100;
      state.i[slot * STRIDES.i + I.totalDebits] = n;
    }
    const bytes = Buffer.concat(state.serialize('v1'));
    const { state: loaded, rulesVersion } = AnalysisState.deserialize(bytes);
    expect(rulesVersion).toBe('v1');
    expect(loaded.size).toBe(100);
    const slot = loaded.find(key('客户77'), 0, key('客户77').length);
    expect(loaded.f[slot * STRIDES.f]).toBe(7700);
    expect(loaded.i[slot * STRIDES.i + I.totalDebits]).toBe(77);
    expect(() => AnalysisState.deserialize(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
    expect(() => AnalysisState.deserialize(Buffer.from('garbage'))).toThrow();
  });

  it('should export one record and import it into another state unchanged', () => {
    const a = new AnalysisState(16);
    const slot = a.findOrAdd(key('客户7'), 0, key('客户7').length);
    a.f[slot * STRIDES.f + 3] = 1234.5;
    a.i[slot * STRIDES.i + I.totalDebits] = 42;
    a.u[slot * STRIDES.u + 1] = 7;
    const record = a.exportRecord(slot);
    const b = new AnalysisState(16);
    b.findOrAdd(key('other'), 0, 5);
    expect(b.importRecord('客户7', record)).toBe(true);
    const back = b.find(key('客户7'), 0, key('客户7').length);
    expect(b.exportRecord(back)).toEqual(record);
    expect(b.i[back * STRIDES.i + I.totalDebits]).toBe(42);
  });

  it('should refuse a record of another layout and leave a fresh one', () => {
    const state = new AnalysisState(16);
    expect(state.importRecord('C1', new Uint8Array(10))).toBe(false);
    const slot = state.find(key('C1'), 0, 2);
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(state.i[slot * STRIDES.i + I.payrollLastDay]).toBe(NEVER);
  });

  it('should hash a text like the bytes of its UTF-8 encoding', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => {
        const b = Buffer.from(s, 'utf8');
        expect(hashText(s)).toBe(s === '' ? 0 : hashBytes(b, 0, b.length));
      }),
    );
  });
});
