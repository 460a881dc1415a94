import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import { ConfigError, loadConfig } from '../../config/config.js';
import { enqueueEmail, retryDelayMs, runOutboxOnce } from './outbox.js';
import { countByStatus } from './outbox.repository.js';
import { closedPort, decodeWords, startTestSmtpServer, type TestSmtpServer } from './outbox.test-smtp.js';
import { type MailMessage, renderMessage, SmtpError, smtpTransport } from './outbox-smtp.js';

const FROM = 'lifeline@lifeline.invalid';

const mail: MailMessage = {
  id: '0190abcd',
  from: FROM,
  to: 'a@bank.invalid',
  subject: '提醒 case CI-1',
  text: '.hidden\nline',
  date: new Date(0),
};

describe('outbox mail rendering', () => {
  it('should put the outbox id into the Message-ID and encode a non-ASCII subject', async () => {
    const text = await renderMessage(mail);
    expect(text).toContain('Message-ID: <0190abcd@lifeline.outbox>');
    const subject = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(text)?.[1] ?? '';
    expect(subject).toMatch(/^=\?UTF-8\?[BQ]\?/);
    expect(decodeWords(subject.replace(/\r\n(?=[ \t])/g, ''))).toBe('提醒 case CI-1');
  });

  it('should refuse an address that would inject a header, a command or another recipient', async () => {
    for (const to of ['a@b.invalid\r\nBcc: x@y.invalid', 'a@b.invalid, x@y.invalid', '<x@y.invalid>', 'nobody']) {
      await expect(renderMessage({ ...mail, to })).rejects.toThrow(SmtpError);
    }
    await expect(renderMessage({ ...mail, from: 'a@b.invalid\nRCPT TO:<x@y.invalid>' })).rejects.toThrow(SmtpError);
  });

  it('should refuse a line break in a header rather than fold it into another header', async () => {
    await expect(renderMessage({ ...mail, subject: 'hi\r\nBcc: x@y.invalid' })).rejects.toThrow(SmtpError);
    await expect(renderMessage({ ...mail, id: 'x>\r\nBcc: x@y.invalid' })).rejects.toThrow(SmtpError);
  });

  it('should double the wait with each attempt', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(40, 1000)).toBe(86_400_000);
  });
});

describe('outbox SMTP transport (nodemailer)', () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
  });
  afterAll(async () => {
    await smtp?.close();
  });

  it('should deliver non-ASCII text and a long subject that the relay reads back unchanged', async () => {
    const subject = `王芳在案件 CI-2026-000123 的讨论中提到了您，请登录 Lifeline 查看。${'长'.repeat(60)}`;
    const text = `${'您好，'.repeat(40)}\n.这一行以句点开头\n最后一行`;
    await smtpTransport(smtp.url, { timeoutMs: 5000 }).send({ ...mail, subject, text });
    const [received] = smtp.mails;
    expect(received?.subject).toBe(subject);
    expect(received?.text).toBe(text);
    expect(received?.messageId).toBe('<0190abcd@lifeline.outbox>');
    expect(received?.from).toBe(FROM);
    expect(received?.to).toEqual(['a@bank.invalid']);
    expect(received?.secure).toBe(false);
  });

  it('should answer a refused mail with the SMTP code and no address in the error', async () => {
    smtp.refuseNext(1, '550 5.1.1 mailbox a@bank.invalid unavailable');
    const error = await smtpTransport(smtp.url, { timeoutMs: 5000 })
      .send(mail)
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(error).toBeInstanceOf(SmtpError);
    expect(error).toMatchObject({ code: 550 });
    expect(String(error)).not.toContain('a@bank.invalid');
  });
});

describe('SMTP configuration', () => {
  const relay = { LIFELINE_SMTP_URL: 'smtp://relay.bank.invalid:587' };

  it('should read the TLS mode and the account', () => {
    const config = loadConfig({ ...relay, LIFELINE_SMTP_SECURE: 'starttls', LIFELINE_SMTP_USER: 'u', LIFELINE_SMTP_PASSWORD: 'p' });
    expect(config.mail).toMatchObject({ smtpUrl: relay.LIFELINE_SMTP_URL, security: 'starttls', user: 'u', password: 'p' });
    expect(loadConfig(relay).mail).toMatchObject({ security: 'auto', user: null, password: null });
  });

  it('should refuse a user without a password, and a password that could travel in clear text', () => {
    expect(() => loadConfig({ ...relay, LIFELINE_SMTP_SECURE: 'tls', LIFELINE_SMTP_USER: 'u' })).toThrow(ConfigError);
    for (const mode of ['auto', 'off']) {
      expect(() => loadConfig({ ...relay, LIFELINE_SMTP_SECURE: mode, LIFELINE_SMTP_USER: 'u', LIFELINE_SMTP_PASSWORD: 'p' })).toThrow(
        ConfigError,
      );
    }
    expect(() => loadConfig({ ...relay, LIFELINE_SMTP_SECURE: 'maybe' })).toThrow(ConfigError);
  });
});

/** A self-signed certificate for 127.0.0.1, made by openssl for this run (no key kept in the repository). */
function testCertificate(): { key: string; cert: string } | null {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-smtp-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const certificate = testCertificate();

describe.runIf(certificate !== null)('outbox SMTP transport with STARTTLS and an account', () => {
  // The suite runs only when openssl made the certificate (without openssl it is skipped).
  const pem = certificate ?? { key: '', cert: '' };
  const account = { user: 'lifeline-relay', password: 'relay-password-1' };
  let smtp: TestSmtpServer;
  let plain: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startTestSmtpServer({ auth: account, tls: pem });
    plain = await startTestSmtpServer();
  });
  afterAll(async () => {
    await smtp?.close();
    await plain?.close();
  });
  const tls = () => ({ ca: pem.cert });

  it('should upgrade to TLS, sign in and deliver', async () => {
    await smtpTransport(smtp.url, { security: 'starttls', ...account, tls: tls(), timeoutMs: 5000 }).send(mail);
    expect(smtp.mails.at(-1)).toMatchObject({ secure: true, authUser: account.user, messageId: '<0190abcd@lifeline.outbox>' });
  });

  it('should not send when the relay refuses the account', async () => {
    const wrong = smtpTransport(smtp.url, { security: 'starttls', user: account.user, password: 'wrong', tls: tls(), timeoutMs: 5000 });
    await expect(wrong.send(mail)).rejects.toMatchObject({ name: 'SmtpError', code: 535 });
  });

  it('should not send in clear text when STARTTLS is required and the relay does not offer it', async () => {
    await expect(smtpTransport(plain.url, { security: 'starttls', timeoutMs: 5000 }).send(mail)).rejects.toThrow(SmtpError);
    expect(plain.mails).toHaveLength(0);
  });

  it('should not trust a certificate it cannot verify', async () => {
    await expect(smtpTransport(smtp.url, { security: 'starttls', ...account, timeoutMs: 5000 }).send(mail)).rejects.toThrow(SmtpError);
  });
});

describeEachDialect('outbox worker', (dialect) => {
  let h: Harness;
  let smtp: TestSmtpServer;
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

  it('should retry with back-off when the relay answers with a temporary failure, keeping the Message-ID', async () => {
    const [id] = await enqueue(1);
    smtp.refuseNext(1, '451 4.3.0 try again later');
    expect(await run()).toEqual({ sent: 0, retried: 1, failed: 0 });
    const row = await h.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row.last_error).toBe('SmtpError 451');
    h.clock.advance(options.baseDelayMs);
    expect(await run()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(smtp.mails.map((m) => m.messageId)).toEqual([`<${id}@lifeline.outbox>`]);
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
