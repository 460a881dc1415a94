import { readFileSync } from 'node:fs';
import { isParseArgsError, parseArgsMessage, USAGE, UsageError, usageOf } from './usage.js';

/**
 * Each command's module is imported only when the command runs: `--version`, `--help` and a
 * wrong command line answer without loading the server, the database drivers or the config
 * schema (the bundle splits them into chunks of their own, scripts/build-server.mjs).
 */
const COMMANDS: ReadonlyMap<string, (args: string[]) => Promise<number>> = new Map([
  ['serve', async (args: string[]) => (await import('./server.command.js')).serveCommand(args)],
  ['migrate', async (args: string[]) => (await import('./server.command.js')).migrateCommand(args)],
  ['seed', async (args: string[]) => (await import('./server.command.js')).seedCommand(args)],
  ['import', async (args: string[]) => (await import('./import.command.js')).importCommand(args)],
  ['admin', async (args: string[]) => (await import('./server.command.js')).adminCommand(args)],
  ['audit', async (args: string[]) => (await import('./server.command.js')).auditCommand(args)],
  ['keys', async (args: string[]) => (await import('./keys.command.js')).keysCommand(args)],
  ['scan', async (args: string[]) => (await import('./scan.command.js')).scanCommand(args)],
  ['ingest', async (args: string[]) => (await import('./ingest.command.js')).ingestCommand(args)],
  ['consume', async (args: string[]) => (await import('./consume.command.js')).consumeCommand(args)],
  ['analysis', async (args: string[]) => (await import('./analysis.command.js')).analysisCommand(args)],
  ['gen-transactions', async (args: string[]) => (await import('./gen-transactions.command.js')).genTransactionsCommand(args)],
  ['retention', async (args: string[]) => (await import('./server.command.js')).retentionCommand(args)],
  ['loan-watch', async (args: string[]) => (await import('./server.command.js')).loanWatchCommand(args)],
]);

/** Where the command line's own answers go: stdout and stderr, or a test's buffers. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
  /** An unexpected failure, printed with its stack. */
  crash(err: unknown): void;
}

const STDIO: CliOutput = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  crash: (err) => console.error(err),
};

// The bundle has the version written in at build time (scripts/build-server.mjs); run from source, package.json says it.
declare const LIFELINE_VERSION: string | undefined;

/** The version of Lifeline, from the build or from package.json. */
export function version(): string {
  if (typeof LIFELINE_VERSION === 'string') return LIFELINE_VERSION;
  let dir = new URL('.', import.meta.url);
  for (let i = 0; i < 5; i++) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8'));
      if (typeof pkg === 'object' && pkg !== null && 'name' in pkg && pkg.name === 'lifeline' && 'version' in pkg)
        return String(pkg.version);
    } catch {
      // No package.json at this level: look one folder up.
    }
    dir = new URL('..', dir);
  }
  return 'unknown';
}

/** Whether the arguments ask for help (before a `--`, after which everything is a file name). */
function asksForHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** Configuration and key errors are the operator's to fix: one line, exit 2. Loaded only on failure. */
async function operatorError(err: unknown): Promise<string | undefined> {
  if (!(err instanceof Error)) return undefined;
  const [{ ConfigError }, { KeyError }] = await Promise.all([import('../config/config.js'), import('../platform/crypto/keyring.js')]);
  return err instanceof ConfigError || err instanceof KeyError ? err.message : undefined;
}

/**
 * The `lifeline` command: one entry point for the server and every operator task. Answers the
 * exit code: 0 done, 1 failed, 2 a wrong command line (with the usage) or configuration; -1 for
 * `serve`, whose process lives on until a signal ends it.
 */
export async function runCommandLine(argv: readonly string[], io: CliOutput = STDIO): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  try {
    if (command === '--version' || command === '-v' || command === 'version') {
      io.out(version());
      return 0;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      io.out(rest[0] !== undefined && COMMANDS.has(rest[0]) ? usageOf(rest[0]) : USAGE);
      return 0;
    }
    const run = COMMANDS.get(command);
    if (!run) throw new UsageError(command.startsWith('-') ? `unknown option ${command}` : `unknown command ${command}`);
    if (asksForHelp(rest)) {
      io.out(usageOf(command));
      return 0;
    }
    return await run(rest);
  } catch (err) {
    const known = COMMANDS.has(command) ? command : undefined;
    // A command that parsed its line with parseArgs directly still gets a usage answer, not a stack.
    if (err instanceof UsageError || isParseArgsError(err)) {
      const message = err instanceof UsageError ? err.message : parseArgsMessage(err);
      io.err(`lifeline${known ? ` ${known}` : ''}: ${message}\n\n${known ? usageOf(known) : USAGE}`);
      return 2;
    }
    const operator = await operatorError(err);
    if (operator !== undefined) {
      io.err(`lifeline: ${operator}`);
      return 2;
    }
    io.crash(err);
    return 1;
  }
}

/** The commands that run; the test checks they are exactly the ones the usage lists (COMMAND_NAMES). */
export const RUNNABLE_COMMANDS: readonly string[] = [...COMMANDS.keys()];
