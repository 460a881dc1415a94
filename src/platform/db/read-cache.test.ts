import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenDatabase, openDatabase } from './database.js';
import { ReadCache } from './read-cache.js';

describe('the read cache of hot lookups', () => {
  let database: OpenDatabase;
  let loads = 0;
  const counter = () => async () => {
    loads += 1;
    return loads;
  };

  beforeAll(async () => {
    database = openDatabase({ dialect: 'sqlite', file: ':memory:' });
    await sql`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)`.execute(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('should answer again from memory until this process writes anything', async () => {
    const cache = new ReadCache<number>(60_000, 10);
    const first = await cache.get('a', counter());
    expect(await cache.get('a', counter())).toBe(first);
    // A read changes nothing.
    await sql`SELECT * FROM t`.execute(database.db);
    expect(await cache.get('a', counter())).toBe(first);
    // A write through the query builder, or a raw one, makes the next answer a fresh read.
    await database.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO t (v) VALUES ('x')`.execute(trx);
    });
    const second = await cache.get('a', counter());
    expect(second).toBeGreaterThan(first);
    expect(await cache.get('a', counter())).toBe(second);
  });

  it('should not keep an answer longer than its time, nor one read while something was written', async () => {
    let now = 0;
    const cache = new ReadCache<number>(1_000, 10, () => now);
    const first = await cache.get('a', counter());
    now = 999;
    expect(await cache.get('a', counter())).toBe(first);
    now = 1_000;
    const second = await cache.get('a', counter());
    expect(second).toBeGreaterThan(first);
    // The write races the read: that answer is given but not kept.
    const raced = await cache.get('b', async () => {
      await sql`INSERT INTO t (v) VALUES ('y')`.execute(database.db);
      return -1;
    });
    expect(raced).toBe(-1);
    expect(await cache.get('b', counter())).not.toBe(-1);
  });

  it('should hold at most its number of answers', async () => {
    const cache = new ReadCache<number>(60_000, 2);
    const a = await cache.get('a', counter());
    await cache.get('b', counter());
    await cache.get('c', counter());
    expect(await cache.get('a', counter())).not.toBe(a);
  });
});
