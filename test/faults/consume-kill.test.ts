import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NatsConnection } from 'nats';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GenRow, generateCustomer, ndjsonLine } from '../../src/features/analysis/generator.js';
import { connectNats } from '../../src/features/ingestion/stream.js';
import { runCli } from '../cli/run-cli.js';
import { describeEachDialect } from '../helpers/harness.js';
import {
  type ChildDatabase,
  childDatabase,
  describeWithNats,
  type Snapshot,
  seedBank,
  snapshot,
  spawnCli,
  TEST_NATS_URL,
  writeGeneratedCsv,
} from './data.js';

/**
 * Fault test (b): `lifeline consume` is killed (SIGKILL) while it works through a stream, then
 * started again. Every transaction must be stored exactly once, no alert or lead raised twice,
 * and the set of transactions equal a reference ingestion of the same data as a file.
 */

const GEN = { accounts: 400, days: 90, seed: 31 };

describeWithNats('JetStream fault test', () => {
  let dir: string;
  let nc: NatsConnection;
  let rows: GenRow[];
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-fault-consume-'));
    // Like PostgreSQL in CI, NATS is part of the test environment: without it the test fails.
    nc = await connectNats(TEST_NATS_URL).catch((err: unknown) => {
      throw new Error(`NATS with JetStream is required for this test but does not answer at ${TEST_NATS_URL}: ${String(err)}`);
    });
    rows = [];
    for (let i = 1; i <= GEN.accounts; i++) rows.push(...generateCustomer(GEN, i).rows);
    file = path.join(dir, 'reference.csv');
    await writeGeneratedCsv(file, GEN);
  }, 120_000);
  afterAll(async () => {
    await nc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('the condition did not come true in time');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function read(target: ChildDatabase): Promise<Snapshot> {
    const d = await target.open();
    try {
      return await snapshot(d.db);
    } finally {
      await d.close();
    }
  }

  async function stored(target: ChildDatabase): Promise<number> {
    const d = await target.open();
    try {
      const r = await d.db
        .selectFrom('transactions')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    } finally {
      await d.close();
    }
  }

  describeEachDialect('a lifeline consume killed mid-stream and started again', (dialect) => {
    it('should store every transaction exactly once and raise no lead or alert twice', { timeout: 600_000 }, async () => {
      const suffix = randomBytes(4).toString('hex');
      const stream = {
        NATS_URL: TEST_NATS_URL,
        LIFELINE_STREAM_NAME: `LIFELINE_FAULT_${suffix}`,
        LIFELINE_STREAM_SUBJECT: `lifeline-fault-${suffix}.>`,
        LIFELINE_STREAM_DURABLE: `ingest-${suffix}`,
        LIFELINE_STREAM_DEAD_LETTER: `lifeline-fault-${suffix}.dead`,
        // Messages in flight at the kill come back after this.
        LIFELINE_STREAM_ACK_WAIT_SECONDS: '2',
        LIFELINE_BATCH_STALE_SECONDS: '1',
      };
      const jsm = await nc.jetstreamManager();
      try {
        const planted = [];
        for (let i = 1; i <= GEN.accounts; i++) planted.push(...generateCustomer(GEN, i).labels.filter((l) => l.kind !== null));

        const reference = await childDatabase(dialect, mkdtempSync(path.join(dir, `${dialect}-reference-`)));
        await seedBank(reference.env, planted);
        const whole = await runCli(['ingest', file], reference.env);
        expect(whole.code, whole.stderr).toBe(0);
        const expected = await read(reference);
        expect(expected.transactions).toBe(rows.length);
        expect(expected.leads.length).toBeGreaterThan(0);
        expect(expected.alerts.length).toBeGreaterThan(0);

        const target = await childDatabase(dialect, mkdtempSync(path.join(dir, `${dialect}-consumer-`)));
        await seedBank(target.env, planted);
        const env = { ...target.env, ...stream };

        // The consumer creates the stream; the transactions are published while it runs.
        const first = spawnCli(['consume'], env);
        await until(async () => (await jsm.streams.info(stream.LIFELINE_STREAM_NAME).catch(() => null)) !== null, 60_000);
        const js = nc.jetstream();
        const subject = `lifeline-fault-${suffix}.bank`;
        for (let i = 0; i < rows.length; i += 1000)
          await Promise.all(rows.slice(i, i + 1000).map((r) => js.publish(subject, ndjsonLine(r).trim(), { msgID: r.txnId })));

        await until(async () => (await stored(target)) >= rows.length / 5, 120_000);
        first.child.kill('SIGKILL');
        const killed = await first.exited;
        expect(killed.signal, first.stderr()).toBe('SIGKILL');
        const partial = await stored(target);
        expect(partial).toBeLessThan(rows.length);

        await new Promise((r) => setTimeout(r, 1100));
        const second = spawnCli(['consume'], env);
        await until(async () => (await stored(target)) === rows.length, 300_000);
        // Everything acknowledged: nothing waits for a delivery or an ack any more.
        await until(async () => {
          const info = await jsm.consumers.info(stream.LIFELINE_STREAM_NAME, stream.LIFELINE_STREAM_DURABLE);
          return info.num_pending === 0 && info.num_ack_pending === 0;
        }, 60_000);
        second.child.kill('SIGTERM');
        const stopped = await second.exited;
        expect(stopped.code, second.stderr()).toBe(0);
        expect(JSON.parse(second.stdout()).deadLettered).toBe(0);

        const actual = await read(target);
        expect(actual.transactions).toBe(rows.length);
        expect(actual.txnIds).toEqual(expected.txnIds);
        expect(new Set(actual.alerts).size).toBe(actual.alerts.length);
        expect(new Set(actual.leads).size).toBe(actual.leads.length);
        // One alert per flagged transaction: the grouping of messages does not change which are flagged.
        expect(actual.alerts).toEqual(expected.alerts);
        expect(actual.leads).toEqual(expected.leads);

        const d = await target.open();
        try {
          const batches = await d.db.selectFrom('transaction_batches').select(['source', 'status']).orderBy('created_at').execute();
          expect(batches).toEqual([
            { source: 'stream', status: 'interrupted' },
            { source: 'stream', status: 'done' },
          ]);
        } finally {
          await d.close();
        }
      } finally {
        await jsm.streams.delete(stream.LIFELINE_STREAM_NAME).catch(() => undefined);
      }
    });
  });
});
