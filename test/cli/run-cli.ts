import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What one run of the `lifeline` command answered. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `lifeline ARGS...` as an operator would (through src/cli/lifeline.ts, which sets the exit
 * code), with a clean Lifeline environment plus `env`.
 */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const name of Object.keys(base))
    if (name.startsWith('LIFELINE_') || name === 'DATABASE_URL' || name === 'NODE_ENV') delete base[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/lifeline.ts', ...args], {
      cwd: ROOT,
      env: { ...base, LIFELINE_LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A TCP port that was free a moment ago, chosen by the system: a random one can fall in the range
 * the system hands out to other connections (PostgreSQL, NATS) and be taken.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}
