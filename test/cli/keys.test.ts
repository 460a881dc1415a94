import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { KeyError, loadKeys } from '../../src/platform/crypto/keyring.js';
import { prepareRuntime } from '../../src/server.js';
import { runCli } from './run-cli.js';

describe('lifeline keys, and keys at start-up', () => {
  let dir: string;
  const env = () => ({ LIFELINE_DATA_DIR: dir });
  const keyFile = () => path.join(dir, 'keys.json');

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-cli-keys-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should refuse to start in production without keys, creating nothing', async () => {
    const config = loadConfig({ NODE_ENV: 'production', LIFELINE_DATA_DIR: dir });
    await expect(prepareRuntime(config, () => undefined)).rejects.toThrow(KeyError);
    await expect(prepareRuntime(config, () => undefined)).rejects.toThrow(/no encryption keys: set LIFELINE_KEYS or provide the key file/);
    expect(existsSync(keyFile())).toBe(false);
    expect(existsSync(path.join(dir, 'lifeline.sqlite'))).toBe(false);
  });

  it('should create a key file readable only by its owner on the first embedded start, with a warning', async () => {
    const warnings: string[] = [];
    const config = loadConfig({ LIFELINE_DATA_DIR: dir });
    const first = await prepareRuntime(config, (line) => warnings.push(line));
    await first.close();
    expect(first.keysCreated).toBe(true);
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    expect(warnings.join('\n')).toMatch(/WARNING: no encryption keys were found.*Back it up/s);
    const text = readFileSync(keyFile(), 'utf8');

    const again: string[] = [];
    const second = await prepareRuntime(config, (line) => again.push(line));
    await second.close();
    expect(second.keysCreated).toBe(false);
    expect(again).toEqual([]);
    expect(readFileSync(keyFile(), 'utf8')).toBe(text);
  });

  it('should print a fresh key set usable as LIFELINE_KEYS, writing no file', async () => {
    const run = await runCli(['keys', 'init'], env());
    expect(run.code, run.stderr).toBe(0);
    const { keys } = loadKeys({ file: keyFile(), inline: run.stdout }, false);
    expect(keys.activeVersion).toBe(1);
    expect(existsSync(keyFile())).toBe(false);
  });

  it('should write the key file with --write, and replace it only with --force', async () => {
    expect((await runCli(['keys', 'init', '--write'], env())).code).toBe(0);
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    const text = readFileSync(keyFile(), 'utf8');
    const refused = await runCli(['keys', 'init', '--write'], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exists');
    expect(readFileSync(keyFile(), 'utf8')).toBe(text);
    expect((await runCli(['keys', 'init', '--write', '--force'], env())).code).toBe(0);
    expect(readFileSync(keyFile(), 'utf8')).not.toBe(text);
  });

  it('should answer a wrong sub-command or option with the usage and exit 2', async () => {
    for (const args of [['keys'], ['keys', 'destroy'], ['keys', 'init', '--out'], ['keys', 'rotate', '--batch', '0']]) {
      const run = await runCli(args, env());
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain('usage: lifeline');
    }
  });

  // Slow: three runs of the command, and the rotation waits 6 s for running servers to pick up the key.
  it('should rotate with progress on stderr, then show every value under the new version', async () => {
    const rt = await prepareRuntime(loadConfig({ LIFELINE_DATA_DIR: dir }), () => undefined);
    try {
      const now = new Date().toISOString();
      await rt.ctx.db
        .insertInto('branches')
        .values({ id: 'br-east', code: 'EAST', name_zh: '城东支行', name_en: 'East', created_at: now })
        .execute();
      for (let i = 0; i < 5; i++) {
        const id = `cust-${i}`;
        await rt.ctx.db
          .insertInto('customers')
          .values({
            id,
            customer_number: `C${i}`,
            name: `客户 ${i}`,
            gender: 'U',
            date_of_birth: null,
            national_id_enc: rt.ctx.cipher.encrypt(`11010519900101100${i}`, { table: 'customers', column: 'national_id_enc', rowId: id }),
            national_id_bidx: null,
            phone_enc: null,
            phone_bidx: null,
            address_enc: null,
            branch_id: 'br-east',
            segment: 'retail',
            opened_on: null,
            created_at: now,
            updated_at: now,
            version: 1,
          })
          .execute();
      }
    } finally {
      await rt.close();
    }

    const before = JSON.parse((await runCli(['keys', 'status'], env())).stdout);
    expect(before).toMatchObject({ activeVersion: 1, pending: 0 });
    expect(before.columns[0]).toMatchObject({ table: 'customers', column: 'national_id_enc', total: 5, byVersion: { 1: 5 } });

    const rotate = await runCli(['keys', 'rotate', '--batch', '2'], env());
    expect(rotate.code, rotate.stderr).toBe(0);
    expect(rotate.stderr).toContain('customers.national_id_enc: 2/5');
    expect(rotate.stderr).toContain('customers.national_id_enc: 5/5');
    expect(JSON.parse(rotate.stdout)).toMatchObject({ version: 2, added: true, completed: true });

    const after = JSON.parse((await runCli(['keys', 'status'], env())).stdout);
    expect(after).toMatchObject({ activeVersion: 2, pending: 0 });
    expect(after.columns[0]).toMatchObject({ total: 5, byVersion: { 1: 0, 2: 5 }, unknown: 0 });
  }, 60_000);
});
