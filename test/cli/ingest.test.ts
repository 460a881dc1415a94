import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSACTION_COLUMNS } from '../../src/domain/analysis/transaction.js';
import { GEN_END_DATE, generateCustomer, ndjsonLine } from '../../src/features/analysis/generator.js';
import { connectNats } from '../../src/features/ingestion/stream.js';
import { openDatabase } from '../../src/platform/db/database.js';
import { describeWithNats, snapshot, spawnCli, TEST_NATS_URL, writeGeneratedCsv } from '../faults/data.js';
import { freePort, runCli } from './run-cli.js';

const GEN = { accounts: 300, days: 60, seed: 11 };
// The two halves of the rebuild test: each customer's rows before and after this instant.
const CUT_MS = Date.parse(`${GEN_END_DATE}T00:00:00Z`) - 20 * 86_400_000;

describe('lifeline ingest and analysis rebuild', () => {
  let dir: string;
  let generated: string;
  let rows: number;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-cli-ingest-'));
    generated = path.join(dir, 'generated.csv');
    ({ rows } = await writeGeneratedCsv(generated, GEN));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should store a generated file, then count every row of the same file again as a duplicate', async () => {
    const env = { LIFELINE_DATA_DIR: path.join(dir, 'once') };
    const first = await runCli(['ingest', generated], env);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      file: 'generated.csv',
      format: 'csv',
      rows,
      inserted: rows,
      duplicates: 0,
      badRows: 0,
    });
    expect(first.stderr).toContain(`generated.csv: ${rows.toLocaleString('en-US')} rows in`);
    const again = await runCli(['ingest', generated], env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ rows, inserted: 0, duplicates: rows, badRows: 0 });
  });

  it('should list bad rows by line on stderr, store the good rows and still exit 0', async () => {
    const file = path.join(dir, 'bad.ndjson');
    const good = (id: string) =>
      JSON.stringify({
        txn_id: id,
        account_id: 'A1',
        customer_number: 'C-BAD-1',
        booked_at: '2025-06-01T10:00:00Z',
        amount_minor: 1250,
        currency: 'CNY',
        direction: 'debit',
        channel: 'card',
        counterparty_name: '超市, "quoted"',
        counterparty_account: null,
        mcc: '5411',
        description: '🍎',
      });
    const lines = [
      good('bad-file-1'),
      '{"txn_id": "broken"',
      good('bad-file-2'),
      JSON.stringify({ txn_id: 'x', amount_minor: -5 }),
      good('bad-file-3'),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const env = { LIFELINE_DATA_DIR: path.join(dir, 'bad') };
    const res = await runCli(['ingest', file], env);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ format: 'ndjson', rows: 5, inserted: 3, badRows: 2 });
    expect(res.stderr).toContain('bad.ndjson:2: not valid JSON');
    expect(res.stderr).toMatch(/bad\.ndjson:4: \w+/);
    const d = openDatabase({ dialect: 'sqlite', file: path.join(dir, 'bad', 'lifeline.sqlite') });
    try {
      const ids = await d.db.selectFrom('transactions').select('txn_id').orderBy('txn_id').execute();
      expect(ids.map((r) => r.txn_id)).toEqual(['bad-file-1', 'bad-file-2', 'bad-file-3']);
      const batch = await d.db.selectFrom('transaction_batches').selectAll().executeTakeFirstOrThrow();
      expect(batch).toMatchObject({ source: 'file', name: 'bad.ndjson', status: 'done', rows: 5, bad_rows: 2, inserted: 3 });
    } finally {
      await d.close();
    }
  });

  it('should show only the first 20 bad rows and count the rest', async () => {
    const file = path.join(dir, 'many-bad.csv');
    const bad = Array.from({ length: 25 }, (_, i) => `bad-${i},A,C,not a date,1,CNY,debit,card,,,,`);
    writeFileSync(file, `${TRANSACTION_COLUMNS.join(',')}\n${bad.join('\n')}\n`);
    const res = await runCli(['ingest', file], { LIFELINE_DATA_DIR: path.join(dir, 'many') });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('many-bad.csv:21: booked_at must be an ISO-8601 instant with a zone');
    expect(res.stderr).not.toContain('many-bad.csv:22:');
    expect(res.stderr).toContain('… and 5 more bad rows');
  });

  it('should exit 2 and ingest nothing when a file is missing or a format is unknown', async () => {
    const env = { LIFELINE_DATA_DIR: path.join(dir, 'missing') };
    const missing = await runCli(['ingest', generated, path.join(dir, 'nope.csv')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    expect(missing.stderr).toContain('nope.csv');
    const format = await runCli(['ingest', generated, '--format', 'xlsx'], env);
    expect(format.code).toBe(2);
    const none = await runCli(['ingest'], env);
    expect(none.code).toBe(2);
  });

  it('should rebuild exactly the state that incremental ingestion of the same data in two files left', async () => {
    const before = path.join(dir, 'before.csv');
    const after = path.join(dir, 'after.csv');
    await writeGeneratedCsv(before, GEN, (r) => r.atMs < CUT_MS);
    await writeGeneratedCsv(after, GEN, (r) => r.atMs >= CUT_MS);
    const env = { LIFELINE_DATA_DIR: path.join(dir, 'rebuild') };
    const ingested = await runCli(['ingest', before, after], env);
    expect(ingested.code, ingested.stderr).toBe(0);
    const file = path.join(dir, 'rebuild', 'lifeline.sqlite');
    const read = async () => {
      const d = openDatabase({ dialect: 'sqlite', file });
      try {
        return await snapshot(d.db);
      } finally {
        await d.close();
      }
    };
    const incremental = await read();
    expect(incremental.transactions).toBe(rows);
    expect(Object.keys(incremental.states)).toHaveLength(GEN.accounts);
    const rebuilt = await runCli(['analysis', 'rebuild'], env);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({ transactions: rows, customers: GEN.accounts });
    const after2 = await read();
    expect(after2.states).toEqual(incremental.states);
  });
});

