import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { recordAudit } from '../../src/platform/audit/audit.service.js';
import { openDatabase } from '../../src/platform/db/database.js';
import { prepareRuntime } from '../../src/server.js';
import { runCli } from './run-cli.js';

describe('lifeline audit verify', () => {
  let dir: string;
  const env = () => ({ LIFELINE_DATA_DIR: dir });
  const database = () => openDatabase({ dialect: 'sqlite', file: path.join(dir, 'lifeline.sqlite') });

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-cli-audit-'));
    const rt = await prepareRuntime(loadConfig({ LIFELINE_DATA_DIR: dir }), () => undefined);
    try {
      for (let i = 0; i < 5; i++) {
        await rt.ctx.db
          .transaction()
          .execute((trx) =>
            recordAudit(
              trx,
              { id: 'staff-1', username: 'admin', ip: '10.0.0.1' },
              { action: 'staff.updated', target: { type: 'staff', id: `s-${i}` } },
            ),
          );
      }
    } finally {
      await rt.close();
    }
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should print the result as JSON and exit 0 for an intact trail', async () => {
    const run = await runCli(['audit', 'verify'], env());
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ ok: true, checked: 5, firstBrokenId: null, anchorMatched: null, head: { seq: 5 } });
    expect(result.head.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('should exit 1 and name the event when one was edited', async () => {
    const db = database();
    const victim = await db.db.selectFrom('audit_events').select('id').where('seq', '=', 2).executeTakeFirstOrThrow();
    await db.db.updateTable('audit_events').set({ detail: '{"forged":true}' }).where('seq', '=', 2).execute();
    await db.close();
    const run = await runCli(['audit', 'verify'], env());
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, checked: 2, firstBrokenId: victim.id });
  });

  it('should catch a truncated trail against the head exported earlier', async () => {
    const before = JSON.parse((await runCli(['audit', 'verify'], env())).stdout);
    const anchor = `${before.head.seq}:${before.head.hash}`;
    const db = database();
    await db.db.deleteFrom('audit_events').where('seq', '>=', 4).execute();
    await db.close();
    const anchored = await runCli(['audit', 'verify', '--anchor', anchor], env());
    expect(anchored.code).toBe(1);
    expect(JSON.parse(anchored.stdout)).toMatchObject({ ok: false, anchorMatched: false });
  });

  it('should refuse a malformed anchor with the usage', async () => {
    const run = await runCli(['audit', 'verify', '--anchor', 'yesterday'], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--anchor takes SEQ:HASH');
  });
});
