import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';

const roots: string[] = [];
function tempRoot(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'lifeline-db-'));
  roots.push(d);
  return d;
}
afterAll(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

function mode(file: string): number {
  return statSync(file).mode & 0o777;
}

/** Writes a row so that SQLite creates its -wal and -shm files beside the database. */
async function writeSomething(file: string): Promise<ReturnType<typeof openDatabase>> {
  const database = openDatabase({ dialect: 'sqlite', file });
  await sql`CREATE TABLE IF NOT EXISTS t (x integer)`.execute(database.db);
  await sql`INSERT INTO t (x) VALUES (1)`.execute(database.db);
  return database;
}

describe('the embedded database files', () => {
  it('should create the data folder 0700 and the database, its -wal and -shm 0600, whatever the umask leaves', async () => {
    const dir = path.join(tempRoot(), 'data');
    const file = path.join(dir, 'lifeline.sqlite');
    const database = await writeSomething(file);
    try {
      expect(mode(dir)).toBe(0o700);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) {
        expect(existsSync(f), f).toBe(true);
        expect(mode(f), f).toBe(0o600);
      }
    } finally {
      await database.close();
    }
  });

  it('should tighten a folder and files an older version left readable by others', async () => {
    const dir = path.join(tempRoot(), 'data');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const file = path.join(dir, 'lifeline.sqlite');
    await (await writeSomething(file)).close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      if (!existsSync(f)) writeFileSync(f, '');
      chmodSync(f, 0o644);
    }
    const database = await writeSomething(file);
    try {
      expect(mode(dir)).toBe(0o700);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f), f).toBe(0o600);
    } finally {
      await database.close();
    }
  });
});
