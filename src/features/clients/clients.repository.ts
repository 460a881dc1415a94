import type { Executor } from '../../platform/db/database.js';
import type { ApiClientTable, ApiKeyTable } from '../../platform/db/tables/clients.js';

/** A key as admins see it: never its hash. */
export type ApiKeyRow = Omit<ApiKeyTable, 'key_hash'>;

/** A client with its keys. */
export interface ApiClientRecord extends ApiClientTable {
  keys: ApiKeyRow[];
}

const KEY_COLUMNS = ['id', 'client_id', 'prefix', 'created_by', 'created_at', 'revoked_at', 'last_used_at'] as const;

async function withKeys(db: Executor, rows: ApiClientTable[]): Promise<ApiClientRecord[]> {
  if (rows.length === 0) return [];
  const keys = await db
    .selectFrom('api_keys')
    .select(KEY_COLUMNS)
    .where(
      'client_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, keys: keys.filter((k) => k.client_id === r.id) }));
}

export async function findClientById(db: Executor, id: string): Promise<ApiClientRecord | undefined> {
  const row = await db.selectFrom('api_clients').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withKeys(db, [row]))[0] : undefined;
}

/** Clients ordered by name, after `afterName`. */
export async function listClients(db: Executor, q: { afterName?: string; limit: number }): Promise<ApiClientRecord[]> {
  let query = db.selectFrom('api_clients').selectAll();
  if (q.afterName !== undefined) query = query.where('name', '>', q.afterName);
  return withKeys(db, await query.orderBy('name').limit(q.limit).execute());
}

/** Inserts a client; false when its name is taken (also by a concurrent request). */
export async function insertClient(db: Executor, row: ApiClientTable): Promise<boolean> {
  const result = await db
    .insertInto('api_clients')
    .values(row)
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Disables (`at`) or enables (null) a client; false when it already was. */
export async function setClientDisabled(db: Executor, id: string, at: string | null): Promise<boolean> {
  const result = await db
    .updateTable('api_clients')
    .set({ disabled_at: at })
    .where('id', '=', id)
    .where('disabled_at', at === null ? 'is not' : 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertKey(db: Executor, row: ApiKeyTable): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

/** Marks a key revoked; false when it was already. */
export async function revokeKeyRow(db: Executor, clientId: string, keyId: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('id', '=', keyId)
    .where('client_id', '=', clientId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A key that is not revoked, of a client that is not disabled, by the key's hash. */
export async function findActiveKeyByHash(db: Executor, keyHash: string) {
  return db
    .selectFrom('api_keys')
    .innerJoin('api_clients', 'api_clients.id', 'api_keys.client_id')
    .select(['api_keys.id as key_id', 'api_clients.id as client_id', 'api_clients.name', 'api_clients.scopes'])
    .where('api_keys.key_hash', '=', keyHash)
    .where('api_keys.revoked_at', 'is', null)
    .where('api_clients.disabled_at', 'is', null)
    .executeTakeFirst();
}

export async function touchKey(db: Executor, keyId: string, at: string): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', keyId).execute();
}
