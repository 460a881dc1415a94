import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const flag = z
  .enum(['0', '1', 'true', 'false', 'on', 'off', 'yes', 'no', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : ['1', 'true', 'on', 'yes'].includes(v)));

/** Every environment variable Lifeline reads; README.md documents each one. */
const EnvSchema = z.object({
  NODE_ENV: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  LIFELINE_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional(),
  LIFELINE_KEY_FILE: z.string().optional(),
  LIFELINE_KEYS: z.string().optional(),
  LIFELINE_DEMO_PASSWORD: z.string().min(8).optional(),
  LIFELINE_MFA: z.enum(['on', 'off']).default('on'),
  LIFELINE_INSECURE_COOKIES: flag,
  LIFELINE_SCRYPT_LOG_N: z.coerce.number().int().min(10).max(20).default(17),
  LIFELINE_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  LIFELINE_SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  LIFELINE_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LIFELINE_LOGIN_LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  LIFELINE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  LIFELINE_LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  LIFELINE_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  LIFELINE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LIFELINE_SEED_CUSTOMERS: z.coerce.number().int().min(0).max(1_000_000).default(300),
  LIFELINE_TRUST_PROXY: flag,
  LIFELINE_VERIFY_BUSINESS_DAYS: z.coerce.number().int().min(0).max(60).default(2),
  LIFELINE_BUSINESS_HOURS: z
    .string()
    .regex(/^([01]?\d|2[0-3])-([01]?\d|2[0-4])$/, 'HH-HH, e.g. 9-17')
    .default('9-17')
    .transform((v) => v.split('-').map(Number))
    .refine(([open = 0, close = 0]) => open < close, 'the opening hour comes before the closing hour'),
  LIFELINE_UTC_OFFSET_MINUTES: z.coerce.number().int().min(-720).max(840).default(480),
  LIFELINE_HOLIDAYS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((d) => d.trim())
        .filter((d) => d !== ''),
    )
    .refine(
      (days) => days.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d)),
      'comma-separated dates YYYY-MM-DD',
    ),
  /** P9.1: the SMTP relay for e-mail notifications (`smtp://host:port`); unset = e-mail off. */
  LIFELINE_SMTP_URL: z
    .string()
    .regex(/^smtp:\/\/[^\s/:]+(:\d{1,5})?\/?$/, 'smtp://host[:port]')
    .optional(),
  LIFELINE_MAIL_FROM: z.string().email().default('lifeline@lifeline.invalid'),
  /** P9.1: TLS to the relay: `tls` (implicit, port 465), `starttls` (required), `auto` (when offered), `off`. */
  LIFELINE_SMTP_SECURE: z.enum(['tls', 'starttls', 'auto', 'off']).default('auto'),
  /** P9.1: the relay's SMTP AUTH account; both or neither. */
  LIFELINE_SMTP_USER: z.string().min(1).optional(),
  LIFELINE_SMTP_PASSWORD: z.string().min(1).optional(),
  /** P3.3: training hours each staff member needs in 12 months. */
  LIFELINE_TRAINING_HOURS_PER_YEAR: z.coerce.number().min(0).max(1000).default(8),
  LIFELINE_CASE_UPDATE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  LIFELINE_RETENTION_YEARS: z.coerce.number().int().min(1).max(100).default(5),
  /** P3.2: days between the team's recurring duties (docs/work.md). */
  LIFELINE_DUTY_CONTACT_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  LIFELINE_DUTY_WEALTH_REVIEW_DAYS: z.coerce.number().int().min(1).max(365).default(90),
  LIFELINE_DUTY_RISK_REVIEW_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  LIFELINE_DUTY_FOLLOW_UP_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  LIFELINE_DUTY_AFTER_SERVICE_DAYS: z.coerce.number().int().min(0).max(60).default(3),
  /** P5.4.1: how long a break-glass grant lasts. */
  LIFELINE_BREAK_GLASS_HOURS: z.coerce.number().min(0.25).max(24).default(4),
  /** Issue 5: the NATS server of the JetStream transaction feed (`nats://host:port`); unset = no consumer. */
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/\S+$/, 'nats://host[:port][,nats://…]')
    .optional(),
  LIFELINE_STREAM_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -')
    .default('TRANSACTIONS'),
  LIFELINE_STREAM_SUBJECT: z
    .string()
    .regex(/^[^\s]{1,255}$/, 'a NATS subject')
    .default('lifeline.transactions.>'),
  LIFELINE_STREAM_DURABLE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -')
    .default('lifeline-ingest'),
  LIFELINE_STREAM_MAX_DELIVER: z.coerce.number().int().min(1).max(1000).default(5),
  LIFELINE_STREAM_DEAD_LETTER: z
    .string()
    .regex(/^[^\s*>]{1,255}$/, 'a NATS subject without wildcards')
    .default('lifeline.transactions.dead'),
  LIFELINE_STREAM_ACK_WAIT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Issue 5: a running batch whose record has not moved for this long belongs to a process that died. */
  LIFELINE_BATCH_STALE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /** Issue 5: the most stored transactions one rule-set dry run replays. */
  LIFELINE_DRY_RUN_MAX_ROWS: z.coerce.number().int().min(1).max(100_000_000).default(2_000_000),
  /** P2.2.3: days after a rejected analysis lead during which the customer gets no new one. */
  LIFELINE_ANALYSIS_SUPPRESS_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
  /** P7.2.1: hours within which an alert's customer should be contacted; older open alerts are overdue. */
  LIFELINE_ALERT_CONTACT_HOURS: z.coerce.number().min(1).max(720).default(24),
  /** P7.2.1 SMS: the gateway that takes `POST {to, text}` (JSON); unset = SMS off, outbox rows kept as `skipped`. */
  LIFELINE_SMS_GATEWAY_URL: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'an http(s) URL')
    .optional(),
  LIFELINE_SMS_GATEWAY_TOKEN: z.string().min(1).optional(),
  /** The bank's name in the SMS's 【…】 signature. */
  LIFELINE_SMS_BANK_NAME: z.string().min(1).max(30).default('XX银行'),
  /** Core banking's instruction endpoint (docs/core-banking.md); unset = instructions kept as `skipped`, booked by hand. */
  LIFELINE_CORE_BANKING_URL: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'an http(s) URL')
    .optional(),
  LIFELINE_CORE_BANKING_TOKEN: z.string().min(1).optional(),
  /** The most an emergency loan (P4.1) may lend, in fen; default ¥50,000. */
  LIFELINE_EMERGENCY_LOAN_CAP_FEN: z.coerce.number().int().min(1).max(100_000_000_000).default(5_000_000),
  /** The emergency loan's annual rate in basis points (0: interest-free); default 3.45 %. */
  LIFELINE_EMERGENCY_LOAN_RATE_BP: z.coerce.number().int().min(0).max(3600).default(345),
});

