import { type ParseArgsConfig, parseArgs } from 'node:util';

/** A mistake in the command line: the command's usage is printed and the exit code is 2. */
export class UsageError extends Error {}

/**
 * Every command with its synopses and what each does: the one source of `lifeline --help` and of
 * each command's own `--help`. Only Node built-ins may be imported here, since `--help` and
 * `--version` must answer without loading the server.
 */
const SYNOPSES: readonly (readonly [command: string, synopsis: string, what: string])[] = [
  ['serve', 'serve', 'start the server (the default)'],
  ['migrate', 'migrate', 'bring the database schema up to date'],
  ['seed', 'seed --demo [--customers N] [--seed S]', 'create the synthetic demo bank (never in production)'],
  ['import', 'import customers|accounts|loans|holdings FILE.csv', 'load master data from the core banking system'],
  ['admin', 'admin bootstrap USERNAME [--branch CODE]', 'create an administrator with a temporary password'],
  ['audit', 'audit verify [--anchor SEQ:HASH]', 'check the hash chain of the audit trail (and an exported head)'],
  ['keys', 'keys init [--write [--force]]', 'print a new key set (for LIFELINE_KEYS), or write the key file'],
  ['keys', 'keys rotate [--batch N]', 'add a data key version and re-encrypt in batches (resumable)'],
  ['keys', 'keys status', 'which key versions encrypt how many values'],
  [
    'scan',
    'scan FILE... [--rules FILE] [--out FILE] [--state FILE] [--labels FILE]',
    'run the analysis rules over transaction files, findings as NDJSON',
  ],
  ['ingest', 'ingest FILE... [--format csv|ndjson|camt053]', 'store transactions from files (each one batch), leads and alerts from them'],
  ['consume', 'consume', 'run only the JetStream consumer of NATS_URL (serve runs it too)'],
  ['analysis', 'analysis rebuild', "rebuild every customer's analysis state from the stored transactions"],
  [
    'gen-transactions',
    'gen-transactions --accounts N --days D [--seed S] [--rate R] [--out FILE] [--labels FILE] [--format csv|ndjson|camt053]',
    'synthetic transactions with planted, labelled patterns',
  ],
  ['retention', 'retention run', 'purge the sensitive fields of cases closed longer ago than LIFELINE_RETENTION_YEARS'],
  ['loan-watch', 'loan-watch run', "watch registered customers' loans now (the server does it daily): prepare and past-due tasks"],
];

const COLUMN = 36;

function line([, synopsis, what]: (typeof SYNOPSES)[number]): string {
  return synopsis.length < COLUMN - 1 ? `  ${synopsis.padEnd(COLUMN)}${what}\n` : `  ${synopsis}\n  ${' '.repeat(COLUMN)}${what}\n`;
}

/** The names of every command, in the order of the usage. */
export const COMMAND_NAMES: readonly string[] = [...new Set(SYNOPSES.map(([command]) => command))];

/** `lifeline --help`: every command. */
export const USAGE = `usage: lifeline <command> [options]\n\n${SYNOPSES.map(line).join('')}  --help, -h after a command shows its usage; --version the version\n`;

/** `lifeline COMMAND --help`: the synopses of one command. */
export function usageOf(command: string): string {
  const own = SYNOPSES.filter(([name]) => name === command);
  const [only] = own;
  if (!only) return USAGE;
  if (own.length === 1) return `usage: lifeline ${only[1]}\n\n  ${only[2]}\n`;
  return `usage: lifeline ${own.map(([, synopsis]) => synopsis).join('\n       lifeline ')}\n\n${own.map(line).join('')}`;
}

function errorCode(err: unknown): string {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : '';
}

/** Whether an error is node:util parseArgs refusing the command line. */
export function isParseArgsError(err: unknown): err is Error {
  return errorCode(err).startsWith('ERR_PARSE_ARGS_');
}

/** The refusal of parseArgs in a line for the operator, without its advice about `--`. */
export function parseArgsMessage(err: Error): string {
  const unknown = /Unknown option '([^']+)'/.exec(err.message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const stray = /Unexpected argument '([^']*)'/.exec(err.message);
  if (stray) return `unexpected argument ${stray[1]}`;
  return err.message.charAt(0).toLowerCase() + err.message.slice(1);
}

/**
 * The command line of a command, parsed strictly (node:util parseArgs): an unknown option, an
 * option without its value or an argument where none is taken is a UsageError, not a TypeError.
 */
export function parseCommandLine<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    if (isParseArgsError(err)) throw new UsageError(parseArgsMessage(err));
    throw err;
  }
}
