import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { seedDemo } from '../features/demo/demo.service.js';
import { verifyAuditChain } from '../platform/audit/audit.service.js';
import { serve, prepareRuntime } from '../server.js';
import { keysCommand } from './keys.command.js';
import { importCommand } from './import.command.js';
import { UsageError } from './usage.js';

export const USAGE = `usage: lifeline <command> [options]

  serve                               start the server (the default)
  migrate                             bring the database schema up to date
  seed --demo [--customers N] [--seed S]
                                      create the synthetic demo bank (never in production)
  import customers|accounts|loans|holdings FILE.csv
                                      load master data from the core banking system
  audit verify                        check the hash chain of the audit trail
  keys init                           print a new key set (for LIFELINE_KEYS or a key file)
  keys rotate                         add a data key version and re-encrypt in batches
  keys status                         which key versions encrypt how many values
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
      if (!Number.isInteger(customers) || customers < 0 || !Number.isInteger(seed)) throw new UsageError('--customers and --seed take whole numbers');
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
      if (rest[0] !== 'verify') throw new UsageError('audit takes: verify');
      const rt = await prepareRuntime(config);
      try {
        const result = await verifyAuditChain(rt.ctx.db);
        console.log(JSON.stringify(result));
        return result.ok ? 0 : 1;
      } finally {
        await rt.close();
      }
    }
    case 'keys':
      return keysCommand(config, rest);
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