/** The validated, frozen configuration of one Lifeline process. */
export interface Config {
  readonly production: boolean;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** `sqlite` file in dataDir unless DATABASE_URL names a PostgreSQL database. */
  readonly database: { readonly dialect: 'sqlite'; readonly file: string } | { readonly dialect: 'postgres'; readonly url: string };
  readonly keys: { readonly file: string; readonly inline?: string };
  readonly demoPassword?: string;
  readonly mfaRequired: boolean;
  readonly secureCookies: boolean;
  readonly scryptLogN: number;
  readonly session: { readonly idleMs: number; readonly absoluteMs: number };
  readonly login: { readonly maxFailures: number; readonly lockMs: number };
  readonly rateLimitPerMinute: number;
  /** Sign-in attempts per client address per minute. */
  readonly loginRatePerMinute: number;
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
  readonly seedCustomers: number;
  readonly trustProxy: boolean;
  /** Lead verification (P2.3.2): business days to decide a lead; holidays `YYYY-MM-DD` besides weekends. */
  readonly leads: { readonly verifyBusinessDays: number; readonly holidays: readonly string[] };
  /** Service times (P6.2.2) run in business hours: opening hours on the bank's local clock (minutes east of UTC). */
  readonly businessHours: { readonly openHour: number; readonly closeHour: number; readonly offsetMinutes: number };
  /**
   * P9.1 e-mail: the SMTP relay (null: e-mail off, outbox rows kept as `skipped`), the sender, how
   * the connection is protected and the relay's account (user and password both, or both null).
   */
  readonly mail: {
    readonly smtpUrl: string | null;
    readonly from: string;
    readonly security: 'tls' | 'starttls' | 'auto' | 'off';
    readonly user: string | null;
    readonly password: string | null;
  };
  /** P3.3: training hours a staff member needs in 12 months. */
  readonly training: { readonly hoursPerYear: number };
  /** Case files (P5.3): days between periodic updates; years a closed case keeps its sensitive fields. */
  readonly cases: { readonly updateIntervalDays: number; readonly retentionYears: number };
  /** P3.2 duties: days between recurring tasks per kind; days after a completed service to the follow-up call. */
  readonly duties: {
    readonly contactDays: number;
    readonly wealthReviewDays: number;
    readonly riskReviewDays: number;
    readonly followUpDays: number;
    readonly afterServiceDays: number;
  };
  /** P5.4.1: hours a break-glass grant lasts. */
  readonly access: { readonly breakGlassHours: number };
  /**
   * Issue 5 (docs/ingestion.md): the JetStream feed (url null: no consumer), its stream, subject,
   * durable consumer, deliveries before dead-lettering, dead-letter subject and ack wait.
   */
  readonly stream: {
    readonly url: string | null;
    readonly name: string;
    readonly subject: string;
    readonly durable: string;
    readonly maxDeliver: number;
    readonly deadLetter: string;
    readonly ackWaitMs: number;
  };
  /** Issue 5: how long a running batch may stand still before it counts as interrupted. */
  readonly batches: { readonly staleMs: number };
  /** Issue 5: the most stored transactions one rule-set dry run replays (docs/analysis.md). */
  readonly rules: { readonly dryRunMaxRows: number };
  /** Issue 5 (docs/alerts.md): lead suppression after a rejection, the alert contact target, the SMS gateway. */
  readonly alerts: {
    readonly suppressDays: number;
    readonly contactHours: number;
    readonly smsGatewayUrl: string | null;
    readonly smsGatewayToken: string | null;
    readonly smsBankName: string;
  };
  /** Instructions to core banking through the outbox (docs/core-banking.md). */
  readonly coreBanking: { readonly url: string | null; readonly token: string | null };
  /** Credit care (docs/credit.md): the emergency loan's cap in fen (P4.1). */
  readonly credit: { readonly emergencyLoanCapMinor: number; readonly emergencyLoanRateBp: number };
}

