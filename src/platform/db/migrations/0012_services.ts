import { type Kysely, sql } from 'kysely';
import { SERVICE_CATALOGUE } from '../../../domain/service-catalogue.js';
import { columnTypes } from '../column-types.js';

/**
 * Issue 11, P4 and P6: the service catalogue, service requests with their document checklists and
 * signatures, the fee waivers approved relief becomes, and the accommodations a branch's queue
 * system reads.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('service_types')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('owner_role', 'text', (c) => c.notNull())
    .addColumn('needs_approval', 'integer', (c) => c.notNull())
    .addColumn('standard_hours', 'integer', (c) => c.notNull())
    .addColumn('priority_hours', 'integer', (c) => c.notNull())
    .addColumn('documents_standard', 'text', (c) => c.notNull())
    .addColumn('documents_reduced', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();

  // The catalogue as it shipped; later types are added at start-up (features/services ensureServiceTypes).
  const at = new Date().toISOString();
  for (const d of SERVICE_CATALOGUE) {
    await sql`INSERT INTO service_types (code, name_zh, name_en, owner_role, needs_approval, standard_hours, priority_hours,
      documents_standard, documents_reduced, active, updated_at, updated_by, version)
      VALUES (${d.code}, ${d.zh}, ${d.en}, ${d.ownerRole}, ${d.needsApproval ? 1 : 0}, ${d.standardHours}, ${d.priorityHours},
      ${JSON.stringify(d.documentsStandard)}, ${JSON.stringify(d.documentsReduced)}, ${d.delivered ? 1 : 0}, ${at}, ${null}, ${1})`.execute(
      db,
    );
  }

  await db.schema
    .createTable('service_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('branch_id', 'text', (c) => c.notNull())
    .addColumn('type_code', 'text', (c) => c.notNull().references('service_types.code'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('note_enc', 'text')
    .addColumn('assignee_id', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', t.instant, (c) => c.notNull())
    .addColumn('due_at', t.instant, (c) => c.notNull())
    .addColumn('standard_due_at', t.instant, (c) => c.notNull())
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', t.instant)
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', t.instant)
    .addColumn('decision_reason_enc', 'text')
    .addColumn('started_by', 'text')
    .addColumn('started_at', t.instant)
    .addColumn('completed_by', 'text')
    .addColumn('completed_at', t.instant)
    .addColumn('outcome_enc', 'text')
    .addColumn('cancelled_by', 'text')
    .addColumn('cancelled_at', t.instant)
    .addColumn('cancel_reason_enc', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_requests_case_idx').on('service_requests').columns(['case_id', 'requested_at']).execute();
  await db.schema.createIndex('service_requests_branch_idx').on('service_requests').columns(['branch_id', 'status', 'due_at']).execute();

  await db.schema
    .createTable('service_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('service_requests.id'))
    .addColumn('item_code', 'text', (c) => c.notNull())
    .addColumn('evidence_ref', 'text')
    .addColumn('ticked_by', 'text', (c) => c.notNull())
    .addColumn('ticked_at', t.instant, (c) => c.notNull())
    .addColumn('file_name_enc', 'text')
    .addColumn('content_type', 'text')
    .addColumn('size_bytes', 'integer')
    .addColumn('sha256', 'text')
    .addColumn('content_enc', 'text')
    .execute();
  await db.schema.createIndex('service_documents_item_idx').on('service_documents').columns(['request_id', 'item_code']).unique().execute();

  await db.schema
    .createTable('service_signatures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('service_requests.id'))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('request_version', 'integer', (c) => c.notNull())
    .addColumn('summary_sha256', 'text', (c) => c.notNull())
    .addColumn('summary_enc', 'text', (c) => c.notNull())
    .addColumn('image_enc', 'text')
    .addColumn('witness_id', 'text', (c) => c.notNull())
    .addColumn('signed_at', t.instant, (c) => c.notNull())
    .addColumn('place', 'text')
    .addColumn('video_session_ref', 'text')
    .addColumn('spoken_consent_ref', 'text')
    .addColumn('voided_at', t.instant)
    .execute();
  await db.schema.createIndex('service_signatures_request_idx').on('service_signatures').columns(['request_id', 'signed_at']).execute();

  await db.schema
    .createTable('fee_waivers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().unique().references('service_requests.id'))
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('fee_type', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('percent', 'real')
    .addColumn('amount_minor', t.bigint)
    .addColumn('valid_from', t.date, (c) => c.notNull())
    .addColumn('valid_until', t.date, (c) => c.notNull())
    .addColumn('ended_on', t.date)
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fee_waivers_customer_idx').on('fee_waivers').columns(['customer_id', 'valid_until']).execute();

  await db.schema
    .createTable('case_accommodations')
    .addColumn('case_id', 'text', (c) => c.primaryKey().references('cases.id'))
    .addColumn('codes', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'case_accommodations',
    'fee_waivers',
    'service_signatures',
    'service_documents',
    'service_requests',
    'service_types',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
