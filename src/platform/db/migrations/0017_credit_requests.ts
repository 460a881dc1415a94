import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Issue 12, P4.1 and P7.1.1: the risk officer's assessment of an emergency loan request, the
 * booking reference core banking gives back for an approved loan or schedule; and the two credit
 * service types switched on where the bank has not changed them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('credit_assessments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().unique().references('service_requests.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('recommendation', 'text', (c) => c.notNull())
    .addColumn('reason_enc', 'text')
    .addColumn('assessed_by', 'text', (c) => c.notNull())
    .addColumn('assessed_at', t.instant, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('loan_bookings')
    .addColumn('request_id', 'text', (c) => c.primaryKey().references('service_requests.id'))
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('booked_on', t.date, (c) => c.notNull())
    .addColumn('recorded_by', 'text')
    .addColumn('recorded_by_client', 'text')
    .addColumn('recorded_at', t.instant, (c) => c.notNull())
    .execute();
  // A fresh database has no types yet (the seed adds them switched on); an existing one gets them
  // switched on unless an administrator has changed them.
  await sql`update service_types set active = 1 where code in ('emergency_loan', 'restructuring') and updated_by is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('loan_bookings').execute();
  await db.schema.dropTable('credit_assessments').execute();
}
