import pg from 'pg';
import type { TestProject } from 'vitest/node';

// The same number as harness.ts SCHEMA_LOCK (imported there from here would pull vitest's inject into the setup).
const SCHEMA_LOCK = 7_200_501;
const PG_URL = process.env.LIFELINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

declare module 'vitest' {
  export interface ProvidedContext {
    pgSchemaPrefix: string;
  }
}

// Dropping a schema while another test's migrator lists the catalogue makes that listing fail,
// so test schemas are dropped once, after the whole run, by the prefix of the run.
async function dropSchemas(pattern: string, keep: (name: string) => boolean = () => false): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch {
    return; // no PostgreSQL here: the suites that need it say so themselves
  }
  try {
    // Exclusive against the migrations of other runs (harness.ts, SCHEMA_LOCK); released with the session.
    await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK]);
    const { rows } = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [pattern]);
    for (const { nspname } of rows) if (!keep(nspname)) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** The start time of the run that made a test schema (`t<base-36 ms>r<random>_<n>`), or null. */
function runStart(schema: string): number | null {
  const m = /^t([0-9a-z]+)r[0-9a-z]+_/.exec(schema);
  return m?.[1] ? Number.parseInt(m[1], 36) : null;
}

/** Gives the run a schema prefix; drops the run's schemas at the end, and those of runs over an hour old. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const prefix = `t${Date.now().toString(36)}r${Math.random().toString(36).slice(2, 6)}`;
  project.provide('pgSchemaPrefix', prefix);
  // Leftovers of interrupted runs; a run still going (another terminal) is younger than an hour.
  await dropSchemas('t%\\_%', (name) => {
    const start = runStart(name);
    return start === null || Date.now() - start < 3_600_000;
  });
  return async () => {
    await dropSchemas(`${prefix}\\_%`);
  };
}
