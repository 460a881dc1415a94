import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Executor } from '../db/database.js';
import { AppError } from './errors.js';

/**
 * HMAC authentication of partner systems (API.md "Partner hospitals", docs/partner-api.md):
 * `X-Lifeline-Signature` = hex HMAC-SHA256(secret, timestamp \n method \n path \n hex(SHA-256(raw body))).
 * The checks run in three steps of a partner route's pipeline (route.ts): the headers, the clock
 * and the key before the body is read; the signature over the raw body once it is read; and the
 * replay check in the route's own transaction, so that a refused request stores nothing.
 */

/** How far a request's timestamp may be from the server clock. */
export const PARTNER_CLOCK_SKEW_SECONDS = 300;
/** How long an accepted signature is remembered; covers every instant at which it could still pass the clock check. */
export const PARTNER_REPLAY_WINDOW_SECONDS = 2 * PARTNER_CLOCK_SKEW_SECONDS;

/** The authenticated partner of a request: who, with which key. */
export interface PartnerPrincipal {
  readonly partnerId: string;
  readonly code: string;
  readonly name: string;
  readonly defaultBranchId: string;
  readonly keyId: string;
}

/** What the platform needs from the partners feature; app.ts wires the feature's implementation in. */
export interface PartnerKeyStore {
  /** The key with its partner and secret, only when the key is active and the partner too. */
  findActiveKey(keyId: string): Promise<{ principal: PartnerPrincipal; secret: string } | undefined>;
  /**
   * Remembers an accepted signature in the request's transaction, forgets expired ones and marks
   * the key used; false when the signature was already seen (a replay).
   */
  recordSignature(db: Executor, principal: PartnerPrincipal, signatureHash: string, now: Date): Promise<boolean>;
}

/** Hex SHA-256 of the raw body: the last line of the signed text. */
export function bodyDigest(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

/** The text a partner signs: timestamp, method, path and body digest, one per line. */
export function signingString(timestamp: string, method: string, path: string, body: Uint8Array): string {
  return `${timestamp}\n${method}\n${path}\n${bodyDigest(body)}`;
}

/** The hex HMAC-SHA256 signature of a request; the secret's UTF-8 bytes are the key. */
export function signRequest(secret: string, timestamp: string, method: string, path: string, body: Uint8Array): string {
  return createHmac('sha256', secret)
    .update(signingString(timestamp, method, path, body), 'utf8')
    .digest('hex');
}

/** Compares two hex signatures in constant time (for equal lengths); case-insensitive. */
export function signaturesEqual(expectedHex: string, sentHex: string): boolean {
  const a = Buffer.from(expectedHex.toLowerCase(), 'utf8');
  const b = Buffer.from(sentHex.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when the header is a plain count of Unix seconds within the allowed skew of `now`. */
export function timestampAcceptable(header: string, now: Date): boolean {
  if (!/^\d{1,12}$/.test(header)) return false;
  return Math.abs(Number(header) - now.getTime() / 1000) <= PARTNER_CLOCK_SKEW_SECONDS;
}

/** What is remembered of a request between its three checks. */
interface Pending {
  readonly principal: PartnerPrincipal;
  readonly secret: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly store: PartnerKeyStore;
}

const pending = new WeakMap<FastifyRequest, Pending>();
const rawBodies = new WeakMap<FastifyRequest, Buffer>();
const verified = new WeakMap<FastifyRequest, { principal: PartnerPrincipal; signatureHash: string; store: PartnerKeyStore }>();

const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SIGNATURE = /^[0-9a-fA-F]{64}$/;

/** The one answer to every failed partner check, so a caller learns nothing about which one failed. */
function refuse(req: FastifyRequest, reason: string): never {
  req.log.warn({ reason }, 'partner request refused');
  throw new AppError(
    'PARTNER_AUTH_FAILED',
    'the request is not signed with an active partner key, or its timestamp or signature is not accepted',
  );
}

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * First step, before the body is read: the headers, the clock and the key. No header at all is
 * 401 `UNAUTHENTICATED` like any anonymous call; anything else wrong is `PARTNER_AUTH_FAILED`.
 */
export async function authenticatePartnerHeaders(req: FastifyRequest, store: PartnerKeyStore | undefined, now: Date): Promise<void> {
  const names = ['x-lifeline-key', 'x-lifeline-timestamp', 'x-lifeline-signature'];
  if (names.every((n) => req.headers[n] === undefined)) throw new AppError('UNAUTHENTICATED');
  const keyId = header(req, 'x-lifeline-key');
  const timestamp = header(req, 'x-lifeline-timestamp');
  const signature = header(req, 'x-lifeline-signature');
  if (keyId === undefined || timestamp === undefined || signature === undefined) refuse(req, 'missing or repeated header');
  if (!KEY_ID.test(keyId) || !SIGNATURE.test(signature)) refuse(req, 'malformed key id or signature');
  if (!timestampAcceptable(timestamp, now)) refuse(req, 'timestamp outside the allowed skew');
  if (!store) refuse(req, 'no partner key store');
  const key = await store.findActiveKey(keyId);
  if (!key) refuse(req, 'unknown or inactive key');
  pending.set(req, { principal: key.principal, secret: key.secret, timestamp, signature: signature.toLowerCase(), store });
}

/** The key id of a request that passed the first step, for per-key rate limits. */
export function pendingPartnerKeyId(req: FastifyRequest): string | undefined {
  return pending.get(req)?.principal.keyId;
}

/** The path a partner signs: the request target up to any query string, exactly as sent. */
export function signedPath(req: FastifyRequest): string {
  const url = req.raw.url ?? req.url;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Second step, once the raw body is read: the signature. Sets `req.partner`. */
export async function verifyPartnerSignature(req: FastifyRequest): Promise<void> {
  const p = pending.get(req);
  pending.delete(req);
  if (!p) refuse(req, 'headers not checked');
  const body = rawBodies.get(req) ?? Buffer.alloc(0);
  const expected = signRequest(p.secret, p.timestamp, req.method, signedPath(req), body);
  if (!signaturesEqual(expected, p.signature)) refuse(req, 'bad signature');
  const signatureHash = createHash('sha256').update(`${p.principal.keyId}|${p.signature}`).digest('hex');
  verified.set(req, { principal: p.principal, signatureHash, store: p.store });
  req.partner = p.principal;
}

/** Third step, in the route's transaction: a signature is accepted once. */
export async function recordPartnerSignature(db: Executor, req: FastifyRequest, now: Date): Promise<void> {
  const v = verified.get(req);
  if (!v) refuse(req, 'signature not verified');
  if (!(await v.store.recordSignature(db, v.principal, v.signatureHash, now))) refuse(req, 'replayed signature');
}

/**
 * Makes the JSON parser of a scope keep the raw bytes it parses, for the signature: the
 * signature covers the body exactly as sent, which re-serialising parsed JSON would not give.
 * Parsing itself stays Fastify's (prototype-poisoning checks, body limit, content length).
 */
export function keepRawJsonBodies(scope: FastifyInstance): void {
  const json = scope.getDefaultJsonParser('error', 'error');
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    // parseAs 'buffer' hands over a Buffer; the type covers the string form of other parsers.
    const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    rawBodies.set(req, raw);
    json(req, raw.toString('utf8'), done);
  });
}
