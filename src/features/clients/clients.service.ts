import { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { newId, randomToken } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import { API_KEY_PREFIX, type ApiKeyStore, type ApiScope, hashApiKey, isApiScope } from '../../platform/http/api-key-auth.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import {
  type ApiClientRecord,
  findActiveKeyByHash,
  findClientById,
  insertClient,
  insertKey,
  listClients,
  revokeKeyRow,
  setClientDisabled,
  touchKey,
} from './clients.repository.js';
import type { CreateClientInput } from './clients.schemas.js';

/** How many keys a client may hold at once: enough to rotate without a gap. */
export const MAX_ACTIVE_KEYS = 5;
/** Characters of a key kept to recognise it by (`llk_` and 8 of the secret's 43). */
const PREFIX_LENGTH = API_KEY_PREFIX.length + 8;

/** The scopes stored as JSON; anything not (or no longer) a scope is dropped, so it grants nothing. */
function scopesOf(json: string): ApiScope[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [];
  }
  return Array.isArray(value) ? value.filter((s): s is ApiScope => typeof s === 'string' && isApiScope(s)) : [];
}

/** The API view of a client: its keys' prefixes and state, never a key or its hash. */
export function toClientView(c: ApiClientRecord) {
  return {
    id: c.id,
    name: c.name,
    scopes: scopesOf(c.scopes),
    status: c.disabled_at === null ? ('active' as const) : ('disabled' as const),
    createdAt: c.created_at,
    disabledAt: c.disabled_at,
    keys: c.keys.map((k) => ({
      id: k.id,
      prefix: k.prefix,
      status: k.revoked_at === null ? ('active' as const) : ('revoked' as const),
      createdAt: k.created_at,
      revokedAt: k.revoked_at,
      lastUsedAt: k.last_used_at,
    })),
  };
}

async function getClient(db: Executor, id: string): Promise<ApiClientRecord> {
  const client = await findClientById(db, id);
  if (!client) throw new AppError('NOT_FOUND', 'no such API client');
  return client;
}

/** One client, or 404. */
export async function clientView(db: Executor, id: string) {
  return toClientView(await getClient(db, id));
}

const ClientCursor = z.object({ n: z.string() });

/** A page of clients ordered by name. */
export async function pageClients(db: Executor, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor, ClientCursor);
  const rows = await listClients(db, { afterName: after?.n, limit: q.limit + 1 });
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return { items: items.map(toClientView), nextCursor: rows.length > q.limit && last ? encodeCursor({ n: last.name }) : null };
}

/** Registers another bank system as an API client; it has no key until one is issued. */
export async function createClient(ctx: AppContext, db: Executor, actor: Actor, input: CreateClientInput) {
  const id = newId();
  const inserted = await insertClient(db, {
    id,
    name: input.name,
    scopes: JSON.stringify(input.scopes),
    created_by: actor.id,
    created_at: ctx.now().toISOString(),
    disabled_at: null,
  });
  if (!inserted) throw new AppError('CONFLICT', 'an API client of this name exists');
  await recordAudit(db, actor, {
    action: 'apiclient.created',
    target: { type: 'api_client', id },
    detail: { name: input.name, scopes: input.scopes },
  });
  return clientView(db, id);
}

/**
 * Disables or enables a client. A disabled client's keys stop working within the key cache's
 * lifetime (api-key-auth.ts); doing what is already done changes nothing and records nothing.
 */
export async function setClientStatus(ctx: AppContext, db: Executor, actor: Actor, id: string, status: 'active' | 'disabled') {
  await getClient(db, id);
  if (await setClientDisabled(db, id, status === 'disabled' ? ctx.now().toISOString() : null)) {
    await recordAudit(db, actor, {
      action: status === 'disabled' ? 'apiclient.disabled' : 'apiclient.enabled',
      target: { type: 'api_client', id },
    });
  }
  return clientView(db, id);
}

/**
 * Issues a key: `llk_` and 32 random bytes (base64url). Only its SHA-256 and its first characters
 * are stored; the key itself is in this answer only.
 */
export async function issueKey(ctx: AppContext, db: Executor, actor: Actor, clientId: string) {
  const client = await getClient(db, clientId);
  if (client.disabled_at !== null) throw new AppError('CONFLICT', 'the client is disabled; enable it first');
  if (client.keys.filter((k) => k.revoked_at === null).length >= MAX_ACTIVE_KEYS) {
    throw new AppError('CONFLICT', `a client holds at most ${MAX_ACTIVE_KEYS} active keys; revoke one first`);
  }
  const keyId = newId();
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  const prefix = key.slice(0, PREFIX_LENGTH);
  await insertKey(db, {
    id: keyId,
    client_id: clientId,
    key_hash: hashApiKey(key),
    prefix,
    created_by: actor.id,
    created_at: ctx.now().toISOString(),
    revoked_at: null,
    last_used_at: null,
  });
  await recordAudit(db, actor, { action: 'apiclient.key_issued', target: { type: 'api_client', id: clientId }, detail: { keyId, prefix } });
  return { keyId, prefix, key };
}

/** Revokes a key (effective within the key cache's lifetime); revoking a revoked key records nothing. */
export async function revokeKey(ctx: AppContext, db: Executor, actor: Actor, clientId: string, keyId: string) {
  const client = await getClient(db, clientId);
  const key = client.keys.find((k) => k.id === keyId);
  if (!key) throw new AppError('NOT_FOUND', 'no such key of this client');
  if (await revokeKeyRow(db, clientId, keyId, ctx.now().toISOString())) {
    await recordAudit(db, actor, {
      action: 'apiclient.key_revoked',
      target: { type: 'api_client', id: clientId },
      detail: { keyId, prefix: key.prefix },
    });
  }
  return clientView(db, clientId);
}

/** The clients feature's side of bearer-key authentication (platform/http/api-key-auth.ts). */
export function createApiKeyStore(ctx: AppContext): ApiKeyStore {
  return {
    async findActiveKey(keyHash) {
      const row = await findActiveKeyByHash(ctx.db, keyHash);
      return row ? { id: row.client_id, name: row.name, scopes: scopesOf(row.scopes), keyId: row.key_id } : undefined;
    },
    async recordKeyUse(keyId, at) {
      await touchKey(ctx.db, keyId, at.toISOString());
    },
  };
}
