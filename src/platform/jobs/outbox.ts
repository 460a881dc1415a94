import { z } from 'zod';
import { newId } from '../crypto/ids.js';
import type { Db, Dialect, Executor } from '../db/database.js';
import { claimDueRows, insertOutboxRow, markAttemptFailed, markSent } from './outbox.repository.js';
import { CoreBankingError, CoreBankingPayload, type CoreBankingTransport, httpCoreBankingTransport } from './core-banking.js';
import { type MailTransport, type SmtpOptions, smtpTransport } from './outbox-smtp.js';
import { type JobLogger, type PeriodicJob, startPeriodic } from './scheduler.js';
import { httpSmsTransport, NoPhoneError, SmsPayload, type SmsPhoneLookup, type SmsTransport, sendSmsRow } from './sms.js';

/** What an e-mail row carries: never a sensitive value (docs/communication.md). */
export const EmailPayload = z.object({ to: z.string(), subject: z.string(), text: z.string() });
export type EmailPayload = z.infer<typeof EmailPayload>;

/**
 * Writes an e-mail to the outbox in the caller's transaction, so it exists exactly when the change
 * that caused it commits. Without a relay or an address the row is kept as `skipped`.
 */
export async function enqueueEmail(
  db: Executor,
  mail: { to: string | null; subject: string; text: string },
  opts: { enabled: boolean; now: Date },
): Promise<string> {
  const id = newId(opts.now.getTime());
  const at = opts.now.toISOString();
  await insertOutboxRow(db, {
    id,
    kind: 'email',
    payload: JSON.stringify({ to: mail.to ?? '', subject: mail.subject, text: mail.text }),
    status: opts.enabled && mail.to ? 'pending' : 'skipped',
    attempts: 0,
    next_attempt_at: at,
    lease_until: null,
    last_error: null,
    created_at: at,
    sent_at: null,
  });
  return id;
}

/** How the worker retries. */
export interface OutboxOptions {
  /** Attempts before a row is `failed`. */
  maxAttempts: number;
  /** The first retry waits this long; each further one twice as long. */
  baseDelayMs: number;
  /** How long a claim holds: a worker that crashes mid-send leaves the row to others after it. */
  leaseMs: number;
  batchSize: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = { maxAttempts: 6, baseDelayMs: 30_000, leaseMs: 120_000, batchSize: 20 };

/** The wait before attempt `attempts + 1`: base × 2^(attempts − 1), at most a day. */
export function retryDelayMs(attempts: number, baseDelayMs: number): number {
  return Math.min(baseDelayMs * 2 ** Math.max(0, attempts - 1), 86_400_000);
}

/** What one pass did. */
export interface OutboxRunResult {
  sent: number;
  retried: number;
  failed: number;
}

/**
 * One pass of the worker: claims due rows, sends each, marks it. Delivery is at-least-once: a
 * crash after the relay accepted a mail and before the row is marked sends it again once the
 * lease ends, with the same Message-ID (the outbox id), by which mail stores discard it.
 */
export async function runOutboxOnce(
  db: Db,
  dialect: Dialect,
  transport: MailTransport,
  opts: {
    from: string;
    now: () => Date;
    options?: Partial<OutboxOptions>;
    afterSend?: (id: string) => void;
    /** SMS rows (kind `sms`, sms.ts) go to this gateway, the phone read at send time; without it they fail. */
    sms?: { transport: SmsTransport; phoneOf: SmsPhoneLookup };
    /** `core_banking` rows (core-banking.ts) go here; without it they fail. */
    coreBanking?: CoreBankingTransport;
  },
): Promise<OutboxRunResult> {
  const o = { ...DEFAULT_OUTBOX_OPTIONS, ...opts.options };
  const start = opts.now();
  const rows = await claimDueRows(db, dialect, start.toISOString(), new Date(start.getTime() + o.leaseMs).toISOString(), o.batchSize);
  const result: OutboxRunResult = { sent: 0, retried: 0, failed: 0 };
  for (const row of rows) {
    const payload = (row.kind === 'sms' ? SmsPayload : row.kind === 'core_banking' ? CoreBankingPayload : EmailPayload).safeParse(
      JSON.parse(row.payload),
    );
    try {
      if (!payload.success) throw new Error('unreadable outbox payload');
      if (row.kind === 'sms') {
        if (!opts.sms) throw new Error('no SMS gateway configured');
        await sendSmsRow(db, row, opts.sms.transport, opts.sms.phoneOf);
      } else if ('instruction' in payload.data) {
        if (!opts.coreBanking) throw new Error('no core-banking connection configured');
        await opts.coreBanking.send(payload.data);
      } else if ('subject' in payload.data) {
        await transport.send({ id: row.id, from: opts.from, ...payload.data, date: new Date(row.created_at) });
      }
    } catch (err) {
      // Retrying cannot give a customer without a phone one, nor make core banking accept what it refused.
      const final = err instanceof NoPhoneError || (err instanceof CoreBankingError && err.final);
      const failed = row.attempts >= o.maxAttempts || !payload.success || final;
      const now = opts.now();
      await markAttemptFailed(db, row.id, row.attempts, {
        status: failed ? 'failed' : 'pending',
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(row.attempts, o.baseDelayMs)).toISOString(),
        // Only the error's class and SMTP code: never the message, which could echo an address.
        error: err instanceof Error ? `${err.name}${'code' in err && err.code !== undefined ? ` ${String(err.code)}` : ''}` : 'error',
      });
      if (failed) result.failed += 1;
      else result.retried += 1;
      continue;
    }
    // A test hook: throwing here is a crash between the relay's "250" and the mark below.
    opts.afterSend?.(row.id);
    if (await markSent(db, row.id, row.attempts, opts.now().toISOString())) result.sent += 1;
  }
  return result;
}

