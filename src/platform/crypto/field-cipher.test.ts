import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DecryptionError, FieldCipher, ciphertextPrefix, keyVersionOf, normaliseIdentifier } from './field-cipher.js';
import { type Keys, addDataKeyVersion, createKeyFile, generateKeys, loadKeys } from './keyring.js';

const here = { table: 'customers', column: 'national_id_enc', rowId: '0190a0b0-0000-7000-8000-000000000001' };

function withSecondVersion(keys: Keys): Keys {
  const data = new Map(keys.data);
  data.set(2, generateKeys().data.get(1) ?? Buffer.alloc(32));
  return { ...keys, data, activeVersion: 2 };
}

/** Flips one byte of the binary part of a ciphertext (iv 0–11, tag 12–27, body 28–). */
function flipByte(ciphertext: string, offset: number): string {
  const cut = ciphertext.lastIndexOf(':') + 1;
  const raw = Buffer.from(ciphertext.slice(cut), 'base64url');
  raw[offset] = (raw[offset] ?? 0) ^ 0x01;
  return ciphertext.slice(0, cut) + raw.toString('base64url');
}

describe('field encryption', () => {
  const cipher = new FieldCipher(generateKeys());

  it('should round-trip any Unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (value) => {
        expect(cipher.decrypt(cipher.encrypt(value, here), here)).toBe(value);
      }),
      { numRuns: 300 },
    );
    for (const value of ['', '张三 110105194912310021', '😀 emoji and \u0301 combining', 'x'.repeat(100_000)]) {
      expect(cipher.decrypt(cipher.encrypt(value, here), here)).toBe(value);
    }
  });

  it('should write the key version into every ciphertext and never repeat a ciphertext', () => {
    const a = cipher.encrypt('13800138000', here);
    const b = cipher.encrypt('13800138000', here);
    expect(a.startsWith(ciphertextPrefix(1))).toBe(true);
    expect(keyVersionOf(a)).toBe(1);
    expect(a).not.toBe(b);
    expect(a).not.toContain('13800138000');
    const rotated = new FieldCipher(withSecondVersion(generateKeys()));
    expect(keyVersionOf(rotated.encrypt('x', here))).toBe(2);
    expect(keyVersionOf('plain text')).toBeNull();
  });

  it.each([
    ['the IV', 0],
    ['the tag', 12],
    ['the body', 28],
  ])('should refuse a ciphertext with a byte of %s flipped', (_part, offset) => {
    const tampered = flipByte(cipher.encrypt('110105194912310021', here), offset);
    expect(() => cipher.decrypt(tampered, here)).toThrow(DecryptionError);
    expect(() => cipher.decrypt(tampered, here)).toThrow(/authentication failed/);
  });

  it('should refuse a ciphertext moved to another row, column or table', () => {
    const ct = cipher.encrypt('110105194912310021', here);
    for (const elsewhere of [
      { ...here, rowId: '0190a0b0-0000-7000-8000-000000000002' },
      { ...here, column: 'phone_enc' },
      { ...here, table: 'staff' },
    ]) {
      expect(() => cipher.decrypt(ct, elsewhere)).toThrow(DecryptionError);
    }
  });

  it('should refuse malformed, truncated and unknown-version ciphertexts clearly', () => {
    expect(() => cipher.decrypt('110105194912310021', here)).toThrow(/not a Lifeline ciphertext/);
    expect(() => cipher.decrypt('enc:v1:AAAA', here)).toThrow(/too short/);
    const future = new FieldCipher(withSecondVersion(generateKeys())).encrypt('x', here);
    expect(() => cipher.decrypt(future, here)).toThrow(/unknown key version 2/);
    const err = (() => {
      try {
        cipher.decrypt(future, here);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DecryptionError);
    // The message names where the value lives, never the value.
    expect(String(err)).toContain('customers.national_id_enc');
  });

  it('should still decrypt values under older key versions after a new one is active', () => {
    const keys = generateKeys();
    const old = new FieldCipher(keys).encrypt('old value', here);
    expect(new FieldCipher(withSecondVersion(keys)).decrypt(old, here)).toBe('old value');
  });

  it('should never throw anything but DecryptionError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (junk) => {
        for (const candidate of [junk, `enc:v1:${junk}`]) {
          try {
            cipher.decrypt(candidate, here);
          } catch (e) {
            expect(e).toBeInstanceOf(DecryptionError);
          }
        }
      }),
    );
  });
});

