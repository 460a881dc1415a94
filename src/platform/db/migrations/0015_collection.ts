import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Issue 12, P7.1.2: a case's collection treatment (how the bank's collection system may contact
 * the customer) and the collection contacts recorded against it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('collection_treatments')
    .addColumn('case_id', 'text', (c) => c.primaryKey().references('cases.id'))
    .addColumn('gentle', 'integer', (c) => c.notNull())
    .addColumn('max_contacts_per_week', 'integer', (c) => c.notNull())
    .addColumn('quiet_from', 'text', (c) => c.notNull())
    .addColumn('quiet_to', 'text', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('paused_until', t.date)
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('collection_contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('contacted_at', t.instant, (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('collection_contacts_case_idx').on('collection_contacts').columns(['case_id', 'contacted_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('collection_contacts').execute();
  await db.schema.dropTable('collection_treatments').execute();
}
