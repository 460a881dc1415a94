import net from 'node:net';

/** One e-mail as the outbox hands it to a transport. */
export interface MailMessage {
  /** The outbox row id: it becomes the Message-ID, so a resent mail is recognisable as the same. */
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  date: Date;
}

/**
 * Where the outbox sends mail. The SMTP client below is small on purpose (no TLS, no auth): in
 * production a relay on the local network, or nodemailer with TLS behind this same interface.
 */
export interface MailTransport {
  send(message: MailMessage): Promise<void>;
}

/** Raised when the SMTP server refuses a command or the connection fails. */
export class SmtpError extends Error {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'SmtpError';
  }
}

/** The Message-ID of an outbox row. */
export function messageIdOf(outboxId: string): string {
  return `<${outboxId}@lifeline.outbox>`;
}

/** `=?UTF-8?B?…?=` for a header value that is not plain ASCII. */
function encodeHeader(value: string): string {
  const clean = value.replace(/[\r\n]+/g, ' ');
  if (/^[\x20-\x7e]*$/.test(clean)) return clean;
  return `=?UTF-8?B?${Buffer.from(clean, 'utf8').toString('base64')}?=`;
}

/** An address without CR/LF or angle brackets, so it cannot inject commands or headers. */
function safeAddress(address: string): string {
  if (/[\r\n<>\s]/.test(address) || !address.includes('@')) throw new SmtpError('invalid address');
  return address;
}

/** The RFC 5322 text of a message: headers, then the body in base64 lines of 76. */
export function renderMessage(m: MailMessage): string {
  const body = Buffer.from(m.text, 'utf8')
    .toString('base64')
    .replace(/.{1,76}/g, '$&\r\n');
  return [
    `From: ${safeAddress(m.from)}`,
    `To: ${safeAddress(m.to)}`,
    `Subject: ${encodeHeader(m.subject)}`,
    `Message-ID: ${messageIdOf(m.id)}`,
    `Date: ${m.date.toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    body,
  ].join('\r\n');
}

/** Reads SMTP replies (multi-line `250-…` ending in `250 …`) from a socket. */
class ReplyReader {
  private buffer = '';
  private lines: string[] = [];
  private waiting: ((reply: { code: number; text: string }) => void) | undefined;
  private failed: Error | undefined;
  private fail: ((err: Error) => void) | undefined;

  constructor(socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let i = this.buffer.indexOf('\r\n');
      while (i >= 0) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 2);
        this.lines.push(line);
        if (/^\d{3} /.test(line) || /^\d{3}$/.test(line)) this.complete();
        i = this.buffer.indexOf('\r\n');
      }
    });
    const onError = (err: Error) => {
      this.failed = err;
      this.fail?.(err);
    };
    socket.on('error', onError);
    socket.on('close', () => onError(new SmtpError('connection closed by the server')));
  }

  private ready: { code: number; text: string }[] = [];
  private complete(): void {
    const text = this.lines.join('\n');
    const code = Number(this.lines.at(-1)?.slice(0, 3));
    this.lines = [];
    const reply = { code, text };
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      this.fail = undefined;
      w(reply);
    } else this.ready.push(reply);
  }

  next(): Promise<{ code: number; text: string }> {
    const queued = this.ready.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.fail = reject;
    });
  }
}

/** A minimal SMTP client over node:net: EHLO, MAIL FROM, RCPT TO, DATA, QUIT; no TLS, no auth. */
export function smtpTransport(url: string, opts: { timeoutMs?: number; heloName?: string } = {}): MailTransport {
  const parsed = new URL(url);
  if (parsed.protocol !== 'smtp:') throw new SmtpError(`unsupported mail URL scheme ${parsed.protocol}`);
  const host = parsed.hostname;
  const port = parsed.port === '' ? 25 : Number(parsed.port);
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const heloName = opts.heloName ?? 'lifeline';
  return {
    async send(message) {
      const data = renderMessage(message);
      const socket = net.connect({ host, port });
      socket.setTimeout(timeoutMs, () => socket.destroy(new SmtpError('SMTP timeout')));
      const replies = new ReplyReader(socket);
      const expect = async (codes: number[], what: string) => {
        const reply = await replies.next();
        if (!codes.includes(reply.code)) throw new SmtpError(`${what}: ${reply.code}`, reply.code);
      };
      const command = async (line: string, codes: number[], what: string) => {
        socket.write(`${line}\r\n`);
        await expect(codes, what);
      };
      try {
        await expect([220], 'greeting');
        await command(`EHLO ${heloName}`, [250], 'EHLO');
        await command(`MAIL FROM:<${safeAddress(message.from)}>`, [250], 'MAIL FROM');
        await command(`RCPT TO:<${safeAddress(message.to)}>`, [250, 251], 'RCPT TO');
        await command('DATA', [354], 'DATA');
        // Dot-stuffing: a line starting with "." gets another one (RFC 5321 4.5.2).
        const stuffed = data.replace(/(^|\r\n)\./g, '$1..');
        await command(`${stuffed}${stuffed.endsWith('\r\n') ? '' : '\r\n'}.`, [250], 'end of data');
        socket.write('QUIT\r\n');
        await replies.next().catch(() => undefined);
      } finally {
        socket.end();
        socket.destroy();
      }
    },
  };
}