/** Thrown when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {}

/** Reads and validates the environment once; the answer is frozen. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const dataDir = path.resolve(e.LIFELINE_DATA_DIR);
  if (e.LIFELINE_MFA === 'off' && (production || e.DATABASE_URL)) {
    throw new ConfigError('LIFELINE_MFA=off is allowed only with the embedded demo (no NODE_ENV=production, no DATABASE_URL)');
  }
  if ((e.LIFELINE_SMTP_USER === undefined) !== (e.LIFELINE_SMTP_PASSWORD === undefined)) {
    throw new ConfigError('LIFELINE_SMTP_USER and LIFELINE_SMTP_PASSWORD go together');
  }
  // A password over a connection that may stay in clear text would be readable on the network.
  if (e.LIFELINE_SMTP_USER !== undefined && (e.LIFELINE_SMTP_SECURE === 'auto' || e.LIFELINE_SMTP_SECURE === 'off')) {
    throw new ConfigError('LIFELINE_SMTP_USER needs LIFELINE_SMTP_SECURE=tls or starttls');
  }
  if (production && e.LIFELINE_INSECURE_COOKIES) {
    throw new ConfigError('LIFELINE_INSECURE_COOKIES is not allowed with NODE_ENV=production');
  }
  const config: Config = {
    production,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: e.DATABASE_URL
      ? { dialect: 'postgres', url: e.DATABASE_URL }
      : { dialect: 'sqlite', file: path.join(dataDir, 'lifeline.sqlite') },
    keys: { file: path.resolve(e.LIFELINE_KEY_FILE ?? path.join(dataDir, 'keys.json')), inline: e.LIFELINE_KEYS },
    demoPassword: e.LIFELINE_DEMO_PASSWORD,
    mfaRequired: e.LIFELINE_MFA === 'on',
    secureCookies: !e.LIFELINE_INSECURE_COOKIES,
    scryptLogN: e.LIFELINE_SCRYPT_LOG_N,
    session: { idleMs: e.LIFELINE_SESSION_IDLE_MINUTES * 60_000, absoluteMs: e.LIFELINE_SESSION_ABSOLUTE_HOURS * 3_600_000 },
    login: { maxFailures: e.LIFELINE_LOGIN_MAX_FAILURES, lockMs: e.LIFELINE_LOGIN_LOCK_MINUTES * 60_000 },
    rateLimitPerMinute: e.LIFELINE_RATE_LIMIT_PER_MINUTE,
    loginRatePerMinute: e.LIFELINE_LOGIN_RATE_PER_MINUTE,
    bodyLimitBytes: e.LIFELINE_BODY_LIMIT_BYTES,
    logLevel: e.LIFELINE_LOG_LEVEL,
    seedCustomers: e.LIFELINE_SEED_CUSTOMERS,
    trustProxy: e.LIFELINE_TRUST_PROXY ?? false,
    leads: { verifyBusinessDays: e.LIFELINE_VERIFY_BUSINESS_DAYS, holidays: Object.freeze(e.LIFELINE_HOLIDAYS) },
    businessHours: {
      openHour: e.LIFELINE_BUSINESS_HOURS[0] ?? 9,
      closeHour: e.LIFELINE_BUSINESS_HOURS[1] ?? 17,
      offsetMinutes: e.LIFELINE_UTC_OFFSET_MINUTES,
    },
    mail: {
      smtpUrl: e.LIFELINE_SMTP_URL ?? null,
      from: e.LIFELINE_MAIL_FROM,
      security: e.LIFELINE_SMTP_SECURE,
      user: e.LIFELINE_SMTP_USER ?? null,
      password: e.LIFELINE_SMTP_PASSWORD ?? null,
    },
    training: { hoursPerYear: e.LIFELINE_TRAINING_HOURS_PER_YEAR },
    cases: { updateIntervalDays: e.LIFELINE_CASE_UPDATE_DAYS, retentionYears: e.LIFELINE_RETENTION_YEARS },
    duties: {
      contactDays: e.LIFELINE_DUTY_CONTACT_DAYS,
      wealthReviewDays: e.LIFELINE_DUTY_WEALTH_REVIEW_DAYS,
      riskReviewDays: e.LIFELINE_DUTY_RISK_REVIEW_DAYS,
      followUpDays: e.LIFELINE_DUTY_FOLLOW_UP_DAYS,
      afterServiceDays: e.LIFELINE_DUTY_AFTER_SERVICE_DAYS,
    },
    access: { breakGlassHours: e.LIFELINE_BREAK_GLASS_HOURS },
    stream: {
      url: e.NATS_URL ?? null,
      name: e.LIFELINE_STREAM_NAME,
      subject: e.LIFELINE_STREAM_SUBJECT,
      durable: e.LIFELINE_STREAM_DURABLE,
      maxDeliver: e.LIFELINE_STREAM_MAX_DELIVER,
      deadLetter: e.LIFELINE_STREAM_DEAD_LETTER,
      ackWaitMs: e.LIFELINE_STREAM_ACK_WAIT_SECONDS * 1000,
    },
    batches: { staleMs: e.LIFELINE_BATCH_STALE_SECONDS * 1000 },
    rules: { dryRunMaxRows: e.LIFELINE_DRY_RUN_MAX_ROWS },
    alerts: {
      suppressDays: e.LIFELINE_ANALYSIS_SUPPRESS_DAYS,
      contactHours: e.LIFELINE_ALERT_CONTACT_HOURS,
      smsGatewayUrl: e.LIFELINE_SMS_GATEWAY_URL ?? null,
      smsGatewayToken: e.LIFELINE_SMS_GATEWAY_TOKEN ?? null,
      smsBankName: e.LIFELINE_SMS_BANK_NAME,
    },
    coreBanking: { url: e.LIFELINE_CORE_BANKING_URL ?? null, token: e.LIFELINE_CORE_BANKING_TOKEN ?? null },
    credit: { emergencyLoanCapMinor: e.LIFELINE_EMERGENCY_LOAN_CAP_FEN, emergencyLoanRateBp: e.LIFELINE_EMERGENCY_LOAN_RATE_BP },
  };
  return Object.freeze(config);
}

/** True when the embedded database file does not exist yet (first start). */
export function isFirstStart(config: Config): boolean {
  return config.database.dialect === 'sqlite' && !existsSync(config.database.file);
}
