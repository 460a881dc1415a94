import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

/**
 * Bearer-key authentication of other bank systems (docs/decisions-api.md "API clients"): a route
 * that declares `apiKey: <scope>` accepts `Authorization: Bearer <key>` instead of a session. The
 * key is looked up by its SHA-256 (the database keeps nothing else of it); the client must be
 * enabled, the key not revoked, and the client must hold the route's scope. Every failure is the
 * same 401, so a caller cannot tell an unknown key from a revoked one or a missing scope.
 */

/** What a client may be allowed to do; each route with `apiKey` names the one it needs. */
export const API_SCOPES = [
  'transactions:ingest',
  'transactions:decide',
  'waivers:read',
  'priority:read',
  'collection:read',
  'loans:write',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** True when the text is one of API_SCOPES. */
export function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as readonly string[]).includes(value);
}

/** The authenticated client of a request, and the key it used. */
export interface ApiClientPrincipal {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly ApiScope[];
  readonly keyId: string;
}

/** What the platform needs from the clients feature; app.ts wires the feature's implementation in. */
export interface ApiKeyStore {
  /** The key with its client, only when the key is not revoked and the client not disabled. */
  findActiveKey(keyHash: string): Promise<ApiClientPrincipal | undefined>;
  /** Records that a key was used (`last_used_at`). */
  recordKeyUse(keyId: string, at: Date): Promise<void>;
}

/** Every key starts with this, so that a leaked one is recognisable (secret scanners, logs). */
export const API_KEY_PREFIX = 'llk_';
/** How long a looked-up key is trusted without asking the database again: revocation takes effect within it. */
export const API_KEY_CACHE_MS = 10_000;
/** `last_used_at` is written at most this often per key and process. */
export const API_KEY_TOUCH_MS = 60_000;
/** Beyond this many cached keys the cache starts afresh: bounded memory whatever callers send. */
const MAX_CACHED_KEYS = 10_000;

const KEY_SHAPE = /^llk_[A-Za-z0-9_-]{16,128}$/;

/** Hex SHA-256 of a key: what is stored and looked up. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** True when the request carries an Authorization header (of any scheme): then it must authenticate by key. */
export function hasAuthorization(req: FastifyRequest): boolean {
  return req.headers.authorization !== undefined;
}

/** The refusal of every failed key check, with the RFC 6750 challenge. */
function refuse(req: FastifyRequest, reason: string): never {
  req.log.warn({ reason }, 'api key refused');
  throw new AppError('API_KEY_REJECTED', 'the bearer key is not accepted for this request', {
    headers: { 'www-authenticate': 'Bearer realm="lifeline", error="invalid_token"' },
  });
}

/** Authenticates bearer keys against the store, through a short in-process cache. */
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, { principal: ApiClientPrincipal; until: number }>();
  private readonly lastTouch = new Map<string, number>();
  private readonly hashes = new WeakMap<FastifyRequest, string | null>();

  constructor(
    private readonly store: ApiKeyStore | undefined,
    private readonly now: () => Date,
  ) {}

  /** The hash of the request's well-formed bearer key, computed once per request; null when there is none. */
  private hashOf(req: FastifyRequest): string | null {
    const known = this.hashes.get(req);
    if (known !== undefined) return known;
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer +(\S+) *$/i.exec(header) : null;
    const key = match?.[1];
    const hash = key !== undefined && KEY_SHAPE.test(key) ? hashApiKey(key) : null;
    this.hashes.set(req, hash);
    return hash;
  }

  private cached(hash: string, at: number): ApiClientPrincipal | undefined {
    const hit = this.cache.get(hash);
    if (!hit) return undefined;
    if (hit.until > at) return hit.principal;
    this.cache.delete(hash);
    return undefined;
  }

  /**
   * The key id of a request whose key was recently accepted and holds the scope, without any
   * I/O: such requests are rate-limited per key rather than per address (route.ts).
   */
  recentKeyId(req: FastifyRequest, scope: ApiScope): string | undefined {
    const hash = this.hashOf(req);
    const principal = hash === null ? undefined : this.cached(hash, this.now().getTime());
    return principal?.scopes.includes(scope) ? principal.keyId : undefined;
  }

  /** The client of a request with `Authorization: Bearer <key>` that holds the scope, or a 401. */
  async authenticate(req: FastifyRequest, scope: ApiScope): Promise<ApiClientPrincipal> {
    const hash = this.hashOf(req);
    if (hash === null) refuse(req, 'no well-formed bearer key');
    const at = this.now().getTime();
    let principal = this.cached(hash, at);
    if (!principal) {
      if (!this.store) refuse(req, 'no api key store');
      principal = await this.store.findActiveKey(hash);
      if (!principal) refuse(req, 'unknown, revoked or disabled');
      if (this.cache.size >= MAX_CACHED_KEYS) this.cache.clear();
      this.cache.set(hash, { principal, until: at + API_KEY_CACHE_MS });
    }
    if (!principal.scopes.includes(scope)) refuse(req, `scope ${scope} missing`);
    await this.touch(req, principal.keyId, at);
    return principal;
  }

  private async touch(req: FastifyRequest, keyId: string, at: number): Promise<void> {
    if (!this.store || at - (this.lastTouch.get(keyId) ?? Number.NEGATIVE_INFINITY) < API_KEY_TOUCH_MS) return;
    if (this.lastTouch.size >= MAX_CACHED_KEYS) this.lastTouch.clear();
    this.lastTouch.set(keyId, at);
    try {
      await this.store.recordKeyUse(keyId, new Date(at));
    } catch (err) {
      // A busy database must not turn an accepted request away for a bookkeeping write.
      req.log.warn({ err }, 'could not record api key use');
    }
  }
}
