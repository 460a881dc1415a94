import { loadConfig } from '../config/config.js';
import { parseAnchor, verifyAuditTrail } from '../features/audit/audit.service.js';
import { runRetention } from '../features/cases/retention.service.js';
import { runLoanWatch } from '../features/credit/loan-watch.service.js';
import { seedDemo } from '../features/demo/demo.service.js';
import { bootstrapAdmin } from '../features/staff/bootstrap.service.js';
import { prepareRuntime, serve } from '../server.js';
import { parseCommandLine, UsageError } from './usage.js';

/** `lifeline serve`: the server; the process lives on (-1) until a signal ends it. */
export async function serveCommand(args: string[]): Promise<number> {
  parseCommandLine({ args, options: {} });
  await serve(loadConfig());
  return -1;
}

/** `lifeline migrate`: brings the schema up to date (and the data folder's modes, the key metadata). */
export async function migrateCommand(args: string[]): Promise<number> {
  parseCommandLine({ args, options: {} });
  const rt = await prepareRuntime(loadConfig());
  console.error('the schema is up to date');
  await rt.close();
  return 0;
}

/** `lifeline seed --demo [--customers N] [--seed S]`: the synthetic demo bank, never in production. */
export async function seedCommand(args: string[]): Promise<number> {
  const { values } = parseCommandLine({
    args,
    options: { demo: { type: 'boolean' }, customers: { type: 'string' }, seed: { type: 'string' } },
  });
  if (!values.demo) throw new UsageError('seed needs --demo: only synthetic demo data can be seeded');
  const config = loadConfig();
  const customers = Number(values.customers ?? config.seedCustomers);
  const seed = Number(values.seed ?? 1);
  if (!Number.isInteger(customers) || customers < 0 || !Number.isInteger(seed))
    throw new UsageError('--customers and --seed take whole numbers');
  const rt = await prepareRuntime(config);
  try {
    const result = await seedDemo(rt.ctx, {
      customers,
      seed,
      password: config.demoPassword,
      onProgress: (done, total) => process.stderr.write(`\rcustomers ${done}/${total}`),
    });
    process.stderr.write('\n');
    console.error(`seeded ${result.customers} customers; new users: ${result.usersCreated.join(', ') || 'none'}`);
    if (result.password && !config.demoPassword) console.error(`demo password (shown once): ${result.password}`);
  } finally {
    await rt.close();
  }
  return 0;
}

/** `lifeline audit verify [--anchor SEQ:HASH]`: exit 0 when the chain holds, 1 when it does not. */
export async function auditCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseCommandLine({ args, allowPositionals: true, options: { anchor: { type: 'string' } } });
  if (positionals[0] !== 'verify' || positionals.length > 1) throw new UsageError('audit takes: verify [--anchor SEQ:HASH]');
  const anchor = values.anchor === undefined ? undefined : parseAnchor(values.anchor);
  if (anchor === null) throw new UsageError('--anchor takes SEQ:HASH, the head printed by an earlier verify');
  const rt = await prepareRuntime(loadConfig());
  try {
    const result = await verifyAuditTrail(rt.ctx.db, anchor);
    console.log(JSON.stringify(result));
    return result.ok ? 0 : 1;
  } finally {
    await rt.close();
  }
}

/** `lifeline retention run`: purges the sensitive fields of cases closed long enough ago. */
export async function retentionCommand(args: string[]): Promise<number> {
  const { positionals } = parseCommandLine({ args, allowPositionals: true, options: {} });
  if (positionals[0] !== 'run' || positionals.length > 1) throw new UsageError('retention takes: run');
  const rt = await prepareRuntime(loadConfig());
  try {
    const result = await runRetention(rt.ctx, { onProgress: (n) => process.stderr.write(`\rpurged ${n}`) });
    if (result.purged > 0) process.stderr.write('\n');
    console.log(JSON.stringify(result));
    return 0;
  } finally {
    await rt.close();
  }
}

/** `lifeline loan-watch run`: the daily loan watch at once (P7.1.2); prints what it raised, never a loan or a figure. */
export async function loanWatchCommand(args: string[]): Promise<number> {
  const { positionals } = parseCommandLine({ args, allowPositionals: true, options: {} });
  if (positionals[0] !== 'run' || positionals.length > 1) throw new UsageError('loan-watch takes: run');
  const rt = await prepareRuntime(loadConfig());
  try {
    const result = await runLoanWatch(rt.ctx, (caseId, err) =>
      console.error(`loan-watch: case ${caseId} failed: ${err instanceof Error ? err.message : String(err)}`),
    );
    console.log(JSON.stringify(result));
    return 0;
  } finally {
    await rt.close();
  }
}

/** `lifeline admin bootstrap USERNAME [--branch CODE]`: the first administrator, with a temporary password. */
export async function adminCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseCommandLine({ args, allowPositionals: true, options: { branch: { type: 'string' } } });
  const [sub, username] = positionals;
  if (sub !== 'bootstrap' || !username || positionals.length > 2) throw new UsageError('admin takes: bootstrap USERNAME [--branch CODE]');
  const rt = await prepareRuntime(loadConfig());
  try {
    const temporary = await bootstrapAdmin(rt.ctx, username, values.branch ?? 'HQ');
    if (!temporary) {
      console.error(`${username} exists already; nothing changed`);
      return 1;
    }
    console.error(`created administrator ${username}; temporary password (shown once, to be changed at first sign-in): ${temporary}`);
    return 0;
  } finally {
    await rt.close();
  }
}
