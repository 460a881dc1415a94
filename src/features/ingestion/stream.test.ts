import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { headers, type NatsConnection } from 'nats';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeWithNats, TEST_NATS_URL } from '../../../test/faults/data.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import { generateCustomer, ndjsonLine } from '../analysis/generator.js';
import {
  connectNats,
  DEAD_REASON_HEADER,
  retryDelay,
  type StreamConsumer,
  type StreamSettings,
  startStreamConsumer,
  transactionOfMessage,
} from './stream.js';

const quiet = { info: () => undefined, error: () => undefined };
const enc = new TextEncoder();

/** NDJSON lines of generated transactions, one message each. */
function generatedMessages(accounts: number, days: number): { id: string; data: Uint8Array }[] {
  const out: { id: string; data: Uint8Array }[] = [];
  for (let i = 1; i <= accounts; i++)
    for (const row of generateCustomer({ accounts, days, seed: 5, rate: 1 }, i).rows)
      out.push({ id: row.txnId, data: enc.encode(ndjsonLine(row).trim()) });
  return out;
}

/** Waits until `check` holds (the consumer works in the background); fails after `ms`. */
async function until(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('the condition did not come true in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('transactionOfMessage', () => {
  it('should never throw, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const t = transactionOfMessage(bytes);
        expect(typeof t === 'string' || typeof t.txnId === 'string').toBe(true);
      }),
    );
  });

  it('should say why a message is not a transaction', () => {
    expect(transactionOfMessage(enc.encode('{"txn_id":'))).toBe('not valid JSON');
    expect(transactionOfMessage(enc.encode('[1]'))).toBe('not a JSON object');
    expect(transactionOfMessage(Uint8Array.of(0xff, 0xfe))).toBe('not valid UTF-8');
  });
});

describe('retryDelay', () => {
  it('should double with each delivery and stop at 30 s', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelay(50, 1000)).toBe(30_000);
  });
});

describeWithNats('JetStream', () => {
  describeEachDialect('the JetStream consumer', (dialect) => {
    let h: Harness;
    let nc: NatsConnection;
    let settings: StreamSettings;
    let consumer: StreamConsumer | undefined;

    beforeAll(async () => {
      // Like PostgreSQL in CI, NATS is part of the test environment: without it the suite fails.
      nc = await connectNats(TEST_NATS_URL).catch((err: unknown) => {
        throw new Error(`NATS with JetStream is required for this test but does not answer at ${TEST_NATS_URL}: ${String(err)}`);
      });
    });
    afterAll(async () => {
      await nc?.close();
    });
    beforeEach(async () => {
      h = await createHarness(dialect);
      const suffix = randomBytes(4).toString('hex');
      settings = {
        url: TEST_NATS_URL,
        name: `LIFELINE_TEST_${suffix}`,
        subject: `lifeline-test-${suffix}.>`,
        durable: `ingest-${suffix}`,
        maxDeliver: 3,
        deadLetter: `lifeline-test-${suffix}.dead`,
        ackWaitMs: 5000,
      };
    });
    afterEach(async () => {
      await consumer?.stop();
      consumer = undefined;
      const jsm = await nc.jetstreamManager();
      await jsm.streams.delete(settings.name).catch(() => undefined);
      await h.close();
    });

    const start = (opts: Partial<Parameters<typeof startStreamConsumer>[2]> = {}) =>
      startStreamConsumer(h.ctx, settings, { log: quiet, groupWaitMs: 50, retryDelayMs: 50, ...opts });
    const publish = async (messages: { id: string; data: Uint8Array }[], subject = 'bank') => {
      const js = nc.jetstream();
      const acks = [];
      for (const m of messages) acks.push(await js.publish(`${settings.subject.slice(0, -2)}.${subject}`, m.data, { msgID: m.id }));
      return acks;
    };
    const stored = async () =>
      Number(
        (
          await h.db
            .selectFrom('transactions')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('should store every published transaction exactly once, and drop re-publishes', async () => {
      const messages = generatedMessages(8, 30);
      consumer = await start();
      await publish(messages);
      await until(async () => (await stored()) === messages.length);
      // The stream drops a re-publish with the same Nats-Msg-Id within its window…
      const again = await publish(messages.slice(0, 20));
      expect(again.every((a) => a.duplicate)).toBe(true);
      // …and past the window the database still keeps one row per txn_id.
      await publish(
        messages.slice(0, 20).map((m) => ({ id: `late-${m.id}`, data: m.data })),
        'replay',
      );
      await until(async () => consumer?.totals.duplicates === 20);
      expect(await stored()).toBe(messages.length);
      const ids = await h.db.selectFrom('transactions').select('txn_id').execute();
      expect(new Set(ids.map((r) => r.txn_id)).size).toBe(messages.length);
      await consumer.stop();
      const batches = await h.db.selectFrom('transaction_batches').selectAll().execute();
      expect(batches).toHaveLength(1);
      expect(batches[0]).toMatchObject({ source: 'stream', status: 'done', inserted: messages.length, duplicates: 20 });
    });

    it('should dead-letter a bad message with its reason and store the good ones', async () => {
      const messages = generatedMessages(2, 10);
      consumer = await start();
      await publish([
        ...messages.slice(0, 5),
        { id: 'bad-1', data: enc.encode('{"txn_id":"bad-1","amount_minor":"x"}') },
        ...messages.slice(5),
      ]);
      await until(async () => (await stored()) === messages.length);
      await until(async () => consumer?.totals.deadLettered === 1);
      const jsm = await nc.jetstreamManager();
      const dead = await jsm.streams.getMessage(settings.name, { last_by_subj: settings.deadLetter });
      expect(dead.header.get(DEAD_REASON_HEADER)).toContain('account_id');
      expect(dead.header.get('Lifeline-Dead-Msg-Id')).toBe('bad-1');
      expect(new TextDecoder().decode(dead.data)).toContain('"bad-1"');
      await consumer.stop();
      const errors = await h.db.selectFrom('transaction_batch_errors').selectAll().execute();
      expect(errors).toHaveLength(1);
    });

    it('should redeliver a message whose storing fails and dead-letter it after the most deliveries', async () => {
      let attempts = 0;
      consumer = await start({
        ingest: async () => {
          attempts += 1;
          throw new Error('database unavailable');
        },
      });
      await publish(generatedMessages(1, 1).slice(0, 1));
      await until(async () => consumer?.totals.deadLettered === 1);
      expect(attempts).toBe(settings.maxDeliver);
      const jsm = await nc.jetstreamManager();
      const dead = await jsm.streams.getMessage(settings.name, { last_by_subj: settings.deadLetter });
      expect(dead.header.get(DEAD_REASON_HEADER)).toBe('processing failed 3 times: database unavailable');
      expect(dead.header.get('Lifeline-Dead-Deliveries')).toBe('3');
      expect(await stored()).toBe(0);
    });

    it('should keep the dead letters in the stream without processing them again', async () => {
      consumer = await start();
      const h2 = headers();
      h2.set(DEAD_REASON_HEADER, 'an earlier failure');
      await nc.jetstream().publish(settings.deadLetter, enc.encode('{}'), { headers: h2 });
      const messages = generatedMessages(1, 2);
      await publish(messages);
      await until(async () => (await stored()) === messages.length && consumer?.totals.messages === messages.length + 1);
      expect(consumer.totals.deadLettered).toBe(0);
    });
  });
});
