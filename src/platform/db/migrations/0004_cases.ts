import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';

/** Issue 3: case files, their versions and consent records (docs/cases.md). */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_number', 'text', (c) => c.notNull().unique())
    .addColumn('lead_id', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('mobility_impaired', 'integer', (c) => c.notNull())
    .addColumn('condition_enc', 'text')
    .addColumn('finances_enc', 'text')
    .addColumn('corrections_enc', 'text')
    .addColumn('review_on', t.date, (c) => c.notNull())
    .addColumn('update_interval_days', 'integer', (c) => c.notNull())
    .addColumn('last_update_on', t.date, (c) => c.notNull())
    .addColumn('next_update_due', t.date, (c) => c.notNull())
    .addColumn('maintainer_id', 'text', (c) => c.references('staff.id'))
    .addColumn('consent_withdrawn', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('registered_by', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addColumn('closed_at', t.instant)
    .addColumn('closed_by', 'text', (c) => c.references('staff.id'))
    .addColumn('close_reason', 'text')
    .addColumn('close_note_enc', 'text')
    .addColumn('purged_at', t.instant)
    .addColumn('purge_counts', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('cases_branch_status_idx').on('cases').columns(['branch_id', 'status']).execute();
  await db.schema.createIndex('cases_customer_idx').on('cases').column('customer_id').execute();
  await db.schema.createIndex('cases_status_due_idx').on('cases').columns(['status', 'next_update_due']).execute();
  await db.schema.createIndex('cases_status_closed_idx').on('cases').columns(['status', 'closed_at']).execute();
  await db.schema.createIndex('cases_maintainer_idx').on('cases').column('maintainer_id').execute();
  // One active case per customer: the database keeps it true even when two registrations race.
  await db.schema
    .createIndex('cases_one_active_per_customer')
    .on('cases')
    .column('customer_id')
    .unique()
    .where(sql.ref('status'), '=', sql.lit('active'))
    .execute();

  await db.schema
    .createTable('case_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('changed_at', t.instant, (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.references('staff.id'))
    .addColumn('old_values_enc', 'text')
    .addColumn('new_values_enc', 'text')
    .addUniqueConstraint('case_versions_case_version_uq', ['case_id', 'version'])
    .execute();

  await db.schema
    .createTable('case_consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text')
    .addColumn('basis', 'text')
    .addColumn('channel', 'text')
    .addColumn('given_at', t.instant)
    .addColumn('evidence_ref', 'text')
    .addColumn('scope_enc', 'text')
    .addColumn('note_enc', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('recorded_at', t.instant, (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('withdrawn_at', t.instant)
    .addColumn('withdrawn_by', 'text', (c) => c.references('staff.id'))
    .addColumn('withdrawal_channel', 'text')
    .addColumn('withdrawal_note_enc', 'text')
    .execute();
  await db.schema.createIndex('case_consents_case_idx').on('case_consents').column('case_id').execute();
  await db.schema.createIndex('case_consents_customer_partner_idx').on('case_consents').columns(['customer_id', 'partner_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['case_consents', 'case_versions', 'cases']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