describe('blind index', () => {
  const cipher = new FieldCipher(generateKeys());

  it('should be equal for national IDs that differ only in spaces, dashes and case', () => {
    const bidx = cipher.blindIndex('national_id', '11010519491231002X');
    for (const form of ['11010519491231002x', ' 110105 19491231 002x ', '110105-19491231-002X', '１１０１０５１９４９１２３１００２Ｘ']) {
      expect(cipher.blindIndex('national_id', form)).toBe(bidx);
    }
    expect(cipher.blindIndex('national_id', '110105194912310021')).not.toBe(bidx);
  });

  it('should be equal for phone numbers with or without +86, spaces and dashes', () => {
    const bidx = cipher.blindIndex('phone', '13800138000');
    for (const form of ['+86 138 0013 8000', '+86-138-0013-8000', '86 13800138000', '138-0013-8000', '(138) 0013 8000']) {
      expect(cipher.blindIndex('phone', form)).toBe(bidx);
    }
    expect(cipher.blindIndex('phone', '13800138001')).not.toBe(bidx);
  });

  it('should differ across kinds and across index keys, and hide the value', () => {
    const value = '13800138000';
    expect(cipher.blindIndex('phone', value)).not.toBe(cipher.blindIndex('national_id', value));
    expect(new FieldCipher(generateKeys()).blindIndex('phone', value)).not.toBe(cipher.blindIndex('phone', value));
    expect(cipher.blindIndex('phone', value)).not.toContain(value);
  });

  it('should normalise idempotently', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('national_id' as const, 'phone' as const),
        fc.string({ unit: 'binary', maxLength: 40 }),
        (kind, value) => {
          const once = normaliseIdentifier(kind, value);
          expect(normaliseIdentifier(kind, once)).toBe(once);
        },
      ),
    );
  });
});

describe('key reload in a running server', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-keys-'));
  });
  afterEach(() => {
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should read a value under a version added by a rotation at once, and write with it within 5 s', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const source = { file: path.join(dir, 'keys.json') };
    createKeyFile(source.file, generateKeys(), false);
    const server = new FieldCipher(loadKeys(source, false).keys, source);
    expect(keyVersionOf(server.encrypt('before', here))).toBe(1);

    expect(addDataKeyVersion(source)).toBe(2);
    const rotator = new FieldCipher(loadKeys(source, false).keys);
    // An unknown version makes the server look at the key file at once.
    expect(server.decrypt(rotator.encrypt('written by the rotation', here), here)).toBe('written by the rotation');

    const other = new FieldCipher(loadKeys(source, false).keys, source);
    expect(keyVersionOf(other.encrypt('now', here))).toBe(2);
    addDataKeyVersion(source);
    vi.setSystemTime(Date.now() + 1_000);
    expect(keyVersionOf(other.encrypt('soon', here))).toBe(2);
    vi.setSystemTime(Date.now() + 5_000);
    expect(keyVersionOf(other.encrypt('later', here))).toBe(3);
  });

  it('should keep its keys when the key file is broken by hand', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const source = { file: path.join(dir, 'keys.json') };
    createKeyFile(source.file, generateKeys(), false);
    const server = new FieldCipher(loadKeys(source, false).keys, source);
    const ct = server.encrypt('value', here);
    writeFileSync(source.file, '{ not json');
    vi.setSystemTime(Date.now() + 10_000);
    expect(server.decrypt(server.encrypt('still works', here), here)).toBe('still works');
    expect(server.decrypt(ct, here)).toBe('value');
  });
});
