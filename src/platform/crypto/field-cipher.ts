import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { type KeySource, type Keys, keySourceStamp, loadKeys } from './keyring.js';

/** Where an encrypted value lives; bound into the ciphertext as associated data. */
export interface FieldContext {
  readonly table: string;
  readonly column: string;
  readonly rowId: string;
}

/** Raised when a ciphertext is tampered with, moved to another row or column, or its key is unknown. */
export class DecryptionError extends Error {
  constructor(ctx: FieldContext, reason: string) {
    super(`cannot decrypt ${ctx.table}.${ctx.column} of row ${ctx.rowId}: ${reason}`);
    this.name = 'DecryptionError';
  }
}

const PREFIX = 'enc:v';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function aad(ctx: FieldContext): Buffer {
  return Buffer.from(`${ctx.table}|${ctx.column}|${ctx.rowId}`, 'utf8');
}

/** The key version inside a ciphertext, or null when the text is not a Lifeline ciphertext. */
export function keyVersionOf(ciphertext: string): number | null {
  const m = /^enc:v(\d+):/.exec(ciphertext);
  return m ? Number(m[1]) : null;
}

/** The ciphertext prefix of a key version, for finding rows still encrypted under older keys. */
export function ciphertextPrefix(version: number): string {
  return `${PREFIX}${version}:`;
}

export type BlindIndexKind = 'national_id' | 'phone';

/** Normalises a national ID or phone number so that equal values give equal blind indexes. */
export function normaliseIdentifier(kind: BlindIndexKind, value: string): string {
  const v = value.normalize('NFKC').trim();
  if (kind === 'national_id') return v.replace(/[\s-]/g, '').toUpperCase();
  const digits = v.replace(/\D/g, '');
  return digits.startsWith('86') && digits.length === 13 ? digits.slice(2) : digits;
}

/**
 * AES-256-GCM field encryption with the key version inside each ciphertext and
 * `table|column|row id` as associated data, plus an HMAC-SHA256 blind index (DESIGN.md).
 */
export class FieldCipher {
  private keys: Keys;
  private stamp: string;
  private checkedAt = 0;

  constructor(
    keys: Keys,
    private readonly source?: KeySource,
  ) {
    this.keys = keys;
    this.stamp = source ? keySourceStamp(source) : '';
  }

  /** The version new ciphertexts are written with. */
  get activeVersion(): number {
    this.refresh(false);
    return this.keys.activeVersion;
  }

  /** All data-key versions this process knows. */
  get versions(): number[] {
    return [...this.keys.data.keys()].sort((a, b) => a - b);
  }

  get indexKeyVersion(): number {
    return this.keys.index.version;
  }

  /** Encrypts a value for one field of one row. */
  encrypt(plaintext: string, ctx: FieldContext): string {
    this.refresh(false);
    const version = this.keys.activeVersion;
    const key = this.keys.data.get(version);
    if (!key) throw new Error(`active key version ${version} missing`);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad(ctx));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${PREFIX}${version}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** Decrypts a value; throws DecryptionError when it was tampered with or belongs elsewhere. */
  decrypt(ciphertext: string, ctx: FieldContext): string {
    const m = /^enc:v(\d+):([A-Za-z0-9_-]+)$/.exec(ciphertext);
    if (!m) throw new DecryptionError(ctx, 'not a Lifeline ciphertext');
    const version = Number(m[1]);
    let key = this.keys.data.get(version);
    if (!key) {
      this.refresh(true);
      key = this.keys.data.get(version);
    }
    if (!key) throw new DecryptionError(ctx, `unknown key version ${version}`);
    const raw = Buffer.from(m[2] ?? '', 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new DecryptionError(ctx, 'ciphertext too short');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(aad(ctx));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new DecryptionError(ctx, 'authentication failed (tampered, or moved from another row or column)');
    }
  }

  /** The blind index of a national ID or phone number: exact-match search without the plaintext. */
  blindIndex(kind: BlindIndexKind, value: string): string {
    return createHmac('sha256', this.keys.index.key)
      .update(`${kind}|${normaliseIdentifier(kind, value)}`)
      .digest('base64url');
  }

  // A `keys rotate` in another process rewrites the key file; notice it within a few seconds.
  private refresh(force: boolean): void {
    if (!this.source) return;
    const now = Date.now();
    if (!force && now - this.checkedAt < 5_000) return;
    this.checkedAt = now;
    const stamp = keySourceStamp(this.source);
    if (stamp === this.stamp) return;
    try {
      this.keys = loadKeys(this.source, false).keys;
      this.stamp = stamp;
    } catch {
      // A key file broken by hand must not stop a running server: keep the keys it has and look
      // again at the next check; a start with that file would refuse with the KeyError instead.
    }
  }
}
