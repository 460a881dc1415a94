import type { Executor } from '../db/database.js';
import type { EncryptionKeyTable } from '../db/tables/platform.js';

export async function listKeyMetadata(db: Executor): Promise<EncryptionKeyTable[]> {
  return db.selectFrom('encryption_keys').selectAll().orderBy('purpose').orderBy('version').execute();
}

export async function insertKeyMetadata(db: Executor, row: EncryptionKeyTable): Promise<void> {
  await db
    .insertInto('encryption_keys')
    .values(row)
    .onConflict((oc) => oc.columns(['purpose', 'version']).doNothing())
    .execute();
}

/** Marks every data key but the active one retired. */
export async function setActiveDataKey(db: Executor, version: number): Promise<void> {
  await db
    .updateTable('encryption_keys')
    .set({ status: 'retired' })
    .where('purpose', '=', 'data')
    .where('version', '!=', version)
    .execute();
  await db.updateTable('encryption_keys').set({ status: 'active' }).where('purpose', '=', 'data').where('version', '=', version).execute();
}
