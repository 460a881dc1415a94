import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { type Config, isFirstStart } from './config/config.js';
import { smsPhoneLookup } from './features/customers/customers.service.js';
import { startRetentionSchedule } from './features/cases/cases.jobs.js';
import { seedDemo } from './features/demo/demo.service.js';
import { installDefaultProcedures } from './features/procedures/procedures.service.js';
import { DEMO_USERS } from './features/demo/demo-users.js';
import { syncRoles } from './features/staff/bootstrap.service.js';
import { type StreamConsumer, startStreamConsumer } from './features/ingestion/stream.js';
import { startLeadDeadlineSchedule } from './features/leads/leads.jobs.js';
import { startDutySchedule } from './features/work/work.jobs.js';
import { startLoanWatchSchedule } from './features/credit/credit.jobs.js';
import { sealWrittenTaskTitles } from './features/work/upkeep.service.js';
import { FieldCipher } from './platform/crypto/field-cipher.js';
import { reconcileKeyMetadata } from './platform/crypto/key-metadata.js';
import { loadKeys } from './platform/crypto/keyring.js';
import { type OpenDatabase, openDatabase } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { securePrivateFolder } from './platform/files/private-files.js';
import type { AppContext } from './platform/http/context.js';
import { startOutboxWorker } from './platform/jobs/outbox.js';

/** A prepared process: database open and migrated, keys loaded and checked. */
export interface Runtime {
  ctx: AppContext;
  database: OpenDatabase;
  firstStart: boolean;
  keysCreated: boolean;
  close(): Promise<void>;
}

/** Opens the database, runs migrations and loads the keys: what every command needs first. */
export async function prepareRuntime(config: Config, log: (line: string) => void = console.error): Promise<Runtime> {
  // Before anything is written: an existing data folder an older version left readable by others.
  for (const target of securePrivateFolder(config.dataDir))
    log(`WARNING: ${target} stays readable by others (a shared folder, or another user's); give the service a folder of its own.`);
  const firstStart = isFirstStart(config);
  const { keys, created } = loadKeys(config.keys, !config.production);
  if (created) {
    log(`WARNING: no encryption keys were found, so a new key file was created at ${config.keys.file}.`);
    log('         Back it up now and keep it apart from the database: without it the encrypted data is lost.');
  }
  const database = openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    await reconcileKeyMetadata(database.db, keys);
    await syncRoles(database.db);
  } catch (err) {
    await database.close();
    throw err;
  }
  const ctx: AppContext = {
    config,
    db: database.db,
    dialect: database.dialect,
    cipher: new FieldCipher(keys, config.keys.inline ? undefined : config.keys),
    now: () => new Date(),
  };
  // Data that older versions stored in clear and now is ciphertext (needs the keys, so not a migration).
  await sealWrittenTaskTitles(ctx);
  // P7.3.1: every service type without a procedure gets its default (docs/procedures.md).
  await installDefaultProcedures(ctx, ctx.db);
  return { ctx, database, firstStart, keysCreated: created, close: () => database.close() };
}

/** Starts the HTTP server; on the first embedded start it seeds the demo bank and prints how to sign in. */
export async function serve(config: Config): Promise<{ app: FastifyInstance; runtime: Runtime }> {
  const runtime = await prepareRuntime(config);
  if (runtime.firstStart && !config.production) {
    console.error(`First start: seeding the demo bank (${config.seedCustomers} customers)…`);
    const result = await seedDemo(runtime.ctx, {
      customers: config.seedCustomers,
      seed: 1,
      password: config.demoPassword,
      onProgress: (done, total) => process.stderr.write(`\r  customers ${done}/${total}`),
    });
    process.stderr.write('\n');
    printDemoCredentials(result.password, config);
  }
  const app = await buildApp(runtime.ctx);
  const retention = startRetentionSchedule(runtime.ctx, app.log);
  // P3.2: the team's recurring duties become dated tasks, once a day.
  const duties = startDutySchedule(runtime.ctx, app.log);
  // P2.3.2: leads past their verification deadline are told to the branch's supervisors.
  const leadDeadlines = startLeadDeadlineSchedule(runtime.ctx, app.log);
  // P7.1.2: registered customers' loans are watched for instalments they will struggle with, once a day.
  const loanWatch = startLoanWatchSchedule(runtime.ctx, app.log);
  const { ctx } = runtime;
  // P9.1 e-mail: sends the outbox's pending mail; without LIFELINE_SMTP_URL there is none to send.
  const outbox = startOutboxWorker(
    {
      db: ctx.db,
      dialect: ctx.dialect,
      now: ctx.now,
      smtpUrl: config.mail.smtpUrl,
      from: config.mail.from,
      smtp: { security: config.mail.security, user: config.mail.user, password: config.mail.password },
      // P7.2.1: fund-safety SMS through the gateway; the phone is read (audited) at send time.
      sms: { gatewayUrl: config.alerts.smsGatewayUrl, token: config.alerts.smsGatewayToken, phoneOf: smsPhoneLookup(ctx) },
      coreBanking: config.coreBanking,
    },
    app.log,
  );
  // Issue 5: the JetStream transaction feed, when NATS_URL names one; the server does not wait for it.
  let consumer: StreamConsumer | undefined;
  const natsUrl = config.stream.url;
  if (natsUrl) {
    startStreamConsumer(ctx, { ...config.stream, url: natsUrl }, { log: app.log, waitForServer: true }).then(
      (c) => {
        consumer = c;
      },
      (err: unknown) => app.log.error({ err }, 'stream: the transaction consumer could not start'),
    );
  }
  const close = async () => {
    await consumer?.stop();
    await retention.stop();
    await duties.stop();
    await leadDeadlines.stop();
    await loanWatch.stop();
    await outbox?.stop();
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ port: config.port, host: config.host });
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  console.error(`Lifeline is listening on http://${shown}:${config.port}/`);
  return { app, runtime };
}

function printDemoCredentials(password: string | null, config: Config): void {
  if (!password) return;
  const lines = [
    '',
    '┌─ Demo sign-in ──────────────────────────────────────────────',
    `│ users:    ${DEMO_USERS.map((u) => u.username).join(', ')}`,
    `│ password: ${config.demoPassword ? '(the value of LIFELINE_DEMO_PASSWORD)' : password}`,
    config.mfaRequired
      ? '│ admin, sup.* and insp enrol a one-time-code app at first sign-in (LIFELINE_MFA=off skips it in the demo).'
      : '│ LIFELINE_MFA=off: no one-time codes in this demo.',
    config.demoPassword ? '│' : '│ This password is shown only now.',
    '└─────────────────────────────────────────────────────────────',
    '',
  ];
  console.error(lines.join('\n'));
}
