import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';

/** Leads, the colleagues' checks and the history of each lead (issue 3; docs/leads.md). */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('leads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
    .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
    .addColumn('match_method', 'text')
    .addColumn('match_strength', 'text')
    .addColumn('reported_customer_number', 'text')
    .addColumn('subject_name', 'text')
    .addColumn('subject_enc', 'text')
    .addColumn('summary_enc', 'text', (c) => c.notNull())
    .addColumn('source_ref', 'text')
    // No foreign key to partners: the partners feature owns that table, the lead keeps the name.
    .addColumn('partner_id', 'text')
    .addColumn('partner_name', 'text')
    .addColumn('referral_id', 'text')
    .addColumn('condition_enc', 'text')
    .addColumn('referral_consent', 'text')
    .addColumn('reported_by', 'text', (c) => c.references('staff.id'))
    .addColumn('assigned_to', 'text', (c) => c.references('staff.id'))
    .addColumn('assignment_note_enc', 'text')
    .addColumn('due_at', t.instant, (c) => c.notNull())
    .addColumn('decision', 'text')
    .addColumn('decision_reason_enc', 'text')
    .addColumn('decided_by', 'text', (c) => c.references('staff.id'))
    .addColumn('decided_at', t.instant)
    .addColumn('duplicate_of', 'text', (c) => c.references('leads.id'))
    // The cases table comes after this migration; the case ids are checked by the cases service.
    .addColumn('linked_case_id', 'text')
    .addColumn('case_id', 'text')
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // Both NULL for staff leads, which NULL-distinct unique indexes allow any number of.
  await db.schema.createIndex('leads_referral_uq').on('leads').columns(['partner_id', 'referral_id']).unique().execute();
  await db.schema.createIndex('leads_branch_due_idx').on('leads').columns(['branch_id', 'due_at', 'id']).execute();
  await db.schema.createIndex('leads_customer_idx').on('leads').columns(['customer_id', 'status']).execute();
  await db.schema.createIndex('leads_reported_by_idx').on('leads').column('reported_by').execute();
  await db.schema.createIndex('leads_assigned_to_idx').on('leads').column('assigned_to').execute();
  await db.schema.createIndex('leads_due_idx').on('leads').columns(['due_at', 'id']).execute();

  await db.schema
    .createTable('lead_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lead_id', 'text', (c) => c.notNull().references('leads.id'))
    .addColumn('checked_by', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('checked_at', t.instant, (c) => c.notNull())
    .addColumn('finding_enc', 'text')
    .addColumn('recommendation', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lead_checks_lead_idx').on('lead_checks').column('lead_id').execute();
  await db.schema.createIndex('lead_checks_by_idx').on('lead_checks').column('checked_by').execute();

  await db.schema
    .createTable('lead_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lead_id', 'text', (c) => c.notNull().references('leads.id'))
    .addColumn('occurred_at', t.instant, (c) => c.notNull())
    // Staff, or null for a partner or the system (then `detail` says which).
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('note_enc', 'text')
    .execute();
  await db.schema.createIndex('lead_events_lead_idx').on('lead_events').columns(['lead_id', 'id']).execute();

  // Candidates for unmatched leads are looked up by date of birth as well as by name.
  await db.schema.createIndex('customers_dob_idx').on('customers').column('date_of_birth').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('customers_dob_idx').ifExists().execute();
  for (const table of ['lead_events', 'lead_checks', 'leads']) await db.schema.dropTable(table).ifExists().execute();
}
