import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONDITION_CATEGORIES } from '../../domain/conditions.js';
import {
  PARTNER_CLOCK_SKEW_SECONDS,
  PARTNER_REPLAY_WINDOW_SECONDS,
  bodyDigest,
  signRequest,
  signaturesEqual,
  signingString,
  timestampAcceptable,
} from './partner-auth.js';

const DOC = readFileSync(new URL('../../../docs/partner-api.md', import.meta.url), 'utf8');

/** The value after `name:` on a line of the doc's worked example. */
function exampleValue(name: string): string {
  const m = new RegExp(`^${name}:[ ]+(.+)$`, 'm').exec(DOC);
  if (!m?.[1]) throw new Error(`docs/partner-api.md has no "${name}:" line`);
  return m[1];
}

describe('partner request signatures', () => {
  it('should sign timestamp, method, path and body digest, one per line', () => {
    expect(signingString('1700000000', 'POST', '/p', Buffer.from('{}'))).toBe(
      '1700000000\nPOST\n/p\n44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    );
    expect(bodyDigest(Buffer.alloc(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('should reproduce the worked example of docs/partner-api.md', () => {
    const body = Buffer.from(exampleValue('body'), 'utf8');
    expect(bodyDigest(body)).toBe(exampleValue('body sha256'));
    const signature = signRequest(exampleValue('secret'), exampleValue('timestamp'), exampleValue('method'), exampleValue('path'), body);
    expect(signature).toBe(exampleValue('signature'));
    expect(DOC).toContain(`X-Lifeline-Signature: ${signature}`);
    expect(DOC).toContain(`empty body has the digest \`${bodyDigest(Buffer.alloc(0))}\``);
  });

  it('should list exactly the condition categories in docs/partner-api.md', () => {
    const listed = [...DOC.matchAll(/^\| `([a-z_]+)`\s*\| (severe|mild|other)\s*\|/gm)].map((m) => m[1]);
    expect(listed).toEqual(CONDITION_CATEGORIES.map((c) => c.code));
  });

  it('should compare signatures in either case and refuse any other difference', () => {
    const s = signRequest('secret', '1', 'POST', '/p', Buffer.from('x'));
    expect(signaturesEqual(s, s)).toBe(true);
    expect(signaturesEqual(s, s.toUpperCase())).toBe(true);
    expect(signaturesEqual(s, s.slice(0, 63))).toBe(false);
    expect(signaturesEqual(s, `${s}0`)).toBe(false);
    expect(signaturesEqual(s, '')).toBe(false);
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (other) => {
        if (other.toLowerCase() !== s) expect(signaturesEqual(s, other)).toBe(false);
      }),
    );
  });

  it('should change the signature with any change of secret, timestamp, method, path or body', () => {
    const base = ['k', '1700000000', 'POST', '/api/v1/partner/referrals', '{"a":1}'] as const;
    const sign = (p: readonly string[]) => signRequest(p[0] ?? '', p[1] ?? '', p[2] ?? '', p[3] ?? '', Buffer.from(p[4] ?? ''));
    const reference = sign(base);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.string({ minLength: 1, maxLength: 5 }), (i, extra) => {
        const changed = base.map((v, j) => (j === i ? `${v}${extra}` : v));
        expect(sign(changed)).not.toBe(reference);
      }),
    );
  });

  it('should accept timestamps within 300 s either way and nothing else', () => {
    const now = new Date('2026-11-28T09:00:00.000Z');
    const t = now.getTime() / 1000;
    expect(PARTNER_CLOCK_SKEW_SECONDS).toBe(300);
    expect(PARTNER_REPLAY_WINDOW_SECONDS).toBeGreaterThanOrEqual(2 * PARTNER_CLOCK_SKEW_SECONDS);
    for (const ok of [t, t + 300, t - 300]) expect(timestampAcceptable(String(ok), now), String(ok)).toBe(true);
    for (const bad of [String(t + 301), String(t - 301), '', 'x', `-${t}`, `${t}.0`, ` ${t}`, '1e9', String(t * 1000), '9'.repeat(13)]) {
      expect(timestampAcceptable(bad, now), bad).toBe(false);
    }
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(typeof timestampAcceptable(s, now)).toBe('boolean');
      }),
    );
  });
});
