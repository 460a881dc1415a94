import { isUtf8 } from 'node:buffer';
import {
  AckPolicy,
  type ConsumerMessages,
  connect,
  DeliverPolicy,
  headers,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
  NatsError,
  nanos,
  StorageType,
} from 'nats';
import type { Config } from '../../config/config.js';
import { type Transaction, toTransaction } from '../../domain/analysis/transaction.js';
import type { AppContext } from '../../platform/http/context.js';
import type { JobLogger } from '../../platform/jobs/scheduler.js';
import { ndjsonFields } from '../analysis/formats.service.js';
import { activeRuleSet } from '../rules/rules.service.js';
import { addToBatch } from './batches.repository.js';
import { type BatchOrigin, type BatchProgress, type ChunkIngester, countChunk, endBatch, openBatch, storeChunk } from './ingest.service.js';

/** The JetStream settings of config (LIFELINE_STREAM_*), with the server to reach. */
export type StreamSettings = Omit<Config['stream'], 'url'> & { url: string };

/** The header a dead letter carries its reason in; more `Lifeline-*` headers say where it came from. */
export const DEAD_REASON_HEADER = 'Lifeline-Dead-Reason';

/** JetStream API error codes (nats-server `server/errors.json`). */
const STREAM_NOT_FOUND = 10059;
const CONSUMER_NOT_FOUND = 10014;
/** Re-publishes of one `Nats-Msg-Id` within this window are dropped by the stream itself. */
const DUPLICATE_WINDOW_MS = 60 * 60_000;
/** Messages older than this leave a stream Lifeline created (a consumer down this long loses them). */
const MAX_AGE_MS = 14 * 24 * 3_600_000;
const MAX_RETRY_DELAY_MS = 30_000;
/** An idle consumer touches its batch this often, so that openBatch does not take it for dead. */
const HEARTBEAT_MS = 60_000;

/** Tuning of the consumer; the defaults suit production, tests shorten them. */
export interface StreamConsumerOptions {
  /** Most messages in one database transaction. */
  maxGroup?: number;
  /** How long a group waits for more messages after its first one. */
  groupWaitMs?: number;
  /** Delay of the first redelivery after a failure; it doubles with each delivery, up to 30 s. */
  retryDelayMs?: number;
  /** Keep trying to reach the server instead of failing at once (serve: the feed may start later). */
  waitForServer?: boolean;
  /** The storing step, in the group's transaction; tests replace it to play a failing database. */
  ingest?: ChunkIngester;
  /** Called after each group, with the running totals. */
  onGroup?: (totals: StreamTotals) => void;
  log: JobLogger;
}

/** What a consumer has done since it started. */
export interface StreamTotals {
  messages: number;
  inserted: number;
  duplicates: number;
  deadLettered: number;
  redeliveries: number;
  leads: number;
  alerts: number;
}

/** A running consumer. */
export interface StreamConsumer {
  readonly totals: Readonly<StreamTotals>;
  /** Stops pulling, finishes and acknowledges the group in hand, ends the batch and drains the connection. */
  stop(): Promise<void>;
  /** Settles when the consumer has stopped (by stop() or by losing its subscription). */
  readonly done: Promise<void>;
}

/**
 * One message's transaction (an API.md NDJSON object, as JSON), or why it is not one: the same
 * checks as a line of an NDJSON file.
 */
export function transactionOfMessage(data: Uint8Array): Transaction | string {
  if (!isUtf8(data)) return 'not valid UTF-8';
  const fields = ndjsonFields(Buffer.from(data.buffer, data.byteOffset, data.length).toString('utf8').trim());
  return typeof fields === 'string' ? fields : toTransaction(fields);
}

/** The delay before the next delivery of a message that failed its `delivery`-th time. */
export function retryDelay(delivery: number, firstMs: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, firstMs * 2 ** Math.max(0, Math.min(delivery - 1, 20)));
}

function apiErrorCode(err: unknown): number | undefined {
  return err instanceof NatsError ? err.api_error?.err_code : undefined;
}

/**
 * Creates the stream and the durable pull consumer when they are missing (several processes may
 * race: creating with the same configuration is idempotent on the server). Existing ones are left
 * as the operator configured them.
 */
export async function ensureStream(jsm: JetStreamManager, s: Omit<StreamSettings, 'url'>): Promise<void> {
  try {
    await jsm.streams.info(s.name);
  } catch (err) {
    if (apiErrorCode(err) !== STREAM_NOT_FOUND) throw err;
    await jsm.streams.add({
      name: s.name,
      subjects: [s.subject],
      storage: StorageType.File,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      max_age: nanos(MAX_AGE_MS),
    });
  }
  try {
    await jsm.consumers.info(s.name, s.durable);
  } catch (err) {
    if (apiErrorCode(err) !== CONSUMER_NOT_FOUND) throw err;
    await jsm.consumers.add(s.name, {
      durable_name: s.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(s.ackWaitMs),
      // Lifeline counts deliveries itself and dead-letters at the limit; a server-side limit would
      // drop a message silently when the process died during its last delivery.
      max_deliver: -1,
      filter_subject: s.subject,
    });
  }
}

