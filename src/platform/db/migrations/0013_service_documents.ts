import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Issue 11 points 3 and 4 (P6.1.1, P6.1.2): who uploaded a document's scan and when (the tick may
 * be older), and why a signature was voided, by whom, and in which language its summary was
 * rendered (the summary is re-rendered in that language to check it still matches).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('service_documents').addColumn('uploaded_by', 'text').execute();
  await db.schema.alterTable('service_documents').addColumn('uploaded_at', t.instant).execute();
  await db.schema.alterTable('service_signatures').addColumn('locale', 'text').execute();
  await db.schema.alterTable('service_signatures').addColumn('void_reason', 'text').execute();
  await db.schema.alterTable('service_signatures').addColumn('voided_by', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['locale', 'void_reason', 'voided_by']) {
    await db.schema.alterTable('service_signatures').dropColumn(column).execute();
  }
  for (const column of ['uploaded_by', 'uploaded_at']) {
    await db.schema.alterTable('service_documents').dropColumn(column).execute();
  }
}
