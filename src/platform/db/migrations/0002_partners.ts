import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';

/** Issue 3: partner hospitals, their API keys, seen signatures (replay guard) and referrals. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('partners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('default_branch_id', 'text', (c) => c.notNull().references('branches.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('partner_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('revoked_at', t.instant)
    .addColumn('last_used_at', t.instant)
    .execute();
  await db.schema.createIndex('partner_keys_partner_idx').on('partner_keys').column('partner_id').execute();

  await db.schema
    .createTable('partner_signatures')
    .addColumn('signature_hash', 'text', (c) => c.primaryKey())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('seen_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('partner_signatures_seen_idx').on('partner_signatures').column('seen_at').execute();

  await db.schema
    .createTable('partner_referrals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('referral_id', 'text', (c) => c.notNull())
    .addColumn('lead_id', 'text')
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('received_at', t.instant, (c) => c.notNull())
    .addUniqueConstraint('partner_referrals_partner_referral_uq', ['partner_id', 'referral_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('partner_referrals').ifExists().execute();
  await db.schema.dropTable('partner_signatures').ifExists().execute();
  await db.schema.dropTable('partner_keys').ifExists().execute();
  await db.schema.dropTable('partners').ifExists().execute();
}
