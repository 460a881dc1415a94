import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { ensureBranch } from '../../src/features/staff/bootstrap.service.js';
import { prepareRuntime } from '../../src/server.js';
import { runCli } from './run-cli.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

describe('lifeline import', () => {
  let dir: string;
  const env = () => ({ LIFELINE_DATA_DIR: dir });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-cli-import-'));
    const rt = await prepareRuntime(loadConfig({ LIFELINE_DATA_DIR: dir }), () => undefined);
    for (const code of ['HQ', 'EAST', 'WEST']) await ensureBranch(rt.ctx.db, code, code, code, new Date());
    await rt.close();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should load a file, print the summary as JSON on stdout and exit 0', async () => {
    const first = await runCli(['import', 'customers', path.join(FIXTURES, 'customers.csv')], env());
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ kind: 'customers', rows: 5, loaded: 5, updated: 0, rejected: 0 });
    const again = await runCli(['import', 'customers', path.join(FIXTURES, 'customers.csv')], env());
    expect(JSON.parse(again.stdout)).toEqual({ kind: 'customers', rows: 5, loaded: 0, updated: 5, rejected: 0 });
  });

  it('should list rejected rows by line on stderr and still exit 0', async () => {
    const res = await runCli(['import', 'customers', path.join(FIXTURES, 'customers-bad.csv')], env());
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ rows: 9, loaded: 3, rejected: 6 });
    expect(res.stderr).toContain('line 5: unknown branch NORTH');
    expect(res.stderr).toContain('customers: 9 rows, 3 loaded, 0 updated, 6 rejected');
    expect(res.stderr).not.toContain('330106196804121237');
  });

  it('should exit 1 for a missing file or a file of another kind, and 2 for a wrong command line', async () => {
    const missing = await runCli(['import', 'accounts', path.join(dir, 'nope.csv')], env());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    const wrongKind = await runCli(['import', 'accounts', path.join(FIXTURES, 'customers.csv')], env());
    expect(wrongKind.code).toBe(1);
    expect(wrongKind.stderr).toContain('not a file of accounts');
    const usage = await runCli(['import', 'people', path.join(FIXTURES, 'customers.csv')], env());
    expect(usage.code).toBe(2);
  });
});
