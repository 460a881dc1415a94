import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-bootstrap-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('lifeline admin bootstrap', () => {
  it('should migrate an empty database, then create a first administrator with a temporary password once, and refuse a second time', async () => {
    const env = { LIFELINE_DATA_DIR: dataDir, LIFELINE_SCRYPT_LOG_N: '12' };
    const migrate = await runCli(['migrate'], env);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stderr).toContain('the schema is up to date');
    const first = await runCli(['admin', 'bootstrap', 'chief.admin', '--branch', 'HQ'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/created administrator chief\.admin; temporary password .*: [A-Za-z0-9]{16}/);
    const again = await runCli(['admin', 'bootstrap', 'chief.admin'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists already');
    const verify = await runCli(['audit', 'verify'], env);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
    const usage = await runCli(['admin', 'promote'], env);
    expect(usage.code).toBe(2);
  }, 60_000);
});
