import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../e2e/browser.js';
import { freePort, runCli } from './run-cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'lifeline-serve-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Starts `lifeline serve` (from the sources, or `bundle`'s cli.js) and resolves once it listens, with everything it printed so far. */
function startServer(env: Record<string, string>, bundle?: string) {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const name of Object.keys(base))
    if (name.startsWith('LIFELINE_') || name === 'DATABASE_URL' || name === 'NODE_ENV') delete base[name];
  const command = bundle ? [path.join(bundle, 'cli.js'), 'serve'] : ['--import', 'tsx', 'src/cli/lifeline.ts', 'serve'];
  const child = spawn(process.execPath, command, {
    cwd: ROOT,
    env: { ...base, LIFELINE_LOG_LEVEL: 'silent', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 60_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (stderr.includes('listening on')) {
        clearTimeout(timer);
        resolve(stderr);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${stderr}`)));
  });
  return { child, ready };
}

describe('lifeline serve on a fresh data folder', () => {
  it('should serve the web app from the bundle `npm start` builds, whose modules sit in chunks', async () => {
    ensureWebBuilt();
    // Inside the checkout, where `npm start` puts dist/, so that the bundle finds web/dist as it would there.
    const bundle = mkdtempSync(path.join(ROOT, '.dist-serve-test-'));
    dirs.push(bundle);
    execFileSync(process.execPath, ['scripts/build-server.mjs', bundle], { cwd: ROOT });
    const port = await freePort();
    const { child, ready } = startServer(
      { LIFELINE_DATA_DIR: tempDir(), PORT: String(port), LIFELINE_SEED_CUSTOMERS: '12', LIFELINE_SCRYPT_LOG_N: '12' },
      bundle,
    );
    try {
      await ready;
      for (const page of ['/', '/cases/some-case']) {
        const res = await fetch(`http://127.0.0.1:${port}${page}`);
        expect(res.status, page).toBe(200);
        expect(res.headers.get('content-type'), page).toContain('text/html');
        expect(await res.text(), page).toContain('<div id="root">');
      }
    } finally {
      child.kill('SIGTERM');
    }
  }, 120_000);

  it('should create the database and key file, seed the demo, print URL and credentials, and answer /api/health', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const { child, ready } = startServer({
      LIFELINE_DATA_DIR: dataDir,
      PORT: String(port),
      LIFELINE_SEED_CUSTOMERS: '12',
      LIFELINE_SCRYPT_LOG_N: '12',
    });
    try {
      const printed = await ready;
      expect(printed).toContain(`http://127.0.0.1:${port}/`);
      expect(printed).toMatch(/users:\s+admin, admin2, sup\.east, sup\.west, cm\.east, cm\.west/);
      const password = /password: (\S+)/.exec(printed)?.[1] ?? '';
      expect(password).toMatch(/^[A-Za-z0-9]{12,}$/);
      expect(printed).toContain('WARNING: no encryption keys');
      expect(existsSync(path.join(dataDir, 'lifeline.sqlite'))).toBe(true);
      expect(statSync(path.join(dataDir, 'keys.json')).mode & 0o777).toBe(0o600);

      const health = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(await health.json()).toEqual({ status: 'ok' });
      const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'cm.east', password }),
      });
      expect(login.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  }, 90_000);

  it('should not seed again or print a password on the second start', async () => {
    const dataDir = tempDir();
    const env = {
      LIFELINE_DATA_DIR: dataDir,
      LIFELINE_SEED_CUSTOMERS: '5',
      LIFELINE_SCRYPT_LOG_N: '12',
      LIFELINE_DEMO_PASSWORD: 'a-known-demo-password',
    };
    const first = startServer({ ...env, PORT: String(await freePort()) });
    await first.ready;
    first.child.kill('SIGTERM');
    await new Promise((r) => first.child.once('exit', r));
    const second = startServer({ ...env, PORT: String(await freePort()) });
    try {
      const printed = await second.ready;
      expect(printed).not.toContain('Demo sign-in');
      expect(printed).not.toContain('seeding');
    } finally {
      second.child.kill('SIGTERM');
    }
  }, 90_000);

  it('should refuse to start in production without keys, and refuse LIFELINE_MFA=off there', async () => {
    const noKeys = await runCli(['migrate'], { NODE_ENV: 'production', LIFELINE_DATA_DIR: tempDir() });
    expect(noKeys.code).toBe(2);
    expect(noKeys.stderr).toContain('no encryption keys');
    const mfaOff = await runCli(['migrate'], { NODE_ENV: 'production', LIFELINE_MFA: 'off', LIFELINE_DATA_DIR: tempDir() });
    expect(mfaOff.code).toBe(2);
    expect(mfaOff.stderr).toContain('LIFELINE_MFA=off');
  }, 60_000);
});
