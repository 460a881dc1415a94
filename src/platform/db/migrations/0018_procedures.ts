import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Issue 12, P7.3.1: versioned procedures of the service types, the version each request follows,
 * the steps taken, and the operational-incident log. The default procedures are installed at
 * start-up, not here (docs/procedures.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('procedures')
    .addColumn('type_code', 'text', (c) => c.notNull().references('service_types.code'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text')
    .addColumn('published_at', t.instant, (c) => c.notNull())
    .addPrimaryKeyConstraint('procedures_pk', ['type_code', 'version'])
    .execute();
  await db.schema
    .createTable('request_procedures')
    .addColumn('request_id', 'text', (c) => c.primaryKey().references('service_requests.id'))
    .addColumn('type_code', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('pinned_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('procedure_step_completions')
    .addColumn('request_id', 'text', (c) => c.notNull().references('service_requests.id'))
    .addColumn('step_code', 'text', (c) => c.notNull())
    .addColumn('completed_by', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('completed_at', t.instant, (c) => c.notNull())
    .addPrimaryKeyConstraint('procedure_step_completions_pk', ['request_id', 'step_code'])
    .execute();
  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
    .addColumn('request_id', 'text', (c) => c.references('service_requests.id'))
    .addColumn('case_id', 'text', (c) => c.references('cases.id'))
    .addColumn('what_enc', 'text', (c) => c.notNull())
    .addColumn('root_cause_enc', 'text')
    .addColumn('corrective_action_enc', 'text')
    .addColumn('found_at', t.instant, (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incidents_branch_idx').on('incidents').columns(['branch_id', 'found_at', 'id']).execute();
  await db.schema.createIndex('incidents_found_idx').on('incidents').columns(['found_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('incidents').ifExists().execute();
  await db.schema.dropTable('procedure_step_completions').ifExists().execute();
  await db.schema.dropTable('request_procedures').ifExists().execute();
  await db.schema.dropTable('procedures').ifExists().execute();
}
