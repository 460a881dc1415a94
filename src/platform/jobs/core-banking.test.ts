import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type FakeCoreBanking, startFakeCoreBanking } from '../../../test/helpers/core-banking.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import { enqueueCoreBankingInstruction, httpCoreBankingTransport } from './core-banking.js';
import { runOutboxOnce } from './outbox.js';
import { countByStatus } from './outbox.repository.js';
import type { MailTransport } from './outbox-smtp.js';

const noMail: MailTransport = {
  send: async () => {
    throw new Error('no mail in this test');
  },
};

describeEachDialect('instructions to core banking through the outbox', (dialect) => {
  let h: Harness;
  let bank: FakeCoreBanking;
  const options = { maxAttempts: 3, baseDelayMs: 60_000, leaseMs: 120_000, batchSize: 20 };

  beforeAll(async () => {
    h = await createHarness(dialect);
    bank = await startFakeCoreBanking();
  });
  afterAll(async () => {
    await bank?.close();
    await h?.close();
  });
  afterEach(async () => {
    await h.db.deleteFrom('outbox').execute();
    bank.received.length = 0;
  });

  const enqueue = (key: string, enabled = true) =>
    enqueueCoreBankingInstruction(
      h.db,
      { instruction: 'loan_disbursement', idempotencyKey: key, body: { requestId: key, amountMinor: 3_000_000 } },
      { enabled, now: h.clock.now() },
    );
  const run = () =>
    runOutboxOnce(h.db, h.dialect, noMail, {
      from: 'x@bank.invalid',
      now: h.clock.now,
      options,
      coreBanking: httpCoreBankingTransport(bank.url, 'secret-token'),
    });

  it('P4.1 should post an instruction once with its idempotency key and the bearer token', async () => {
    await enqueue('req-1');
    expect(await run()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await run()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(bank.received).toEqual([
      {
        instruction: 'loan_disbursement',
        idempotencyKey: 'req-1',
        authorization: 'Bearer secret-token',
        body: { requestId: 'req-1', amountMinor: 3_000_000 },
      },
    ]);
  });

  it('P4.1 should count a 409 for an instruction core banking already has as delivered, so a repeat books once', async () => {
    await enqueue('req-2');
    await enqueue('req-2');
    const r = await run();
    expect(r.sent).toBe(2);
    expect(bank.received).toHaveLength(1);
    expect(await countByStatus(h.db)).toEqual({ sent: 2 });
  });

  it('should retry after an outage with backoff and give up on a refusal', async () => {
    await enqueue('req-3');
    bank.failNext(503);
    expect(await run()).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect(await run()).toEqual({ sent: 0, retried: 0, failed: 0 });
    h.clock.advance(options.baseDelayMs + 1);
    expect(await run()).toEqual({ sent: 1, retried: 0, failed: 0 });
    await enqueue('req-4');
    bank.failNext(422);
    expect(await run()).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(bank.received.map((i) => i.idempotencyKey)).toEqual(['req-3']);
  });

  it('should keep an instruction as skipped when no core-banking connection is configured', async () => {
    await enqueue('req-5', false);
    expect(await run()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await countByStatus(h.db)).toEqual({ skipped: 1 });
  });
});
