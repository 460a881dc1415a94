import { describe, expect, it } from 'vitest';
import { newId, randomToken } from './ids.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function timeOf(id: string): number {
  return Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
}

describe('ids', () => {
  it('should make RFC 9562 version 7 UUIDs carrying the time', () => {
    const now = Date.parse('2030-01-02T03:04:05.678Z');
    const id = newId(now);
    expect(id).toMatch(UUID_V7);
    expect(timeOf(id)).toBeGreaterThanOrEqual(now);
  });

  it('should be strictly increasing, within one millisecond and when the clock steps back', () => {
    const base = Date.parse('2031-05-06T07:08:09.000Z');
    const ids = [newId(base)];
    // More than the 12-bit counter holds, all in the same millisecond.
    for (let i = 0; i < 10_000; i++) ids.push(newId(base));
    ids.push(newId(base - 60_000));
    ids.push(newId());
    for (let i = 1; i < ids.length; i++) {
      expect((ids[i] ?? '') > (ids[i - 1] ?? '')).toBe(true);
    }
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('should make URL-safe random tokens', () => {
    const token = randomToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(token);
    expect(randomToken(16)).toHaveLength(22);
  });
});
