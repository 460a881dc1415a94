import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config/config.js';
import { syncRoles } from '../../src/features/staff/bootstrap.service.js';
import { FieldCipher } from '../../src/platform/crypto/field-cipher.js';
import { reconcileKeyMetadata } from '../../src/platform/crypto/key-metadata.js';
import { type Keys, generateKeys } from '../../src/platform/crypto/keyring.js';
import { type Db, type Dialect, openDatabase } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import type { AppContext } from '../../src/platform/http/context.js';

export const PG_URL = process.env.LIFELINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PG_REQUIRED = process.env.LIFELINE_REQUIRE_PG === '1' || process.env.CI === 'true';

let pgAvailable: Promise<boolean> | undefined;
/** Whether the test PostgreSQL answers; asked once per test file. */
export function postgresAvailable(): Promise<boolean> {
  pgAvailable ??= (async () => {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return pgAvailable;
}

/** A test clock that only moves when told to. */
export class TestClock {
  constructor(private t = Date.parse('2026-11-28T09:00:00.000Z')) {}
  now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
}

/** A Lifeline app on a fresh, empty, migrated database of one dialect. */
export interface Harness {
  dialect: Dialect;
  ctx: AppContext;
  db: Db;
  app: FastifyInstance;
  clock: TestClock;
  keys: Keys;
  config: Config;
  dataDir: string;
  close(): Promise<void>;
}

/** Test configuration: cheap scrypt, plain-HTTP cookies, silent logs, a private data folder. */
export function testConfig(overrides: Record<string, string> = {}): { config: Config; dataDir: string } {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-test-'));
  const config = loadConfig({
    LIFELINE_DATA_DIR: dataDir,
    LIFELINE_SCRYPT_LOG_N: '12',
    LIFELINE_INSECURE_COOKIES: '1',
    LIFELINE_LOG_LEVEL: 'silent',
    LIFELINE_RATE_LIMIT_PER_MINUTE: '100000',
    LIFELINE_LOGIN_RATE_PER_MINUTE: '100000',
    ...overrides,
  });
  return { config, dataDir };
}

let schemaCounter = 0;

/** Opens a fresh database: an SQLite file, or a new PostgreSQL schema. */
export async function freshDatabase(dialect: Dialect, dataDir: string) {
  if (dialect === 'sqlite') {
    const database = openDatabase({ dialect: 'sqlite', file: path.join(dataDir, 'test.sqlite') });
    return { database, drop: async () => undefined };
  }
  if (!(await postgresAvailable())) throw new Error(`PostgreSQL is required for this test but does not answer at ${PG_URL}`);
  schemaCounter += 1;
  const schema = `${inject('pgSchemaPrefix')}_${process.pid}x${schemaCounter}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const database = openDatabase({ dialect: 'postgres', url: PG_URL, schema });
  // Schemas are dropped after the run (global-setup.ts): a DROP now would race other tests.
  return { database, drop: async () => undefined, schema };
}

/**
 * The advisory lock that keeps test runs sharing one PostgreSQL apart: migrations hold it shared,
 * the end-of-run schema drops (global-setup.ts) exclusively, because a migrator listing the
 * catalogue fails when another run drops a schema under it.
 */
export const SCHEMA_LOCK = 7_200_501;

/** Migrates a test database; on PostgreSQL under the shared schema lock. */
export async function migrateTestDatabase(database: { db: Db }, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    await migrateToLatest(database.db);
    return;
  }
  const lock = new pg.Client({ connectionString: PG_URL });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock_shared($1)', [SCHEMA_LOCK]);
    await migrateToLatest(database.db);
  } finally {
    await lock.end(); // ends the session, and with it the lock
  }
}

/** Builds an app on a fresh database of the dialect. */
export async function createHarness(dialect: Dialect, overrides: Record<string, string> = {}): Promise<Harness> {
  const { config, dataDir } = testConfig(overrides);
  const { database, drop } = await freshDatabase(dialect, dataDir);
  await migrateTestDatabase(database, dialect);
  const keys = generateKeys();
  await reconcileKeyMetadata(database.db, keys);
  await syncRoles(database.db);
  const clock = new TestClock();
  const ctx: AppContext = { config, db: database.db, dialect, cipher: new FieldCipher(keys), now: clock.now };
  const app = await buildApp(ctx, { logger: false });
  await app.ready();
  return {
    dialect,
    ctx,
    db: database.db,
    app,
    clock,
    keys,
    config,
    dataDir,
    async close() {
      await app.close();
      await database.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The dialects the integration suite runs on: both, unless PostgreSQL is absent and not required. */
export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

/**
 * Runs the same suite on SQLite and on PostgreSQL. PostgreSQL is required in CI (the run fails
 * when it is missing); on a developer machine without it the PostgreSQL half is skipped loudly.
 */
export function describeEachDialect(name: string, suite: (dialect: Dialect) => void): void {
  for (const dialect of DIALECTS) {
    if (dialect === 'postgres' && !PG_REQUIRED && process.env.LIFELINE_SKIP_PG === '1') {
      describe.skip(`${name} [postgres: skipped by LIFELINE_SKIP_PG]`, () => suite(dialect));
      continue;
    }
    describe(`${name} [${dialect}]`, () => suite(dialect));
  }
}
