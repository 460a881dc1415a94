import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { parseAnchor, verifyAuditTrail } from '../features/audit/audit.service.js';
import { runRetention } from '../features/cases/retention.service.js';
import { seedDemo } from '../features/demo/demo.service.js';
import { bootstrapAdmin } from '../features/staff/bootstrap.service.js';
import { prepareRuntime, serve } from '../server.js';
import { analysisCommand } from './analysis.command.js';
import { consumeCommand } from './consume.command.js';
import { genTransactionsCommand } from './gen-transactions.command.js';
import { importCommand } from './import.command.js';
import { ingestCommand } from './ingest.command.js';
import { keysCommand } from './keys.command.js';
import { scanCommand } from './scan.command.js';
import { UsageError } from './usage.js';

export const USAGE = `usage: lifeline <command> [options]

  serve                               start the server (the default)
  migrate                             bring the database schema up to date
  seed --demo [--customers N] [--seed S]
                                      create the synthetic demo bank (never in production)
  import customers|accounts|loans|holdings FILE.csv
                                      load master data from the core banking system
  admin bootstrap USERNAME [--branch CODE]
                                      create an administrator with a temporary password
  audit verify [--anchor SEQ:HASH]    check the hash chain of the audit trail (and an exported head)
  keys init [--write [--force]]       print a new key set (for LIFELINE_KEYS), or write the key file
  keys rotate [--batch N]             add a data key version and re-encrypt in batches (resumable)
  keys status                         which key versions encrypt how many values
  scan FILE... [--rules FILE] [--out FILE] [--state FILE] [--labels FILE]
                                      run the analysis rules over transaction files, findings as NDJSON
  ingest FILE... [--format csv|ndjson|camt053]
                                      store transactions from files (each one batch), leads and alerts from them
  consume                             run only the JetStream consumer of NATS_URL (serve runs it too)
  analysis rebuild                    rebuild every customer's analysis state from the stored transactions
  gen-transactions --accounts N --days D [--seed S] [--rate R] [--out FILE] [--labels FILE] [--format csv|ndjson|camt053]
                                      synthetic transactions with planted, labelled patterns
  retention run                       purge the sensitive fields of cases closed longer ago than LIFELINE_RETENTION_YEARS
`;

/** The `lifeline` command: one entry point for the server and every operator task. */
export async function main(argv: string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'serve':
      await serve(config);
      return -1;
    case 'migrate': {
      const rt = await prepareRuntime(config);
      console.error('the schema is up to date');
      await rt.close();
      return 0;
    }
    case 'seed': {
      const { values } = parseArgs({
        args: rest,
        options: { demo: { type: 'boolean' }, customers: { type: 'string' }, seed: { type: 'string' } },
      });
      if (!values.demo) throw new UsageError('seed needs --demo: only synthetic demo data can be seeded');
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
    case 'import':
      return importCommand(config, rest);
    case 'audit': {
      const { positionals, values } = parseArgs({ args: rest, allowPositionals: true, options: { anchor: { type: 'string' } } });
      if (positionals[0] !== 'verify' || positionals.length > 1) throw new UsageError('audit takes: verify [--anchor SEQ:HASH]');
      const anchor = values.anchor === undefined ? undefined : parseAnchor(values.anchor);
      if (anchor === null) throw new UsageError('--anchor takes SEQ:HASH, the head printed by an earlier verify');
      const rt = await prepareRuntime(config);
      try {
        const result = await verifyAuditTrail(rt.ctx.db, anchor);
        console.log(JSON.stringify(result));
        return result.ok ? 0 : 1;
      } finally {
        await rt.close();
      }
    }
    case 'keys':
      return keysCommand(config, rest);
    case 'scan':
      return scanCommand(rest);
    case 'gen-transactions':
      return genTransactionsCommand(rest);
    case 'ingest':
      return ingestCommand(config, rest);
    case 'consume':
      return consumeCommand(config, rest);
    case 'analysis':
      return analysisCommand(config, rest);
    case 'retention': {
      if (rest[0] !== 'run' || rest.length > 1) throw new UsageError('retention takes: run');
      const rt = await prepareRuntime(config);
      try {
        const result = await runRetention(rt.ctx, { onProgress: (n) => process.stderr.write(`\rpurged ${n}`) });
        if (result.purged > 0) process.stderr.write('\n');
        console.log(JSON.stringify(result));
        return 0;
      } finally {
        await rt.close();
      }
    }
    case 'admin': {
      const { positionals, values } = parseArgs({ args: rest, allowPositionals: true, options: { branch: { type: 'string' } } });
      const [sub, username] = positionals;
      if (sub !== 'bootstrap' || !username) throw new UsageError('admin takes: bootstrap USERNAME [--branch CODE]');
      const rt = await prepareRuntime(config);
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
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}
