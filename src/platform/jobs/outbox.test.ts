import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, createHarness, describeEachDialect } from '../../../test/helpers/harness.js';
import { type MailMessage, SmtpError, renderMessage, smtpTransport } from './outbox-smtp.js';
import { closedPort, startTestSmtpServer } from './outbox.test-smtp.js';
import { enqueueEmail, retryDelayMs, runOutboxOnce } from './outbox.js';
import { countByStatus } from './outbox.repository.js';

const FROM = 'lifeline@lifeline.invalid';

describe('outbox mail rendering', () => {
  const mail: MailMessage = {
    id: '0190abcd',
    from: FROM,
    to: 'a@bank.invalid',
    subject: '提醒 case CI-1',
    text: '.hidden\nline',
    date: new Date(0),
  };

  it('should put the outbox id into the Message-ID and encode a non-ASCII subject', () => {
    const text = renderMessage(mail);
    expect(text).toContain('Message-ID: <0190abcd@lifeline.outbox>');
    expect(text).toMatch(/Subject: =\?UTF-8\?B\?/);
  });

  it('should refuse an address that would inject a header or command', () => {
    expect(() => renderMessage({ ...mail, to: 'a@b.invalid\r\nBcc: x@y.invalid' })).toThrow(SmtpError);
  });

  it('should double the wait with each attempt', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(40, 1000)).toBe(86_400_000);
  });
});

describeEachDialect('outbox worker', (dialect) => {
  let h: Harness;
  let smtp: Awaited<ReturnType<typeof startTestSmtpServer>>;
  const options = { maxAttempts: 3, baseDelayMs: 60_000, leaseMs: 120_000, batchSize: 20 };

  beforeAll(async () => {
    h = await createHarness(dialect);
    smtp = await startTestSmtpServer();
  });
  afterAll(async () => {
    await smtp?.close();
    await h?.close();
  });
  afterEach(async () => {
    await h.db.deleteFrom('outbox').execute();
    smtp.mails.length = 0;
  });

  const enqueue = (n: number) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        enqueueEmail(
          h.db,
          { to: `staff${i}@bank.invalid`, subject: `mail ${i}`, text: `body ${i}` },
          { enabled: true, now: h.clock.now() },
        ),
      ),
    );
  const run = (url = smtp.url, afterSend?: (id: string) => void) =>
    runOutboxOnce(h.db, h.dialect, smtpTransport(url, { timeoutMs: 5000 }), { from: FROM, now: h.clock.now, options, afterSend });

  it('should send a pending mail once and mark it sent', async () => {
    const [id] = await enqueue(1);
    expect(await run()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await run()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]?.messageId).toBe(`<${id}@lifeline.outbox>`);
    expect(smtp.mails[0]?.to).toEqual(['staff0@bank.invalid']);
    expect(smtp.mails[0]?.text).toBe('body 0');
    expect(await countByStatus(h.db)).toEqual({ sent: 1 });
  });

  it('should deliver each mail exactly once when two workers run at the same time', async () => {
    const ids = await enqueue(8);
    const results = await Promise.all([run(), run(), run()]);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(8);
    expect(smtp.mails.map((m) => m.messageId).sort()).toEqual(ids.map((id) => `<${id}@lifeline.outbox>`).sort());
    expect(await countByStatus(h.db)).toEqual({ sent: 8 });
  });

  it('should resend with the same Message-ID after a crash between sending and marking (at-least-once)', async () => {
    const [id] = await enqueue(1);
    await expect(
      run(smtp.url, () => {
        throw new Error('crash after the relay accepted the mail');
      }),
    ).rejects.toThrow(/crash/);
    expect(await countByStatus(h.db)).toEqual({ sending: 1 });
    // While the dead worker's lease holds, no one else takes the row.
    expect((await run()).sent).toBe(0);
    h.clock.advance(options.leaseMs + 1);
    expect((await run()).sent).toBe(1);
    expect(await countByStatus(h.db)).toEqual({ sent: 1 });
    // Two deliveries to the relay, one message: the mail store keeps one per Message-ID.
    expect(smtp.mails).toHaveLength(2);
    expect(new Set(smtp.mails.map((m) => m.messageId))).toEqual(new Set([`<${id}@lifeline.outbox>`]));
  });

  it('should retry with back-off after a refused connection, then send', async () => {
    const refused = `smtp://127.0.0.1:${await closedPort()}`;
    await enqueue(1);
    expect(await run(refused)).toEqual({ sent: 0, retried: 1, failed: 0 });
    const row = await h.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/Error/);
    expect(Date.parse(row.next_attempt_at) - h.clock.now().getTime()).toBe(options.baseDelayMs);
    expect((await run()).sent).toBe(0); // not due yet
    h.clock.advance(options.baseDelayMs);
    expect(await run()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(smtp.mails).toHaveLength(1);
  });

  it('should give up as failed after the last attempt', async () => {
    const refused = `smtp://127.0.0.1:${await closedPort()}`;
    await enqueue(1);
    expect((await run(refused)).retried).toBe(1);
    h.clock.advance(retryDelayMs(1, options.baseDelayMs));
    expect((await run(refused)).retried).toBe(1);
    h.clock.advance(retryDelayMs(2, options.baseDelayMs));
    expect((await run(refused)).failed).toBe(1);
    h.clock.advance(86_400_000);
    expect((await run()).sent).toBe(0);
    expect(await countByStatus(h.db)).toEqual({ failed: 1 });
  });

  it('should keep mail as skipped when e-mail is off or the address is unknown', async () => {
    await enqueueEmail(h.db, { to: 'a@bank.invalid', subject: 's', text: 't' }, { enabled: false, now: h.clock.now() });
    await enqueueEmail(h.db, { to: null, subject: 's', text: 't' }, { enabled: true, now: h.clock.now() });
    expect((await run()).sent).toBe(0);
    expect(await countByStatus(h.db)).toEqual({ skipped: 2 });
  });
});
