import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyError, addDataKeyVersion, createKeyFile, fingerprint, generateKeys, keySourceStamp, keysToText, loadKeys } from './keyring.js';

describe('keyring', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-keyring-'));
    file = path.join(dir, 'keys', 'keys.json');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should load a generated key set given inline, as LIFELINE_KEYS', () => {
    const keys = generateKeys();
    const { keys: loaded, created } = loadKeys({ file, inline: keysToText(keys) }, true);
    expect(created).toBe(false);
    expect(loaded.activeVersion).toBe(1);
    expect(loaded.data.get(1)?.equals(keys.data.get(1) ?? Buffer.alloc(0))).toBe(true);
    expect(loaded.index.key.equals(keys.index.key)).toBe(true);
    expect(loaded.index.key.equals(loaded.data.get(1) ?? Buffer.alloc(0))).toBe(false);
  });

  it('should create a key file readable only by its owner when allowed, and reuse it afterwards', () => {
    const first = loadKeys({ file }, true);
    expect(first.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadKeys({ file }, true);
    expect(again.created).toBe(false);
    expect(fingerprint(again.keys.data.get(1) ?? Buffer.alloc(0))).toBe(fingerprint(first.keys.data.get(1) ?? Buffer.alloc(0)));
  });

  it('should refuse to run without keys when it may not create them', () => {
    expect(() => loadKeys({ file }, false)).toThrow(KeyError);
    expect(() => loadKeys({ file }, false)).toThrow(/LIFELINE_KEYS/);
  });

  it.each([
    ['not JSON', '{ "format": 1,'],
    ['a wrong format', JSON.stringify({ format: 2 })],
    [
      'a short key',
      JSON.stringify({ format: 1, data: { activeVersion: 1, keys: { 1: 'c2hvcnQ=' } }, index: { version: 1, key: 'c2hvcnQ=' } }),
    ],
  ])('should refuse a key file with %s', (_what, text) => {
    expect(() => loadKeys({ file, inline: text }, false)).toThrow(KeyError);
  });

  it('should refuse a key file whose active version has no key', () => {
    const text = keysToText(generateKeys()).replace('"activeVersion": 1', '"activeVersion": 2');
    expect(() => loadKeys({ file, inline: text }, false)).toThrow(/active version 2 has no key/);
  });

  it('should add a data key version, keep the old ones and the index key, and change the stamp', () => {
    createKeyFile(file, generateKeys(), false);
    const before = loadKeys({ file }, false).keys;
    const stamp = keySourceStamp({ file });
    expect(addDataKeyVersion({ file })).toBe(2);
    const after = loadKeys({ file }, false).keys;
    expect(after.activeVersion).toBe(2);
    expect(after.data.get(1)?.equals(before.data.get(1) ?? Buffer.alloc(0))).toBe(true);
    expect(after.data.get(2)?.equals(before.data.get(1) ?? Buffer.alloc(0))).toBe(false);
    expect(after.index.key.equals(before.index.key)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(keySourceStamp({ file })).not.toBe(stamp);
  });

  it('should not add a version to keys given inline', () => {
    expect(() => addDataKeyVersion({ file, inline: keysToText(generateKeys()) })).toThrow(/LIFELINE_KEYS/);
  });

  it('should not replace an existing key file unless told to', () => {
    createKeyFile(file, generateKeys(), false);
    const text = readFileSync(file, 'utf8');
    expect(() => createKeyFile(file, generateKeys(), false)).toThrow(/already exists/);
    expect(readFileSync(file, 'utf8')).toBe(text);
    createKeyFile(file, generateKeys(), true);
    expect(readFileSync(file, 'utf8')).not.toBe(text);
  });

  it('should give a short fingerprint that does not reveal the key', () => {
    const key = generateKeys().index.key;
    expect(fingerprint(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint(key)).not.toContain(key.toString('hex').slice(0, 16));
  });
});
