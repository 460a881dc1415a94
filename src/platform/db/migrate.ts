import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { isPostgres } from './dialect.js';
import * as m0001 from './migrations/0001_foundation.js';
import * as m0002 from './migrations/0002_partners.js';
import * as m0003 from './migrations/0003_leads.js';
import * as m0004 from './migrations/0004_cases.js';
import * as m0005 from './migrations/0005_teams.js';
import * as m0006 from './migrations/0006_work.js';
import * as m0007 from './migrations/0007_communication.js';
import * as m0008 from './migrations/0008_training.js';
import * as m0009 from './migrations/0009_analysis.js';
import * as m0010 from './migrations/0010_protections.js';
import * as m0011 from './migrations/0011_structured_texts.js';
import * as m0012 from './migrations/0012_services.js';
import * as m0013 from './migrations/0013_service_documents.js';
import * as m0014 from './migrations/0014_staff_away.js';
import * as m0015 from './migrations/0015_collection.js';
import * as m0016 from './migrations/0016_loan_watch.js';
import * as m0017 from './migrations/0017_credit_requests.js';
import * as m0018 from './migrations/0018_procedures.js';
import * as m0019 from './migrations/0019_risk.js';

// Listed here rather than read from the folder so that the bundled server carries them.
const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_partners': m0002,
  '0003_leads': m0003,
  '0004_cases': m0004,
  '0005_teams': m0005,
  '0006_work': m0006,
  '0007_communication': m0007,
  '0008_training': m0008,
  '0009_analysis': m0009,
  '0010_protections': m0010,
  '0011_structured_texts': m0011,
  '0012_services': m0012,
  '0013_service_documents': m0013,
  '0014_staff_away': m0014,
  '0015_collection': m0015,
  '0016_loan_watch': m0016,
  '0017_credit_requests': m0017,
  '0018_procedures': m0018,
  '0019_risk': m0019,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Brings the schema up to date; returns the names of the migrations it applied. */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in every schema; where one database holds several
  // Lifeline schemas (parallel test runs), it must look in ours only.
  const schema = isPostgres(db) ? (await sql<{ name: string }>`SELECT current_schema() AS name`.execute(db)).rows[0]?.name : undefined;
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
