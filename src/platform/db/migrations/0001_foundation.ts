import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';

/** Staff, sessions, customer master data, transactions, audit trail and key metadata. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('branches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('roles')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('staff')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('totp_secret_enc', 'text')
    .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('totp_last_step', t.bigint)
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('staff_roles')
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().references('roles.name'))
    .addPrimaryKeyConstraint('staff_roles_pk', ['staff_id', 'role'])
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id').onDelete('cascade'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('last_seen_at', t.instant, (c) => c.notNull())
    .addColumn('expires_at', t.instant, (c) => c.notNull())
    .addColumn('revoked_at', t.instant)
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_staff_idx').on('sessions').column('staff_id').execute();

  await db.schema
    .createTable('login_failures')
    .addColumn('username', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('first_failed_at', t.instant, (c) => c.notNull())
    .addColumn('locked_until', t.instant)
    .execute();

  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_number', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('gender', 'text', (c) => c.notNull())
    .addColumn('date_of_birth', t.date)
    .addColumn('national_id_enc', 'text')
    .addColumn('national_id_bidx', 'text')
    .addColumn('phone_enc', 'text')
    .addColumn('phone_bidx', 'text')
    .addColumn('address_enc', 'text')
    .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
    .addColumn('segment', 'text', (c) => c.notNull())
    .addColumn('opened_on', t.date)
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('customers_national_id_bidx').on('customers').column('national_id_bidx').execute();
  await db.schema.createIndex('customers_phone_bidx').on('customers').column('phone_bidx').execute();
  await db.schema.createIndex('customers_name_idx').on('customers').column('name').execute();
  await db.schema.createIndex('customers_branch_idx').on('customers').column('branch_id').execute();

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_number', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('balance_minor', t.bigint, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('opened_on', t.date, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('accounts_customer_idx').on('accounts').column('customer_id').execute();

  await db.schema
    .createTable('loans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('loan_number', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('principal_minor', t.bigint, (c) => c.notNull())
    .addColumn('outstanding_minor', t.bigint, (c) => c.notNull())
    .addColumn('interest_rate_bp', 'integer', (c) => c.notNull())
    .addColumn('instalment_minor', t.bigint, (c) => c.notNull())
    .addColumn('start_date', t.date, (c) => c.notNull())
    .addColumn('maturity_date', t.date, (c) => c.notNull())
    .addColumn('next_payment_date', t.date)
    .addColumn('days_past_due', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('loans_customer_idx').on('loans').column('customer_id').execute();

  await db.schema
    .createTable('holdings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('holding_ref', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('product_code', 'text', (c) => c.notNull())
    .addColumn('product_name', 'text', (c) => c.notNull())
    .addColumn('risk_level', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('market_value_minor', t.bigint, (c) => c.notNull())
    .addColumn('acquired_on', t.date, (c) => c.notNull())
    .addColumn('maturity_date', t.date)
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('holdings_customer_idx').on('holdings').column('customer_id').execute();

  await db.schema
    .createTable('transactions')
    .addColumn('txn_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('customer_number', 'text', (c) => c.notNull())
    .addColumn('booked_at', t.instant, (c) => c.notNull())
    .addColumn('amount_minor', t.bigint, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('counterparty_name', 'text')
    .addColumn('counterparty_account', 'text')
    .addColumn('mcc', 'text')
    .addColumn('description', 'text')
    .addColumn('ingested_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('transactions_customer_booked_idx').on('transactions').columns(['customer_number', 'booked_at']).execute();
  await db.schema.createIndex('transactions_account_booked_idx').on('transactions').columns(['account_id', 'booked_at']).execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('seq', t.bigint, (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('occurred_at', t.instant, (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_username', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('branch_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_events_target_idx').on('audit_events').columns(['target_type', 'target_id']).execute();
  await db.schema.createIndex('audit_events_actor_idx').on('audit_events').column('actor_id').execute();

  if (t.dialect === 'postgres') {
    // The audit trail is append-only (P5.4): the database itself refuses to edit or delete it.
    await sql`CREATE OR REPLACE FUNCTION lifeline_audit_append_only() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'audit_events is append-only'; END; $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION lifeline_audit_append_only()`.execute(db);
  }

  await db.schema
    .createTable('encryption_keys')
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addPrimaryKeyConstraint('encryption_keys_pk', ['purpose', 'version'])
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('body_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['actor_id', 'route', 'key'])
    .execute();
}

/** Migrations only move forward in production; down exists for development resets. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'idempotency_keys',
    'encryption_keys',
    'audit_events',
    'transactions',
    'holdings',
    'loans',
    'accounts',
    'customers',
    'login_failures',
    'sessions',
    'staff_roles',
    'staff',
    'roles',
    'branches',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