/**
 * Starts the outbox worker; without a relay configured there is nothing to start. `smtp` takes the
 * TLS mode and account straight from `config.mail`; without it the relay is reached as `auto`
 * (STARTTLS when offered) with no account.
 */
export function startOutboxWorker(
  deps: {
    db: Db;
    dialect: Dialect;
    now: () => Date;
    smtpUrl: string | null;
    from: string;
    smtp?: Pick<SmtpOptions, 'security' | 'user' | 'password'>;
    /** P7.2.1 SMS: the gateway (null: SMS off) and the audited phone lookup (customers.service.ts smsPhoneLookup). */
    sms?: { gatewayUrl: string | null; token: string | null; phoneOf: SmsPhoneLookup };
    /** Instructions to core banking (null: not connected, rows kept as `skipped`). */
    coreBanking?: { url: string | null; token: string | null };
  },
  log: JobLogger,
  everyMs = 15_000,
): PeriodicJob | null {
  const gateway = deps.sms?.gatewayUrl
    ? { transport: httpSmsTransport(deps.sms.gatewayUrl, deps.sms.token), phoneOf: deps.sms.phoneOf }
    : undefined;
  const coreBanking = deps.coreBanking?.url ? httpCoreBankingTransport(deps.coreBanking.url, deps.coreBanking.token) : undefined;
  if (!deps.smtpUrl && !gateway && !coreBanking) return null;
  // Without a relay every e-mail row is `skipped` when written, so none reaches this transport.
  const transport: MailTransport = deps.smtpUrl
    ? smtpTransport(deps.smtpUrl, {
        security: deps.smtp?.security,
        user: deps.smtp?.user,
        password: deps.smtp?.password,
      })
    : {
        send: async () => {
          throw new Error('no SMTP relay configured');
        },
      };
  return startPeriodic({
    name: 'outbox',
    everyMs,
    run: async () => {
      const r = await runOutboxOnce(deps.db, deps.dialect, transport, {
        from: deps.from,
        now: deps.now,
        ...(gateway ? { sms: gateway } : {}),
        ...(coreBanking ? { coreBanking } : {}),
      });
      if (r.sent + r.retried + r.failed > 0) log.info({ job: 'outbox', ...r }, 'outbox: messages sent');
    },
    log,
  });
}
