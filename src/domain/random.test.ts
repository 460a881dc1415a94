import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashSeed, seededRandom } from './random.js';

describe('seeded random', () => {
  it('should give the same sequence for the same seed', () => {
    const a = seededRandom('demo:1');
    const b = seededRandom('demo:1');
    const seqA = Array.from({ length: 50 }, () => a.next());
    const seqB = Array.from({ length: 50 }, () => b.next());
    expect(seqA).toEqual(seqB);
  });

  it('should give different sequences for neighbouring seeds', () => {
    expect(seededRandom('1:5').next()).not.toBe(seededRandom('1:6').next());
    expect(hashSeed(1)).not.toBe(hashSeed(2));
  });

  it('should keep int() within its bounds and reach both ends', () => {
    const r = seededRandom(42);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(3, 7);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(7);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('should keep next() in [0, 1) for any seed', () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        const r = seededRandom(seed);
        for (let i = 0; i < 20; i++) {
          const v = r.next();
          if (!(v >= 0 && v < 1)) return false;
        }
        return true;
      }),
    );
  });

  it('should pick only from the list and refuse an empty one', () => {
    const r = seededRandom('pick');
    for (let i = 0; i < 100; i++) {
      expect(['a', 'b', 'c']).toContain(r.pick(['a', 'b', 'c']));
      expect(['a', 'b', 'c']).toContain(r.pickSkewed(['a', 'b', 'c']));
    }
    expect(() => r.pick([])).toThrow();
  });

  it('should favour the first elements with pickSkewed', () => {
    const r = seededRandom('skew');
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const v = r.pickSkewed(['a', 'b', 'c', 'd']);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect(counts.get('a') ?? 0).toBeGreaterThan(counts.get('d') ?? 0);
  });
});
