import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Issue 5, P2.2.3 and P7.2: transaction batches and their bad rows, the engine's per-customer
 * state, versioned rule sets, fund-safety alerts, and the API clients (core banking, payment
 * systems) that send transactions and ask for decisions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const bytes = t.dialect === 'postgres' ? 'bytea' : 'blob';

  await db.schema
    .createTable('transaction_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('bytes_total', t.bigint)
    .addColumn('bytes_read', t.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('rows', t.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('inserted', t.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('duplicates', t.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('bad_rows', t.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('leads', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alerts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('client_id', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addColumn('finished_at', t.instant)
    .execute();
  await db.schema.createIndex('transaction_batches_created_idx').on('transaction_batches').columns(['created_at', 'id']).execute();
  await db.schema
    .createTable('transaction_batch_errors')
    .addColumn('batch_id', 'text', (c) => c.notNull().references('transaction_batches.id'))
    .addColumn('line', t.bigint, (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('transaction_batch_errors_pk', ['batch_id', 'line'])
    .execute();

  await db.schema
    .createTable('analysis_states')
    .addColumn('customer_number', 'text', (c) => c.primaryKey())
    .addColumn('record', bytes, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('rule_sets')
    .addColumn('version', 'text', (c) => c.primaryKey())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('activated_by', 'text')
    .addColumn('activated_at', t.instant)
    .execute();
  // At most one active rule set, even when two supervisors activate at once (the loser gets 409).
  await db.schema
    .createIndex('rule_sets_one_active_idx')
    .on('rule_sets')
    .column('status')
    .unique()
    .where('status', '=', 'active')
    .execute();

  await db.schema
    .createTable('fund_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dedup_key', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('customer_number', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('flagged_txn_id', 'text', (c) => c.notNull())
    .addColumn('flagged_at', t.instant, (c) => c.notNull())
    .addColumn('flagged_amount_minor', t.bigint, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('resolution', 'text')
    .addColumn('resolution_note_enc', 'text')
    .addColumn('contact_task_id', 'text')
    .addColumn('contact_channel', 'text')
    .addColumn('contact_outcome', 'text')
    .addColumn('contact_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('contact_note_enc', 'text')
    .addColumn('contacted_by', 'text', (c) => c.references('staff.id'))
    .addColumn('verify_note_enc', 'text')
    .addColumn('verified_by', 'text', (c) => c.references('staff.id'))
    .addColumn('batch_id', 'text')
    .addColumn('raised_at', t.instant, (c) => c.notNull())
    .addColumn('contacted_at', t.instant)
    .addColumn('verified_at', t.instant)
    .addColumn('resolved_at', t.instant)
    .addColumn('resolved_by', 'text', (c) => c.references('staff.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('fund_alerts_branch_status_idx').on('fund_alerts').columns(['branch_id', 'status', 'raised_at']).execute();
  await db.schema.createIndex('fund_alerts_case_idx').on('fund_alerts').columns(['case_id']).execute();

  await db.schema
    .createTable('api_clients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('disabled_at', t.instant)
    .execute();
  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('api_clients.id'))
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('revoked_at', t.instant)
    .addColumn('last_used_at', t.instant)
    .execute();
}
