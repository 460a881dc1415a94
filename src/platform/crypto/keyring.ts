import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const KEY_BYTES = 32;
const base64Key = z.string().refine((s) => Buffer.from(s, 'base64').length === KEY_BYTES, 'must be 32 bytes, base64-encoded');

const KeyFileSchema = z.object({
  format: z.literal(1),
  data: z.object({
    activeVersion: z.number().int().positive(),
    keys: z.record(z.string().regex(/^\d+$/), base64Key),
  }),
  index: z.object({ version: z.number().int().positive(), key: base64Key }),
});
export type KeyFile = z.infer<typeof KeyFileSchema>;

/** Raised when keys are missing, malformed or do not match the database. */
export class KeyError extends Error {}

/** The loaded keys: data-encryption keys by version, the active version and the blind-index key. */
export interface Keys {
  readonly data: ReadonlyMap<number, Buffer>;
  readonly activeVersion: number;
  readonly index: { readonly version: number; readonly key: Buffer };
}

/** A short, non-secret fingerprint of a key, stored in key metadata to catch a wrong key file. */
export function fingerprint(key: Buffer): string {
  return createHash('sha256').update('lifeline-key-fingerprint').update(key).digest('hex').slice(0, 16);
}

function parseKeys(text: string, source: string): Keys {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new KeyError(`${source} is not valid JSON`);
  }
  const parsed = KeyFileSchema.safeParse(json);
  if (!parsed.success) throw new KeyError(`${source} is not a Lifeline key file: ${parsed.error.issues[0]?.message}`);
  const f = parsed.data;
  const data = new Map<number, Buffer>(Object.entries(f.data.keys).map(([v, k]) => [Number(v), Buffer.from(k, 'base64')]));
  if (!data.has(f.data.activeVersion)) throw new KeyError(`${source}: active version ${f.data.activeVersion} has no key`);
  return { data, activeVersion: f.data.activeVersion, index: { version: f.index.version, key: Buffer.from(f.index.key, 'base64') } };
}

function serialise(keys: Keys): string {
  const file: KeyFile = {
    format: 1,
    data: {
      activeVersion: keys.activeVersion,
      keys: Object.fromEntries([...keys.data].map(([v, k]) => [String(v), k.toString('base64')])),
    },
    index: { version: keys.index.version, key: keys.index.key.toString('base64') },
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

function writeKeyFile(file: string, keys: Keys): void {
  // A folder made here is private; an existing one is the operator's (the data folder is taken back at start).
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, serialise(keys), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** Where keys come from: LIFELINE_KEYS (inline JSON) wins over the key file. */
export interface KeySource {
  readonly file: string;
  readonly inline?: string;
}

/**
 * Loads the keys. Without any, it creates a key file when `createIfMissing` (embedded mode,
 * with a warning from the caller) and otherwise refuses.
 */
export function loadKeys(source: KeySource, createIfMissing: boolean): { keys: Keys; created: boolean } {
  if (source.inline) return { keys: parseKeys(source.inline, 'LIFELINE_KEYS'), created: false };
  if (existsSync(source.file)) return { keys: parseKeys(readFileSync(source.file, 'utf8'), source.file), created: false };
  if (!createIfMissing) {
    throw new KeyError(`no encryption keys: set LIFELINE_KEYS or provide the key file ${source.file} (lifeline keys init)`);
  }
  const keys: Keys = {
    data: new Map([[1, randomBytes(KEY_BYTES)]]),
    activeVersion: 1,
    index: { version: 1, key: randomBytes(KEY_BYTES) },
  };
  writeKeyFile(source.file, keys);
  return { keys, created: true };
}

/** Adds a new data key version to the key file and makes it active; returns the new version. */
export function addDataKeyVersion(source: KeySource): number {
  if (source.inline) throw new KeyError('keys come from LIFELINE_KEYS: add the new version there, then run the rotation');
  const { keys } = loadKeys(source, false);
  const version = Math.max(...keys.data.keys()) + 1;
  const data = new Map(keys.data);
  data.set(version, randomBytes(KEY_BYTES));
  writeKeyFile(source.file, { data, activeVersion: version, index: keys.index });
  return version;
}

/**
 * What identifies one version of the key file, so a running server notices a rotation. The inode
 * is part of it because writes replace the file, and two writes can fall in one mtime tick.
 */
export function keySourceStamp(source: KeySource): string {
  if (source.inline || !existsSync(source.file)) return '';
  const st = statSync(source.file);
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}

/** Writes a new key file (mode 0600); refuses to replace an existing one unless `overwrite`. */
export function createKeyFile(file: string, keys: Keys, overwrite: boolean): void {
  if (existsSync(file) && !overwrite) {
    throw new KeyError(`the key file ${file} already exists; replacing it makes the data encrypted with it unreadable`);
  }
  writeKeyFile(file, keys);
}

/** Generates a fresh key file's contents, for `lifeline keys init` and for tests. */
export function generateKeys(): Keys {
  return {
    data: new Map([[1, randomBytes(KEY_BYTES)]]),
    activeVersion: 1,
    index: { version: 1, key: randomBytes(KEY_BYTES) },
  };
}

/** The key file text of a set of keys (for LIFELINE_KEYS or `keys init`). */
export function keysToText(keys: Keys): string {
  return serialise(keys);
}
