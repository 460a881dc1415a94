import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { hashPassword, needsRehash, verifyPassword } from './passwords.js';

// Tests hash with N = 2^10 for speed; what production uses is the configured default, checked below.
const LOG_N = 10;

describe('password hashing', () => {
  it('should use scrypt with N = 2^17 unless configured otherwise', () => {
    expect(loadConfig({}).scryptLogN).toBe(17);
  });

  it('should carry its parameters and a random salt, and verify only the right password', async () => {
    const a = await hashPassword('correct horse battery staple', LOG_N);
    const b = await hashPassword('correct horse battery staple', LOG_N);
    expect(a).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('should treat canonically equal Unicode passwords as the same', async () => {
    const stored = await hashPassword('caf\u00e9 密码', LOG_N);
    expect(await verifyPassword('cafe\u0301 密码', stored)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['another scheme', 'bcrypt$2b$10$abcdefghijklmnopqrstuv'],
    ['too few parts', 'scrypt$10$8$1$c2FsdA=='],
    ['a cost out of range', 'scrypt$30$8$1$c2FsdA==$a2V5'],
    ['a tiny cost', 'scrypt$1$8$1$c2FsdA==$a2V5'],
    ['non-numeric parameters', 'scrypt$x$8$1$c2FsdA==$a2V5'],
    ['an empty key', 'scrypt$10$8$1$c2FsdA==$'],
    ['garbage base64', 'scrypt$10$8$1$!!!$***'],
  ])('should never match a malformed stored hash (%s)', async (_what, stored) => {
    await expect(verifyPassword('anything', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  it('should never throw on an arbitrary stored hash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (stored) => {
        await expect(verifyPassword('password', stored)).resolves.toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('should ask for a rehash when the stored cost is below the configured one', async () => {
    const stored = await hashPassword('correct horse battery staple', LOG_N);
    expect(needsRehash(stored, LOG_N)).toBe(false);
    expect(needsRehash(stored, 17)).toBe(true);
    expect(needsRehash('not a hash', LOG_N)).toBe(true);
  });
});
