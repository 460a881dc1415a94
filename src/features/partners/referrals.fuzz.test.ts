import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { type Session, makeBranches, staffSession } from '../../../test/helpers/factories.js';
import { type Harness, createHarness, describeEachDialect } from '../../../test/helpers/harness.js';
import {
  type PartnerKey,
  REFERRALS_PATH,
  issuePartnerKey,
  registerPartner,
  sendReferral,
  signatureHeaders,
  validReferral,
} from '../../../test/helpers/partners.js';
import { CONDITION_CODES } from '../../domain/conditions.js';
import type { ErrorCode } from '../../platform/http/errors.js';
import { ReferralBody } from './partners.schemas.js';

const BODY_LIMIT = 8192;

/** Bad signatures, skewed clocks, replays, bad keys, bad bodies: 4xx and nothing stored (issue 3, point 8). */
describeEachDialect('partner referral API under attack', (dialect) => {
  let h: Harness;
  let admin: Session;
  let branches: Record<'HQ' | 'EAST' | 'WEST', string>;
  let hospital: { partnerId: string; key: PartnerKey };
  // Each test gets a partner with five keys and sends with them in turn: the per-key rate limit
  // (wall-clock minutes) must not be what refuses the generated requests.
  let pool: PartnerKey[] = [];
  let turn = 0;
  let partners = 0;
  let ip = 0;
  // Every request from its own address, so the address limit never hides what is tested.
  const nextIp = () => {
    ip += 1;
    return `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`;
  };
  const send = (body: unknown, opts: Parameters<typeof sendReferral>[3] = {}, key?: PartnerKey) => {
    turn += 1;
    return sendReferral(h, key ?? pool[turn % pool.length] ?? hospital.key, body, { remoteAddress: nextIp(), ...opts });
  };
  const now = () => Math.floor(h.clock.now().getTime() / 1000);

  const count = async (table: 'leads' | 'partner_referrals' | 'partner_signatures' | 'audit_events' | 'partners' | 'partner_keys') =>
    Number(
      (
        await h.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  /** Everything a referral could leave behind. */
  const snapshot = async () => ({
    leads: await count('leads'),
    referrals: await count('partner_referrals'),
    signatures: await count('partner_signatures'),
    audit: await count('audit_events'),
    partners: await count('partners'),
    keys: await count('partner_keys'),
    lastUsed: (await h.db.selectFrom('partner_keys').select('last_used_at').orderBy('id').execute()).map((k) => k.last_used_at),
  });
  /** Sends, expects the refusal, and checks that nothing was stored. */
  async function refused(code: ErrorCode, what: string, request: () => Promise<LightMyRequestResponse>): Promise<void> {
    const before = await snapshot();
    const res = await request();
    expect(res.statusCode, `${what}: ${res.body}`).toBeGreaterThanOrEqual(400);
    expectProblem(res, code);
    expect(await snapshot(), what).toEqual(before);
  }

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off', LIFELINE_BODY_LIMIT_BYTES: String(BODY_LIMIT) });
    branches = await makeBranches(h);
    admin = (await staffSession(h, { roles: ['admin'], branch: 'HQ', username: 'fuzz.admin' })).session;
  });
  beforeEach(async () => {
    partners += 1;
    hospital = await registerPartner(admin, { code: `FUZZHOSP${partners}`, defaultBranchId: branches.EAST });
    pool = [hospital.key];
    for (let i = 1; i < 5; i++) pool.push(await issuePartnerKey(admin, hospital.partnerId));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('should accept a correctly signed referral (the baseline the refusals differ from)', async () => {
    const res = await send(validReferral());
    expect(res.statusCode, res.body).toBe(202);
  });

  describe('signatures', () => {
    it('should refuse a signature made with another secret', async () => {
      await refused('PARTNER_AUTH_FAILED', 'wrong secret', () => send(validReferral(), { secret: 'not-the-secret' }));
      await refused('PARTNER_AUTH_FAILED', 'empty secret', () => send(validReferral(), { secret: '' }));
      await refused('PARTNER_AUTH_FAILED', 'secret with a trailing newline', () =>
        send(validReferral(), { secret: `${hospital.key.secret}\n` }),
      );
    });

    it('should refuse a signature with one hex digit flipped, truncated, padded or not hex', async () => {
      const flip = (i: number) => (s: string) => `${s.slice(0, i)}${s[i] === '0' ? '1' : '0'}${s.slice(i + 1)}`;
      for (const [what, change] of [
        ['first digit flipped', flip(0)],
        ['last digit flipped', flip(63)],
        ['middle digit flipped', flip(31)],
        ['truncated', (s: string) => s.slice(0, 63)],
        ['padded', (s: string) => `${s}0`],
        ['empty', () => ''],
        ['not hex', (s: string) => `${s.slice(0, 63)}g`],
        ['base64 of the MAC', (s: string) => Buffer.from(s, 'hex').toString('base64')],
        ['with sha256= prefix', (s: string) => `sha256=${s}`],
        ['all zeros', () => '0'.repeat(64)],
      ] as const) {
        await refused('PARTNER_AUTH_FAILED', what, () => send(validReferral(), { signature: change }));
      }
    });

    it('should refuse a signature over another method, path, timestamp or body than the one sent', async () => {
      const cases: [string, Parameters<typeof sendReferral>[3]][] = [
        ['method PUT signed', { signedMethod: 'PUT' }],
        ['method in lower case', { signedMethod: 'post' }],
        ['another path', { signedPath: '/api/v1/partner/referral' }],
        ['trailing slash', { signedPath: `${REFERRALS_PATH}/` }],
        ['path without the prefix', { signedPath: '/partner/referrals' }],
        ['full URL signed', { signedPath: `https://lifeline.invalid${REFERRALS_PATH}` }],
        ['another timestamp', { signedTimestamp: String(now() - 1) }],
      ];
      for (const [what, opts] of cases) await refused('PARTNER_AUTH_FAILED', what, () => send(validReferral(), opts));
    });

    it('should refuse a body changed after signing, by as little as one byte', async () => {
      const body = JSON.stringify(validReferral());
      for (const [what, sent] of [
        ['a space added', `${body} `],
        ['a field changed', body.replace('severe_malignant_tumour', 'deep_coma')],
        ['the consent removed', body.replace('"share_with_bank"', '"other_scope"')],
        ['re-serialised with indentation', JSON.stringify(JSON.parse(body), null, 2)],
      ] as const) {
        await refused('PARTNER_AUTH_FAILED', what, () => send(sent, { signedBody: body }));
      }
      // An empty body signed as if it had one.
      await refused('PARTNER_AUTH_FAILED', 'body dropped', () => send('', { signedBody: body, contentType: null }));
    });

    it('should refuse random signature headers, whatever they hold', async () => {
      const before = await snapshot();
      const header = fc.oneof(fc.string({ maxLength: 80 }), fc.stringMatching(/^[0-9a-f]{64}$/), fc.constant(hospital.key.keyId));
      await fc.assert(
        fc.asyncProperty(header, header, header, async (key, timestamp, signature) => {
          const headers: Record<string, string> = {};
          // Header values cannot hold control characters or non-Latin-1 text on the wire.
          for (const [name, value] of [
            ['x-lifeline-key', key],
            ['x-lifeline-timestamp', timestamp],
            ['x-lifeline-signature', signature],
          ] as const) {
            if (/^[\x20-\x7e]*$/.test(value)) headers[name] = value;
          }
          const res = await h.app.inject({
            method: 'POST',
            url: REFERRALS_PATH,
            remoteAddress: nextIp(),
            payload: validReferral(),
            headers,
          });
          expectNoServerError(res, JSON.stringify(headers));
          expect(res.statusCode, JSON.stringify(headers)).toBe(401);
        }),
        { numRuns: 150 },
      );
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('clocks', () => {
    it('should refuse timestamps more than 300 s away, in either direction', async () => {
      for (const offset of [301, -301, 3600, -3600, 86_400 * 365]) {
        await refused('PARTNER_AUTH_FAILED', `offset ${offset}`, () => send(validReferral(), { timestamp: now() + offset }));
      }
      // At the edge of the window: still accepted.
      for (const offset of [300, -300]) {
        const res = await send(validReferral(), { timestamp: now() + offset });
        expect(res.statusCode, `offset ${offset}: ${res.body}`).toBe(202);
      }
    });

    it('should refuse timestamps that are not plain Unix seconds', async () => {
      const t = now();
      for (const timestamp of [
        '',
        'abc',
        '-5',
        `-${t}`,
        `${t}.5`,
        '1e9',
        `+${t}`,
        ` ${t}`,
        `${t} `,
        `0x${t.toString(16)}`,
        String(t * 1000),
        '9999999999999999999999',
        new Date(t * 1000).toISOString(),
        'NaN',
        'Infinity',
        '0',
      ]) {
        // Signed over the very text sent: only the clock check can refuse it.
        await refused('PARTNER_AUTH_FAILED', `timestamp ${JSON.stringify(timestamp)}`, () => send(validReferral(), { timestamp }));
      }
    });

    it('should follow the server clock, not the caller’s', async () => {
      const body = validReferral();
      const stamp = now();
      h.clock.advance(301_000);
      await refused('PARTNER_AUTH_FAILED', 'stale after the server clock moved', () => send(body, { timestamp: stamp }));
      const fresh = await send(body);
      expect(fresh.statusCode, fresh.body).toBe(202);
    });
  });

  describe('replays', () => {
    it('should refuse the very same signed request a second time, also with the signature in upper case', async () => {
      const payload = JSON.stringify(validReferral());
      const headers = signatureHeaders(hospital.key, payload, { now: h.clock.now() });
      const replay = (over: Record<string, string> = {}) =>
        h.app.inject({
          method: 'POST',
          url: REFERRALS_PATH,
          remoteAddress: nextIp(),
          payload,
          headers: { 'content-type': 'application/json', ...headers, ...over },
        });
      const first = await replay();
      expect(first.statusCode, first.body).toBe(202);
      await refused('PARTNER_AUTH_FAILED', 'replay', () => replay());
      h.clock.advance(200_000);
      await refused('PARTNER_AUTH_FAILED', 'replay 200 s later', () => replay());
      await refused('PARTNER_AUTH_FAILED', 'replay in upper case', () =>
        replay({ 'x-lifeline-signature': String(headers['x-lifeline-signature']).toUpperCase() }),
      );
      // Once the timestamp is out of the window the clock check refuses it, and the memory can go.
      h.clock.advance(200_000);
      await refused('PARTNER_AUTH_FAILED', 'replay after the window', () => replay());
    });

    it('should refuse concurrent copies of one signed request but one', async () => {
      const payload = JSON.stringify(validReferral());
      const headers = { 'content-type': 'application/json', ...signatureHeaders(hospital.key, payload, { now: h.clock.now() }) };
      const before = await snapshot();
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => h.app.inject({ method: 'POST', url: REFERRALS_PATH, remoteAddress: nextIp(), payload, headers })),
      );
      expect(answers.map((a) => a.statusCode).sort()).toEqual([202, 401, 401, 401, 401]);
      expect((await snapshot()).leads).toBe(before.leads + 1);
    });

    it('should forget signatures after the window', async () => {
      h.clock.advance(601_000);
      expect((await send(validReferral())).statusCode).toBe(202);
      const rows = await h.db.selectFrom('partner_signatures').select('seen_at').execute();
      const oldest = Math.min(...rows.map((r) => Date.parse(r.seen_at)));
      expect(h.clock.now().getTime() - oldest).toBeLessThanOrEqual(600_000);
    });
  });

  describe('keys', () => {
    it('should refuse unknown, malformed and missing keys, and a partial set of headers', async () => {
      for (const keyId of ['0190aaaa-0000-7000-8000-000000000000', 'x', 'a'.repeat(65), 'key with space', "' OR 1=1 --"]) {
        await refused('PARTNER_AUTH_FAILED', `key ${keyId}`, () => send(validReferral(), {}, { keyId, secret: hospital.key.secret }));
      }
      for (const missing of ['x-lifeline-key', 'x-lifeline-timestamp', 'x-lifeline-signature']) {
        const payload = JSON.stringify(validReferral());
        const headers = signatureHeaders(hospital.key, payload, { now: h.clock.now() });
        delete headers[missing];
        await refused('PARTNER_AUTH_FAILED', `without ${missing}`, () =>
          h.app.inject({
            method: 'POST',
            url: REFERRALS_PATH,
            remoteAddress: nextIp(),
            payload,
            headers: { 'content-type': 'application/json', ...headers },
          }),
        );
      }
      await refused('UNAUTHENTICATED', 'no headers at all', () =>
        h.app.inject({ method: 'POST', url: REFERRALS_PATH, remoteAddress: nextIp(), payload: validReferral() }),
      );
    });

    it('should refuse a staff session in place of a signature', async () => {
      await refused('UNAUTHENTICATED', 'admin session', () =>
        admin.request({ method: 'POST', url: REFERRALS_PATH, payload: validReferral() }),
      );
    });

    it('should refuse a revoked key and the keys of a disabled partner', async () => {
      const revoked = await registerPartner(admin, { code: 'REVOKED', defaultBranchId: branches.EAST });
      await admin.request({ method: 'POST', url: `/api/v1/admin/partners/${revoked.partnerId}/keys/${revoked.key.keyId}/revoke` });
      await refused('PARTNER_AUTH_FAILED', 'revoked key', () => send(validReferral(), {}, revoked.key));

      const disabled = await registerPartner(admin, { code: 'DISABLED', defaultBranchId: branches.EAST });
      await admin.request({
        method: 'PATCH',
        url: `/api/v1/admin/partners/${disabled.partnerId}`,
        payload: { status: 'disabled' },
        headers: { 'if-match': '"1"' },
      });
      await refused('PARTNER_AUTH_FAILED', 'disabled partner', () => send(validReferral(), {}, disabled.key));
    });

    it('should refuse one partner’s key id with another partner’s secret', async () => {
      const other = await registerPartner(admin, { code: 'OTHERKEY', defaultBranchId: branches.EAST });
      await refused('PARTNER_AUTH_FAILED', 'crossed key and secret', () =>
        send(validReferral(), {}, { keyId: other.key.keyId, secret: hospital.key.secret }),
      );
    });

    it('should answer every failed check with the same problem', async () => {
      const answers = [
        await send(validReferral(), { secret: 'wrong' }),
        await send(validReferral(), { timestamp: now() + 1000 }),
        await send(validReferral(), {}, { keyId: 'unknown-key', secret: 'x' }),
      ];
      const bodies = answers.map((a) => ({ ...a.json<Record<string, unknown>>() }));
      expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    });
  });

  describe('bodies', () => {
    it('should answer malformed JSON, correctly signed, with 400 and store nothing', async () => {
      for (const payload of ['{"referralId":', '{referralId: 1}', "{'a':1}", '{"a":1}}', '\u0000', '{"a":1,}']) {
        await refused('MALFORMED_BODY', payload, () => send(payload));
      }
      for (const payload of ['null', '[]', '"text"', '42', 'true', '{}']) await refused('VALIDATION_FAILED', payload, () => send(payload));
      await refused('MALFORMED_BODY', 'proto pollution', () => send('{"__proto__":{"polluted":true},"referralId":"x"}'));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      await refused('MALFORMED_BODY', 'empty JSON body', () => send(''));
    });

    it('should answer a body over the limit with 413, signed or not, and store nothing', async () => {
      const huge = JSON.stringify(validReferral({ condition: { category: 'deep_coma', summary: 'x'.repeat(BODY_LIMIT) } }));
      await refused('PAYLOAD_TOO_LARGE', 'signed huge body', () => send(huge));
      await refused('PAYLOAD_TOO_LARGE', 'huge body, bad signature', () => send(huge, { secret: 'wrong' }));
      await refused('PAYLOAD_TOO_LARGE', 'a megabyte', () => send('x'.repeat(1024 * 1024)));
    });

    it('should answer another content type with 415 and store nothing', async () => {
      const payload = JSON.stringify(validReferral());
      for (const contentType of [
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'text/csv',
      ]) {
        await refused('UNSUPPORTED_MEDIA_TYPE', contentType, () => send(payload, { contentType }));
      }
      await refused('UNSUPPORTED_MEDIA_TYPE', 'no content type', () => send(payload, { contentType: null }));
    });

    it('should refuse unknown condition categories with 400 naming the field', async () => {
      for (const category of ['cancer', 'SEVERE_MALIGNANT_TUMOUR', '', 'severe_malignant_tumour ', '__proto__', 'x'.repeat(65)]) {
        const before = await snapshot();
        const res = await send(validReferral({ condition: { category, summary: '病情' } }));
        const problem = expectProblem(res, 'VALIDATION_FAILED');
        expect(
          problem.errors?.map((e) => e.path),
          category,
        ).toContain('body.condition.category');
        expect(await snapshot()).toEqual(before);
      }
      for (const category of CONDITION_CODES) {
        expect((await send(validReferral({ condition: { category, summary: '病情' } }))).statusCode, category).toBe(202);
      }
    });

    it('should refuse a referral without the share_with_bank consent with 422 CONSENT_REQUIRED and store nothing', async () => {
      for (const scope of [[], ['treatment'], ['share_with_insurer', 'research'], ['share_with_bank_staff']]) {
        await refused('CONSENT_REQUIRED', JSON.stringify(scope), () =>
          send(validReferral({ consent: { obtainedAt: '2026-11-25T08:00:00Z', scope, evidenceRef: 'C-1' } })),
        );
      }
      await refused('VALIDATION_FAILED', 'no consent at all', () => {
        const { consent: _none, ...rest } = validReferral();
        return send(rest);
      });
      await refused('VALIDATION_FAILED', 'consent in the future', () =>
        send(validReferral({ consent: { obtainedAt: '2027-01-01T00:00:00Z', scope: ['share_with_bank'], evidenceRef: 'C-1' } })),
      );
    });

    it('should refuse wrong types, unknown fields and bad dates field by field', async () => {
      const cases: [string, Record<string, unknown>, string][] = [
        ['unknown field', { extra: true }, 'body'],
        ['referralId number', { referralId: 42 }, 'body.referralId'],
        ['referralId with space', { referralId: 'a b' }, 'body.referralId'],
        ['patient null', { patient: null }, 'body.patient'],
        ['bad date of birth', { patient: { name: 'a', nationalId: '1', dateOfBirth: '1980-02-30' } }, 'body.patient.dateOfBirth'],
        ['future date of birth', { patient: { name: 'a', nationalId: '1', dateOfBirth: '2030-01-01' } }, 'body.patient.dateOfBirth'],
        ['control character', { patient: { name: 'a\u0000b', nationalId: '1', dateOfBirth: '1980-01-01' } }, 'body.patient.name'],
        ['bad icd10', { condition: { category: 'deep_coma', icd10: 'cancer', summary: 'x' } }, 'body.condition.icd10'],
        [
          'scope not a list',
          { consent: { obtainedAt: '2026-11-25T08:00:00Z', scope: 'share_with_bank', evidenceRef: 'C' } },
          'body.consent.scope',
        ],
        [
          'obtainedAt not an instant',
          { consent: { obtainedAt: 'yesterday', scope: ['share_with_bank'], evidenceRef: 'C' } },
          'body.consent.obtainedAt',
        ],
      ];
      for (const [what, over, path] of cases) {
        const before = await snapshot();
        const problem = expectProblem(await send(validReferral(over)), 'VALIDATION_FAILED');
        expect(
          problem.errors?.map((e) => e.path),
          what,
        ).toContain(path);
        expect(await snapshot(), what).toEqual(before);
      }
    });

    it('should answer any correctly signed JSON with 202 only when it is a valid referral, else a 4xx, and store exactly the accepted ones', async () => {
      const before = await snapshot();
      let accepted = 0;
      const arbitraries: fc.Arbitrary<string>[] = [fc.json(), fc.anything().map((v) => JSON.stringify(v) ?? 'null'), fc.string()];
      for (const arbitrary of arbitraries) {
        await fc.assert(
          fc.asyncProperty(arbitrary, async (payload) => {
            const res = await send(payload);
            expectNoServerError(res, payload.slice(0, 200));
            if (res.statusCode === 202) accepted += 1;
            else expect(res.statusCode, payload.slice(0, 200)).toBeGreaterThanOrEqual(400);
          }),
          { numRuns: 60 },
        );
      }
      expect(accepted).toBe(0);
      expect(await snapshot()).toEqual(before);
    }, 300_000);

    it('should accept nearly-valid generated referrals exactly when they are valid, one lead per new referral', async () => {
      const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
        fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: invalid });
      const referral = fc.record({
        referralId: mostly(fc.stringMatching(/^[A-Z]{2}-[0-9]{1,6}$/), fc.oneof(fc.string({ maxLength: 5 }), fc.integer())),
        patient: fc.record({
          name: mostly(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 10 })),
          nationalId: mostly(fc.stringMatching(/^[0-9]{17}[0-9X]$/), fc.constantFrom('', null, 42)),
          dateOfBirth: mostly(
            fc
              .date({ min: new Date('1920-01-01'), max: new Date('2020-12-31'), noInvalidDate: true })
              .map((d) => d.toISOString().slice(0, 10)),
            fc.constantFrom('1980-13-01', '80-01-01', '', '2999-01-01'),
          ),
        }),
        condition: fc.record(
          {
            category: mostly(fc.constantFrom(...CONDITION_CODES), fc.string({ maxLength: 12 })),
            icd10: mostly(fc.constantFrom('C34.1', 'I21', 'G30.9'), fc.string({ maxLength: 6 })),
            summary: mostly(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom('', '\u0000')),
          },
          { requiredKeys: ['category', 'summary'] },
        ),
        consent: fc.record({
          obtainedAt: mostly(fc.constant('2026-11-20T10:00:00Z'), fc.constantFrom('', 'now', '2026-11-20')),
          scope: mostly(
            fc.constant(['share_with_bank']),
            fc.uniqueArray(fc.constantFrom('share_with_bank', 'treatment', 'research'), { maxLength: 3 }),
          ),
          evidenceRef: mostly(fc.stringMatching(/^EV-[0-9]{1,5}$/), fc.constant('')),
        }),
      });
      const leadsBefore = await count('leads');
      const seen = new Map<string, string>();
      await fc.assert(
        fc.asyncProperty(referral, async (body) => {
          h.clock.advance(1000); // a fresh timestamp: no two sends share a signature
          const res = await send(body);
          expectNoServerError(res, JSON.stringify(body));
          const parsed = ReferralBody.safeParse(body);
          const valid =
            parsed.success &&
            parsed.data.consent.scope.includes('share_with_bank') &&
            parsed.data.patient.dateOfBirth <= h.clock.now().toISOString().slice(0, 10);
          expect(res.statusCode === 202, `${res.statusCode} ${res.body} ${JSON.stringify(body)}`).toBe(valid);
          if (res.statusCode === 202) {
            const { leadId } = res.json<{ leadId: string }>();
            const referralId = String(body.referralId);
            if (seen.has(referralId)) expect(leadId).toBe(seen.get(referralId));
            seen.set(referralId, leadId);
          } else {
            expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
            expect(res.statusCode, res.body).toBeLessThan(500);
          }
        }),
        { numRuns: 200 },
      );
      expect(seen.size).toBeGreaterThan(0);
      expect(await count('leads')).toBe(leadsBefore + seen.size);
    }, 300_000);
  });
});
