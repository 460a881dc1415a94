import type { Executor } from '../db/database.js';
import { type Keys, KeyError, fingerprint } from './keyring.js';
import { insertKeyMetadata, listKeyMetadata, setActiveDataKey } from './key-metadata.repository.js';

/**
 * Records the fingerprints of the loaded keys and refuses keys that do not match the ones the
 * database was encrypted with: a wrong key file must stop the start, not garble data later.
 */
export async function reconcileKeyMetadata(db: Executor, keys: Keys, now = new Date()): Promise<void> {
  const known = await listKeyMetadata(db);
  const loaded = [
    ...[...keys.data].map(([version, key]) => ({ purpose: 'data' as const, version, fp: fingerprint(key) })),
    { purpose: 'index' as const, version: keys.index.version, fp: fingerprint(keys.index.key) },
  ];
  for (const k of known) {
    const match = loaded.find((l) => l.purpose === k.purpose && l.version === k.version);
    if (!match) throw new KeyError(`the ${k.purpose} key version ${k.version} used by this database is missing from the keys`);
    if (match.fp !== k.fingerprint)
      throw new KeyError(`the ${k.purpose} key version ${k.version} does not match this database (wrong key file?)`);
  }
  for (const l of loaded) {
    await insertKeyMetadata(db, {
      purpose: l.purpose,
      version: l.version,
      fingerprint: l.fp,
      status: l.purpose === 'index' || l.version === keys.activeVersion ? 'active' : 'retired',
      created_at: now.toISOString(),
    });
  }
  await setActiveDataKey(db, keys.activeVersion);
}