/** Connects to NATS (a comma-separated list of servers), reconnecting for ever once connected. */
export function connectNats(url: string, waitForServer = false): Promise<NatsConnection> {
  return connect({
    servers: url.split(',').map((u) => u.trim()),
    name: 'lifeline',
    maxReconnectAttempts: -1,
    waitOnFirstConnect: waitForServer,
  });
}

const TIMEOUT = Symbol('timeout');

function after(ms: number): { promise: Promise<typeof TIMEOUT>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<typeof TIMEOUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMEOUT), Math.max(0, ms));
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * Starts the JetStream consumer (docs/ingestion.md): it pulls messages in groups (up to `maxGroup`,
 * or what arrived within `groupWaitMs` of the first), stores each group's valid transactions in
 * ONE database transaction and acknowledges them only after the commit. A message that is not a
 * transaction is dead-lettered at once; a group whose transaction fails is retried message by
 * message, and a message that still fails is redelivered later, until its delivery count reaches
 * `maxDeliver`, when it is dead-lettered. The figures go into one batch per consumer run and UTC day.
 */
export async function startStreamConsumer(ctx: AppContext, settings: StreamSettings, opts: StreamConsumerOptions): Promise<StreamConsumer> {
  const maxGroup = opts.maxGroup ?? 500;
  const groupWaitMs = opts.groupWaitMs ?? 200;
  const retryFirstMs = opts.retryDelayMs ?? 1000;
  const log = opts.log;
  const nc = await connectNats(settings.url, opts.waitForServer);
  let messages: ConsumerMessages;
  try {
    await ensureStream(await nc.jetstreamManager(), settings);
    const consumer = await nc.jetstream().consumers.get(settings.name, settings.durable);
    messages = await consumer.consume({ max_messages: maxGroup * 2 });
  } catch (err) {
    await nc.close();
    throw err;
  }
  const js = nc.jetstream();
  const totals: StreamTotals = { messages: 0, inserted: 0, duplicates: 0, deadLettered: 0, redeliveries: 0, leads: 0, alerts: 0 };
  const origin: BatchOrigin = { source: 'stream', name: settings.subject, format: 'ndjson' };
  let batch: (BatchProgress & { day: string }) | null = null;
  let lastTouch = 0;
  let stopping: Promise<void> | undefined;

  const ingest = opts.ingest;

  const closeBatch = async () => {
    if (!batch) return;
    const ending = batch;
    batch = null;
    await endBatch(ctx, origin, ending, 'done', null);
  };

  /** The batch of today, opened at the first group of the day (idle days leave no empty batches). */
  const currentBatch = async (): Promise<BatchProgress> => {
    const day = ctx.now().toISOString().slice(0, 10);
    if (batch && batch.day !== day) await closeBatch();
    if (!batch) {
      const batchId = await openBatch(ctx, origin);
      batch = { batchId, day, bytesRead: 0, bytesTotal: null, rows: 0, inserted: 0, duplicates: 0, badRows: 0, leads: 0, alerts: 0 };
      lastTouch = Date.now();
    }
    return batch;
  };

  const deadLetter = async (m: JsMsg, reason: string) => {
    const h = headers();
    h.set(DEAD_REASON_HEADER, reason.replace(/[\r\n]+/g, ' ').slice(0, 500));
    h.set('Lifeline-Dead-Subject', m.subject);
    h.set('Lifeline-Dead-Sequence', String(m.seq));
    h.set('Lifeline-Dead-Deliveries', String(m.info.deliveryCount));
    const original = m.headers?.get('Nats-Msg-Id');
    if (original) h.set('Lifeline-Dead-Msg-Id', original);
    try {
      // Through the stream when it takes the subject (the default does), so the letter is kept;
      // the id makes a second dead-lettering of the same message (after a crash) a no-op.
      await js.publish(settings.deadLetter, m.data, { headers: h, msgID: `dead:${settings.name}:${m.seq}` });
    } catch {
      nc.publish(settings.deadLetter, m.data, { headers: h });
      log.info(
        { subject: settings.deadLetter },
        'stream: no stream keeps the dead-letter subject; the letter went to live subscribers only',
      );
    }
    m.term(reason.slice(0, 200));
    totals.deadLettered += 1;
  };

  const failed = async (m: JsMsg, err: unknown) => {
    const n = m.info.deliveryCount;
    const message = err instanceof Error ? err.message : String(err);
    if (n >= settings.maxDeliver) await deadLetter(m, `processing failed ${n} times: ${message}`);
    else {
      m.nak(retryDelay(n, retryFirstMs));
      totals.redeliveries += 1;
    }
  };

  /** Stores a group's transactions (and records its bad messages) in one transaction, then acks. */
  const commit = async (good: readonly { m: JsMsg; txn: Transaction }[], bad: readonly { m: JsMsg; reason: string }[]) => {
    const b = await currentBatch();
    const bytes = [...good, ...bad].reduce((sum, g) => sum + g.m.data.length, 0);
    // Read before the transaction: SQLite has one connection, which the transaction holds.
    const rules = await activeRuleSet(ctx.db);
    // A stream has no lines: a bad message is recorded under its stream sequence number.
    const chunk = {
      txns: good.map((g) => g.txn),
      bad: bad.map((e) => ({ line: e.m.seq, reason: e.reason })),
      bytesRead: b.bytesRead + bytes,
    };
    const out = await ctx.db.transaction().execute((trx) => storeChunk(ctx, trx, b, chunk, rules, ingest));
    for (const g of good) g.m.ack();
    b.bytesRead += bytes;
    countChunk(b, good.length, bad.length, out);
    totals.inserted += out.inserted;
    totals.duplicates += out.duplicates;
    totals.leads += out.leads;
    totals.alerts += out.alerts;
    lastTouch = Date.now();
  };

  const handle = async (group: readonly JsMsg[]) => {
    const good: { m: JsMsg; txn: Transaction }[] = [];
    const bad: { m: JsMsg; reason: string }[] = [];
    for (const m of group) {
      totals.messages += 1;
      // The dead letters live in the same stream by default: they are kept there, not processed.
      if (m.subject === settings.deadLetter) {
        m.ack();
        continue;
      }
      const t = transactionOfMessage(m.data);
      if (typeof t === 'string') bad.push({ m, reason: t });
      else good.push({ m, txn: t });
    }
    for (const b of bad) await deadLetter(b.m, b.reason);
    if (good.length === 0 && bad.length === 0) return;
    try {
      await commit(good, bad);
    } catch (err) {
      log.error({ err: err instanceof Error ? err.message : String(err), messages: good.length }, 'stream: storing a group failed');
      // One message the database refuses must not hold back the rest: each gets its own try.
      if (good.length > 1) {
        for (const g of good) {
          try {
            await commit([g], []);
          } catch (single) {
            await failed(g.m, single);
          }
        }
      } else if (good[0]) await failed(good[0].m, err);
    }
  };

  const report = (what: string) => (err: unknown) =>
    log.error({ err: err instanceof Error ? err.message : String(err) }, `stream: ${what}`);

  const loop = async () => {
    const it = messages[Symbol.asyncIterator]();
    let next = it.next();
    for (;;) {
      const idle = after(HEARTBEAT_MS);
      const first = await Promise.race([next, idle.promise]);
      idle.cancel();
      if (first === TIMEOUT) {
        await heartbeat().catch(report('touching the batch failed'));
        continue;
      }
      if (first.done) break;
      const group = [first.value];
      next = it.next();
      const deadline = Date.now() + groupWaitMs;
      let ended = false;
      while (group.length < maxGroup) {
        const wait = after(deadline - Date.now());
        const r = await Promise.race([next, wait.promise]);
        wait.cancel();
        if (r === TIMEOUT) break;
        if (r.done) {
          ended = true;
          break;
        }
        group.push(r.value);
        next = it.next();
      }
      // Whatever was not acknowledged comes back after the ack wait: the consumer goes on.
      await handle(group).catch(report('handling a group failed'));
      opts.onGroup?.({ ...totals });
      if (ended) break;
    }
  };

  const heartbeat = async () => {
    if (!batch) return;
    if (batch.day !== ctx.now().toISOString().slice(0, 10)) await closeBatch();
    else if (Date.now() - lastTouch >= HEARTBEAT_MS) {
      await addToBatch(
        ctx.db,
        batch.batchId,
        { bytesRead: batch.bytesRead, rows: 0, inserted: 0, duplicates: 0, badRows: 0, leads: 0, alerts: 0 },
        ctx.now().toISOString(),
      );
      lastTouch = Date.now();
    }
  };

  const done = (async () => {
    try {
      await loop();
    } catch (err) {
      if (!stopping) report('the consumer stopped')(err);
    } finally {
      await closeBatch().catch(report('ending the batch failed'));
      // Acknowledgements already sent are flushed before the connection goes.
      if (!stopping) await nc.drain().catch(() => undefined);
    }
  })();
  log.info({ stream: settings.name, durable: settings.durable, subject: settings.subject }, 'stream: consumer started');

  return {
    totals,
    done,
    stop() {
      stopping ??= (async () => {
        await messages.close();
        await done;
        if (!nc.isClosed()) await nc.drain().catch(() => undefined);
      })();
      return stopping;
    },
  };
}
