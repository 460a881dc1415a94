import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Issue 12 point 7, P3.2.3 and P7.2.2: the risk officer's case assessment (notes, review date),
 * its measures (stronger monitoring, credit-limit changes with a second person's approval), and
 * the stronger monitoring in force per customer that the analysis engine and the real-time
 * decisions read (owned by the analysis feature, docs/risk.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('risk_assessments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().unique().references('cases.id'))
    .addColumn('notes_enc', 'text')
    .addColumn('sensitivity', 'text', (c) => c.notNull())
    .addColumn('review_on', t.date, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('risk_measures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sensitivity', 'text')
    .addColumn('loan_id', 'text')
    .addColumn('current_limit_minor', t.bigint)
    .addColumn('new_limit_minor', t.bigint)
    .addColumn('currency', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('proposed_by', 'text', (c) => c.notNull())
    .addColumn('proposed_at', t.instant, (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', t.instant)
    .addColumn('instruction_id', 'text')
    .execute();
  await db.schema.createIndex('risk_measures_case_idx').on('risk_measures').columns(['case_id', 'proposed_at']).execute();
  await db.schema
    .createTable('customer_monitoring')
    .addColumn('customer_number', 'text', (c) => c.primaryKey())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', t.instant, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('customer_monitoring').execute();
  await db.schema.dropTable('risk_measures').execute();
  await db.schema.dropTable('risk_assessments').execute();
}
