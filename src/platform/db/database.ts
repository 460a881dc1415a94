import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { type Kysely as KyselyType, Kysely, PostgresDialect, SqliteDialect, type SqliteDialectConfig, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { ensurePrivateDir, ensurePrivateFile, tightenIfPresent } from '../files/private-files.js';
import type { Database } from './schema.js';
import { WriteCountPlugin } from './read-cache.js';

export type Db = KyselyType<Database>;
export type Trx = Transaction<Database>;
/** A database handle or an open transaction: what every repository function takes first. */
export type Executor = Db | Trx;
export type Dialect = 'sqlite' | 'postgres';

export type DatabaseTarget = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string; schema?: string };

/** An open database: the Kysely handle plus what the rest of the process needs to know about it. */
export interface OpenDatabase {
  readonly db: Db;
  readonly dialect: Dialect;
  close(): Promise<void>;
}

// PostgreSQL answers timestamptz as "2026-01-02 03:04:05.678+00"; the app speaks ISO-8601 UTC.
const PG_INSTANT = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?([+-]\d{2})(?::?(\d{2}))?$/;

/** Converts PostgreSQL's text form of a timestamptz into `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export function pgInstantToIso(text: string): string {
  const m = PG_INSTANT.exec(text);
  if (!m) return new Date(text).toISOString();
  const frac = (m[3] ?? '.000').slice(0, 4).padEnd(4, '0');
  return new Date(`${m[1]}T${m[2]}${frac}${m[4]}:${m[5] ?? '00'}`).toISOString();
}

function pgTypes(): pg.CustomTypesConfig {
  const types = pg.types;
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === types.builtins.TIMESTAMPTZ || oid === types.builtins.TIMESTAMP) return pgInstantToIso;
      if (oid === types.builtins.DATE) return (v: string) => v;
      if (oid === types.builtins.INT8) return (v: string) => Number(v);
      return types.getTypeParser(oid, format);
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 for Kysely with its prepared statements kept (least recently used out): Kysely
 * prepares every query anew, which was a tenth of the priority lookup's server time
 * (bench/priority.bench.ts). A statement still iterating a stream is busy; a second one is
 * prepared for the overlapping query then.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      const hit = cache.get(sql);
      if (hit && !hit.busy) {
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const statement = sqlite.prepare(sql);
      if (!hit) {
        cache.set(sql, statement);
        const oldest = cache.keys().next();
        if (cache.size > STATEMENT_CACHE_SIZE && !oldest.done) cache.delete(oldest.value);
      }
      return statement;
    },
  };
}

/** Opens the embedded SQLite file or the PostgreSQL database the target names. */
export function openDatabase(target: DatabaseTarget): OpenDatabase {
  if (target.dialect === 'sqlite') {
    const onDisk = target.file !== ':memory:';
    if (onDisk) {
      // SQLite gives the -wal and -shm files it creates the database file's mode: a database file
      // made private before the first open keeps all three private.
      ensurePrivateDir(path.dirname(target.file));
      ensurePrivateFile(target.file);
    }
    const sqlite = new SqliteDatabase(target.file);
    sqlite.pragma('journal_mode = WAL');
    // Ones an older version left behind are taken back too.
    if (onDisk) for (const suffix of ['-wal', '-shm']) tightenIfPresent(`${target.file}${suffix}`);
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
      plugins: [new WriteCountPlugin()],
    });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: 10,
    types: pgTypes(),
    options: target.schema ? `-c search_path=${target.schema} -c TimeZone=UTC` : '-c TimeZone=UTC',
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new WriteCountPlugin()] });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/** Answers once the database has answered a trivial query (the health check); throws when it cannot. */
export async function pingDatabase(db: Executor): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
