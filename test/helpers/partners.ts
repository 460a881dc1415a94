import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { signRequest } from '../../src/platform/http/partner-auth.js';
import type { Session } from './factories.js';
import type { Harness } from './harness.js';

export const REFERRALS_PATH = '/api/v1/partner/referrals';

/** A partner's key as the admin API hands it out once. */
export interface PartnerKey {
  keyId: string;
  secret: string;
}

/** Registers a partner through the admin API and issues it a key. */
export async function registerPartner(
  admin: Session,
  opts: { code: string; name?: string; defaultBranchId: string },
): Promise<{ partnerId: string; key: PartnerKey }> {
  const created = await admin.request({
    method: 'POST',
    url: '/api/v1/admin/partners',
    payload: { code: opts.code, name: opts.name ?? `${opts.code} 医院`, defaultBranchId: opts.defaultBranchId },
  });
  expect(created.statusCode, created.body).toBe(201);
  const partnerId = created.json<{ id: string }>().id;
  return { partnerId, key: await issuePartnerKey(admin, partnerId) };
}

/** Issues one more key to a partner. */
export async function issuePartnerKey(admin: Session, partnerId: string): Promise<PartnerKey> {
  const res = await admin.request({ method: 'POST', url: `/api/v1/admin/partners/${partnerId}/keys` });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<PartnerKey>();
}

let referralCounter = 0;

/** A valid referral body (API.md "Partner hospitals"), with a fresh referralId. */
export function validReferral(over: Record<string, unknown> = {}): Record<string, unknown> {
  referralCounter += 1;
  return {
    referralId: `REF-${process.pid}-${referralCounter}`,
    patient: { name: '赵 病人', nationalId: '110101198001011234', dateOfBirth: '1980-01-01', phone: '13800000000' },
    condition: { category: 'severe_malignant_tumour', icd10: 'C34.1', diagnosedOn: '2026-11-20', summary: '肺癌，已住院治疗' },
    consent: { obtainedAt: '2026-11-25T08:00:00Z', scope: ['share_with_bank'], evidenceRef: 'CONSENT-2026-0001' },
    ...over,
  };
}

/** How to bend one signed request, for the tests that must be refused. */
export interface SignOptions {
  /** Unix seconds as sent; default the harness clock. */
  timestamp?: string | number;
  /** What is signed when it differs from what is sent. */
  signedMethod?: string;
  signedPath?: string;
  signedBody?: string | Buffer;
  signedTimestamp?: string;
  /** Sign with another secret. */
  secret?: string;
  /** Replace the signature as sent. */
  signature?: (real: string) => string;
  method?: 'POST' | 'PUT' | 'GET';
  url?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
  remoteAddress?: string;
}

/** The three authentication headers of a request signed with the key. */
export function signatureHeaders(key: PartnerKey, body: string | Buffer, opts: SignOptions & { now: Date }): Record<string, string> {
  const timestamp = String(opts.timestamp ?? Math.floor(opts.now.getTime() / 1000));
  const bodyBytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const signedBody = opts.signedBody === undefined ? bodyBytes : Buffer.from(opts.signedBody);
  const real = signRequest(
    opts.secret ?? key.secret,
    opts.signedTimestamp ?? timestamp,
    opts.signedMethod ?? opts.method ?? 'POST',
    opts.signedPath ?? (opts.url ?? REFERRALS_PATH).split('?')[0] ?? '',
    signedBody,
  );
  return {
    'x-lifeline-key': key.keyId,
    'x-lifeline-timestamp': timestamp,
    'x-lifeline-signature': opts.signature ? opts.signature(real) : real,
  };
}

/** Sends a body (an object is JSON-encoded) to the referral API, signed with the key. */
export function sendReferral(h: Harness, key: PartnerKey, body: unknown, opts: SignOptions = {}): Promise<LightMyRequestResponse> {
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const contentType = opts.contentType === undefined ? 'application/json' : opts.contentType;
  return h.app.inject({
    method: opts.method ?? 'POST',
    url: opts.url ?? REFERRALS_PATH,
    ...(opts.remoteAddress ? { remoteAddress: opts.remoteAddress } : {}),
    payload,
    headers: {
      ...(contentType === null ? {} : { 'content-type': contentType }),
      ...signatureHeaders(key, payload, { ...opts, now: h.clock.now() }),
      ...(opts.headers ?? {}),
    },
  });
}
