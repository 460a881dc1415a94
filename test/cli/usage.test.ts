import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CliOutput, RUNNABLE_COMMANDS, runCommandLine } from '../../src/cli/main.js';
import { COMMAND_NAMES, USAGE } from '../../src/cli/usage.js';
import { runCli } from './run-cli.js';

/** Runs the command line in this process, keeping what it printed. */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliOutput = {
    out: (text) => {
      stdout += `${text}\n`;
    },
    err: (text) => {
      stderr += `${text}\n`;
    },
    crash: (err) => {
      stderr += `CRASH ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`;
    },
  };
  const code = await runCommandLine(argv, io);
  return { code, stdout, stderr };
}

// One wrong line per command (and sub-command): all refused before any configuration or database is touched.
const UNKNOWN_OPTION: readonly (readonly string[])[] = [
  ['serve', '--bogus'],
  ['migrate', '--bogus'],
  ['seed', '--demo', '--bogus'],
  ['import', 'customers', 'customers.csv', '--bogus'],
  ['admin', 'bootstrap', 'chief', '--bogus'],
  ['audit', 'verify', '--bogus'],
  ['keys', 'init', '--bogus'],
  ['keys', 'status', '--bogus'],
  ['keys', 'rotate', '--bogus'],
  ['keys', '--bogus'],
  ['scan', 'a.csv', '--bogus'],
  ['ingest', '--bogus', 'x'],
  ['consume', '--bogus'],
  ['analysis', 'rebuild', '--bogus'],
  ['gen-transactions', '--bogus'],
  ['retention', 'run', '--bogus'],
  ['loan-watch', 'run', '--bogus'],
];

describe('the lifeline command line', () => {
  it('should run exactly the commands its usage lists', () => {
    expect([...RUNNABLE_COMMANDS].sort()).toEqual([...COMMAND_NAMES].sort());
  });

  it('should refuse an unknown option of every command with a usage line and exit 2, never a stack', async () => {
    for (const argv of UNKNOWN_OPTION) {
      const result = await run(...argv);
      const name = argv.join(' ');
      expect(result.code, name).toBe(2);
      expect(result.stderr, name).toContain('unknown option --bogus');
      expect(result.stderr, name).toContain(`usage: lifeline ${argv[0]}`);
      expect(result.stderr, name).not.toMatch(/TypeError|CRASH|\n\s+at /);
      expect(result.stdout, name).toBe('');
    }
    expect(new Set(UNKNOWN_OPTION.map(([command]) => command))).toEqual(new Set(COMMAND_NAMES));
  });

  it('should refuse a missing option value and a stray argument the same way', async () => {
    for (const argv of [
      ['ingest', 'a.csv', '--format'],
      ['gen-transactions', 'extra'],
      ['migrate', 'now'],
      ['consume', 'now'],
    ]) {
      const result = await run(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).toContain(`usage: lifeline ${argv[0]}`);
      expect(result.stderr, argv.join(' ')).not.toMatch(/TypeError|CRASH/);
    }
  });

  it('should answer --help and -h of every command with its usage on stdout and exit 0', async () => {
    for (const command of COMMAND_NAMES) {
      for (const flag of ['--help', '-h']) {
        const result = await run(command, flag);
        expect(result.code, `${command} ${flag}`).toBe(0);
        expect(result.stdout, `${command} ${flag}`).toMatch(new RegExp(`^usage: lifeline ${command}`));
        expect(result.stderr).toBe('');
      }
    }
    const sub = await run('keys', 'rotate', '--batch', '5', '--help');
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('lifeline keys rotate [--batch N]');
  });

  it('should answer --version, --help and help, and refuse an unknown command or option with the whole usage', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v', 'version']) expect(await run(flag)).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    for (const flag of ['--help', '-h', 'help']) expect(await run(flag)).toEqual({ code: 0, stdout: `${USAGE}\n`, stderr: '' });
    expect((await run('help', 'ingest')).stdout).toMatch(/^usage: lifeline ingest FILE/);
    for (const argv of [['bogus'], ['--bogus']]) {
      const result = await run(...argv);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`unknown ${argv[0]?.startsWith('-') ? 'option' : 'command'} ${argv[0]}`);
      expect(result.stderr).toContain(USAGE);
    }
  });

  it('should set the exit code and print no stack as a process too', async () => {
    const ingest = await runCli(['ingest', '--bogus', 'x'], {});
    expect(ingest.code).toBe(2);
    expect(ingest.stderr).toMatch(/^lifeline ingest: unknown option --bogus\n\nusage: lifeline ingest FILE/);
    expect(ingest.stderr).not.toContain('TypeError');
    const help = await runCli(['gen-transactions', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: lifeline gen-transactions --accounts N/);
    expect(help.stderr).toBe('');
  }, 30_000);
});
