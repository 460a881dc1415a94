import type { ConnectionOptions } from 'node:tls';
import nodemailer from 'nodemailer';

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

/** Where the outbox sends mail: nodemailer over SMTP in production, anything else in a test. */
export interface MailTransport {
  send(message: MailMessage): Promise<void>;
}

/** Raised when a message is refused before sending, or the SMTP server or connection fails. */
export class SmtpError extends Error {
  constructor(
    message: string,
    /** The SMTP reply code when the server answered, else nodemailer's code (`ECONNECTION`…). */
    readonly code?: number | string,
  ) {
    super(message);
    this.name = 'SmtpError';
  }
}

/**
 * How the connection is protected (LIFELINE_SMTP_SECURE): `tls` from the first byte (port 465),
 * `starttls` required (sending stops if the relay does not offer it), `auto` STARTTLS when the
 * relay offers it, `off` never (a relay on the bank's own network that speaks no TLS).
 */
export type SmtpSecurity = 'tls' | 'starttls' | 'auto' | 'off';

/** What the SMTP transport needs besides the relay's URL. */
export interface SmtpOptions {
  security?: SmtpSecurity;
  /** Both or neither: the relay's SMTP AUTH account. */
  user?: string | null;
  password?: string | null;
  /** Connection, greeting and idle timeout each. */
  timeoutMs?: number;
  /** The EHLO name; nodemailer's default is the host name. */
  heloName?: string;
  /** Extra TLS settings, e.g. a test's own CA; production trusts the system and NODE_EXTRA_CA_CERTS. */
  tls?: ConnectionOptions;
}

/** The Message-ID of an outbox row. */
export function messageIdOf(outboxId: string): string {
  // The id is ours (a UUID), but it lands in a header: anything else would be a bug upstream.
  if (!/^[A-Za-z0-9-]+$/.test(outboxId)) throw new SmtpError('invalid outbox id');
  return `<${outboxId}@lifeline.outbox>`;
}

/**
 * An address without CR/LF, angle brackets, commas or spaces: nodemailer would read
 * `a@b\r\nBcc: c@d` or `a@b, c@d` as more recipients, so such a value is refused, not cleaned.
 */
function safeAddress(address: string): string {
  if (/[\r\n<>,;"\s]/.test(address) || !/^[^@]+@[^@]+$/.test(address)) throw new SmtpError('invalid address');
  return address;
}

/** A header value without CR/LF: refused rather than folded into a second header. */
function safeHeader(value: string): string {
  if (/[\r\n]/.test(value)) throw new SmtpError('line break in a header');
  return value;
}

/** The nodemailer message of an outbox mail: the same for sending and for rendering. */
function mailOptions(m: MailMessage) {
  return {
    from: safeAddress(m.from),
    to: safeAddress(m.to),
    subject: safeHeader(m.subject),
    text: m.text,
    date: m.date,
    // Stable across retries, so a resent mail is the same mail to the store that receives it.
    messageId: messageIdOf(m.id),
    // The outbox never attaches files or links: nodemailer must not read either.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** Nodemailer's error as an SmtpError with its code only: its message can echo an address. */
function smtpErrorOf(err: unknown): SmtpError {
  if (err instanceof SmtpError) return err;
  if (err instanceof Error) {
    // nodemailer adds the reply code and its own error code to the errors it raises.
    const responseCode = 'responseCode' in err ? err.responseCode : undefined;
    const code = 'code' in err ? err.code : undefined;
    const reply = typeof responseCode === 'number' ? responseCode : undefined;
    const kind = typeof code === 'string' ? code : undefined;
    return new SmtpError(`SMTP failure ${reply ?? kind ?? ''}`.trim(), reply ?? kind);
  }
  return new SmtpError('SMTP failure');
}

/** The RFC 5322 text of a message exactly as the SMTP transport would send it (for tests and review). */
export async function renderMessage(m: MailMessage): Promise<string> {
  const options = mailOptions(m);
  const info = await nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }).sendMail(options);
  return Buffer.isBuffer(info.message) ? info.message.toString('utf8') : String(info.message);
}

/** The nodemailer connection settings for a security mode. */
function securityOptions(security: SmtpSecurity) {
  switch (security) {
    case 'tls':
      return { secure: true };
    case 'starttls':
      return { secure: false, requireTLS: true };
    case 'auto':
      return { secure: false };
    case 'off':
      return { secure: false, ignoreTLS: true };
  }
}

/**
 * An SMTP transport through nodemailer: one connection per mail (the outbox sends in small
 * batches, every 15 s), TLS 1.2 at least when TLS is used, SMTP AUTH when an account is given.
 */
export function smtpTransport(url: string, opts: SmtpOptions = {}): MailTransport {
  const parsed = new URL(url);
  if (parsed.protocol !== 'smtp:') throw new SmtpError(`unsupported mail URL scheme ${parsed.protocol}`);
  const security = opts.security ?? 'auto';
  if (((opts.user ?? null) === null) !== ((opts.password ?? null) === null)) throw new SmtpError('SMTP user and password go together');
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const transporter = nodemailer.createTransport({
    host: parsed.hostname,
    port: parsed.port === '' ? (security === 'tls' ? 465 : 25) : Number(parsed.port),
    ...securityOptions(security),
    ...(opts.user && opts.password ? { auth: { user: opts.user, pass: opts.password } } : {}),
    ...(opts.heloName ? { name: opts.heloName } : {}),
    tls: { minVersion: 'TLSv1.2', ...opts.tls },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // Nodemailer's log would carry addresses and, with debug, the message: never sensitive values in logs.
    logger: false,
    debug: false,
  });
  return {
    async send(message) {
      const options = mailOptions(message);
      try {
        await transporter.sendMail(options);
      } catch (err) {
        throw smtpErrorOf(err);
      }
    },
  };
}