describeWithNats('lifeline serve and consume with NATS_URL', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-cli-stream-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should refuse to consume without NATS_URL', async () => {
    const res = await runCli(['consume'], { LIFELINE_DATA_DIR: dir });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('NATS_URL is not set');
  });

  it('should run the consumer inside serve and stop it gracefully with the server', { timeout: 120_000 }, async () => {
    const suffix = randomBytes(4).toString('hex');
    const env = {
      LIFELINE_DATA_DIR: path.join(dir, 'serve'),
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      LIFELINE_SEED_CUSTOMERS: '0',
      LIFELINE_SCRYPT_LOG_N: '12',
      NATS_URL: TEST_NATS_URL,
      LIFELINE_STREAM_NAME: `LIFELINE_SERVE_${suffix}`,
      LIFELINE_STREAM_SUBJECT: `lifeline-serve-${suffix}.>`,
      LIFELINE_STREAM_DURABLE: `ingest-${suffix}`,
      LIFELINE_STREAM_DEAD_LETTER: `lifeline-serve-${suffix}.dead`,
    };
    const nc = await connectNats(TEST_NATS_URL);
    const jsm = await nc.jetstreamManager();
    const server = spawnCli(['serve'], env);
    const file = path.join(dir, 'serve', 'lifeline.sqlite');
    const stored = async (ids: string[]) => {
      const d = openDatabase({ dialect: 'sqlite', file });
      try {
        return (await d.db.selectFrom('transactions').select('txn_id').where('txn_id', 'in', ids).execute()).length;
      } finally {
        await d.close();
      }
    };
    const until = async (check: () => Promise<boolean>) => {
      const end = Date.now() + 60_000;
      while (!(await check())) {
        if (Date.now() > end) throw new Error(`the condition did not come true in time:\n${server.stderr()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    try {
      await until(async () => (await jsm.consumers.info(env.LIFELINE_STREAM_NAME, env.LIFELINE_STREAM_DURABLE).catch(() => null)) !== null);
      const rows = generateCustomer({ accounts: 1, days: 10, seed: 3 }, 1).rows;
      const js = nc.jetstream();
      for (const r of rows) await js.publish(`lifeline-serve-${suffix}.core`, ndjsonLine(r).trim(), { msgID: r.txnId });
      const ids = rows.map((r) => r.txnId);
      await until(async () => (await stored(ids)) === ids.length);
      server.child.kill('SIGTERM');
      const end = await server.exited;
      expect(end.code, server.stderr()).toBe(0);
      const d = openDatabase({ dialect: 'sqlite', file });
      try {
        const batches = await d.db.selectFrom('transaction_batches').select(['source', 'status', 'inserted']).execute();
        expect(batches).toEqual([{ source: 'stream', status: 'done', inserted: ids.length }]);
      } finally {
        await d.close();
      }
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      await jsm.streams.delete(env.LIFELINE_STREAM_NAME).catch(() => undefined);
      await nc.close();
    }
  });
});
