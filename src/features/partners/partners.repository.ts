import type { Executor } from '../../platform/db/database.js';
import type { PartnerKeyTable, PartnerReferralTable, PartnerTable } from '../../platform/db/tables/partners.js';

/** A partner with its keys' metadata (never their secrets). */
export interface PartnerRecord extends PartnerTable {
  keys: Omit<PartnerKeyTable, 'secret_enc'>[];
}

const KEY_COLUMNS = ['id', 'partner_id', 'status', 'created_at', 'created_by', 'revoked_at', 'last_used_at'] as const;

async function withKeys(db: Executor, rows: PartnerTable[]): Promise<PartnerRecord[]> {
  if (rows.length === 0) return [];
  const keys = await db
    .selectFrom('partner_keys')
    .select(KEY_COLUMNS)
    .where(
      'partner_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, keys: keys.filter((k) => k.partner_id === r.id) }));
}

export async function findPartnerById(db: Executor, id: string): Promise<PartnerRecord | undefined> {
  const row = await db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withKeys(db, [row]))[0] : undefined;
}

export async function findPartnerByCode(db: Executor, code: string): Promise<PartnerTable | undefined> {
  return db.selectFrom('partners').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Partners ordered by code, after `afterCode`. */
export async function listPartners(db: Executor, q: { afterCode?: string; limit: number }): Promise<PartnerRecord[]> {
  let query = db.selectFrom('partners').selectAll();
  if (q.afterCode !== undefined) query = query.where('code', '>', q.afterCode);
  return withKeys(db, await query.orderBy('code').limit(q.limit).execute());
}

/** Inserts a partner; false when its code is taken (also by a concurrent request). */
export async function insertPartner(db: Executor, row: PartnerTable): Promise<boolean> {
  const result = await db
    .insertInto('partners')
    .values(row)
    .onConflict((oc) => oc.column('code').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Updates a partner if it still has `expectedVersion`; false when someone else changed it first. */
export async function updatePartner(
  db: Executor,
  id: string,
  expectedVersion: number,
  changes: Partial<Pick<PartnerTable, 'name' | 'default_branch_id' | 'status' | 'updated_at'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('partners')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertPartnerKey(db: Executor, row: PartnerKeyTable): Promise<void> {
  await db.insertInto('partner_keys').values(row).execute();
}

/** Marks a key revoked; false when it was not active. */
export async function revokePartnerKey(db: Executor, partnerId: string, keyId: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('partner_keys')
    .set({ status: 'revoked', revoked_at: now })
    .where('id', '=', keyId)
    .where('partner_id', '=', partnerId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** An active key of an active partner, with the ciphertext of its secret. */
export async function findActiveKey(db: Executor, keyId: string) {
  return db
    .selectFrom('partner_keys')
    .innerJoin('partners', 'partners.id', 'partner_keys.partner_id')
    .select([
      'partner_keys.id as key_id',
      'partner_keys.secret_enc',
      'partners.id as partner_id',
      'partners.code',
      'partners.name',
      'partners.default_branch_id',
    ])
    .where('partner_keys.id', '=', keyId)
    .where('partner_keys.status', '=', 'active')
    .where('partners.status', '=', 'active')
    .executeTakeFirst();
}

/** Remembers a signature; false when it is already remembered (a replay). */
export async function insertSignature(db: Executor, row: { signature_hash: string; key_id: string; seen_at: string }): Promise<boolean> {
  const result = await db
    .insertInto('partner_signatures')
    .values(row)
    .onConflict((oc) => oc.column('signature_hash').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Forgets signatures seen before `before`. */
export async function pruneSignatures(db: Executor, before: string): Promise<void> {
  await db.deleteFrom('partner_signatures').where('seen_at', '<', before).execute();
}

export async function touchPartnerKey(db: Executor, keyId: string, now: string): Promise<void> {
  await db.updateTable('partner_keys').set({ last_used_at: now }).where('id', '=', keyId).execute();
}

/**
 * Claims a referral id of a partner; false when it was claimed before. On PostgreSQL a concurrent
 * claim of the same id waits for the first transaction and then finds it claimed.
 */
export async function claimReferral(db: Executor, row: PartnerReferralTable): Promise<boolean> {
  const result = await db
    .insertInto('partner_referrals')
    .values(row)
    .onConflict((oc) => oc.columns(['partner_id', 'referral_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function findReferral(db: Executor, partnerId: string, referralId: string): Promise<PartnerReferralTable | undefined> {
  return db
    .selectFrom('partner_referrals')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('referral_id', '=', referralId)
    .executeTakeFirst();
}

export async function setReferralLead(db: Executor, id: string, leadId: string): Promise<void> {
  await db.updateTable('partner_referrals').set({ lead_id: leadId }).where('id', '=', id).execute();
}
