import type { Executor } from '../db/database.js';
import type { IdempotencyKeyTable } from '../db/tables/platform.js';

export async function findIdempotencyRecord(
  db: Executor,
  actorId: string,
  route: string,
  key: string,
): Promise<IdempotencyKeyTable | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('actor_id', '=', actorId)
    .where('route', '=', route)
    .where('key', '=', key)
    .executeTakeFirst();
}

/** Stores the first answer to a key; false when another request stored one first. */
export async function insertIdempotencyRecord(db: Executor, row: IdempotencyKeyTable): Promise<boolean> {
  const result = await db
    .insertInto('idempotency_keys')
    .values(row)
    .onConflict((oc) => oc.columns(['actor_id', 'route', 'key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}
