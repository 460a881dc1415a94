import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GenLabel } from '../../src/features/analysis/generator.js';
import { runCli } from '../cli/run-cli.js';
import { describeEachDialect } from '../helpers/harness.js';
import { childDatabase, type Snapshot, seedBank, snapshot, spawnCli, writeGeneratedCsv } from './data.js';

/**
 * Fault test (a): `lifeline ingest` is killed (SIGKILL, no clean-up of any kind) once its progress
 * shows 30 %, then run again to the end. What it leaves must equal an uninterrupted ingestion of
 * the same file into a fresh database: the same transactions (none twice), leads, alerts and
 * engine state; and the killed batch ends up `interrupted`.
 */

// About 200,000 rows with the generator's planted stories (3 % ill, 3 % fraud, 8 % look-alikes).
const GEN = { accounts: 2000, days: 90, seed: 21 };

let dir: string;
let file: string;
let rows: number;
let labels: GenLabel[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-fault-ingest-'));
  file = path.join(dir, 'transactions.csv');
  ({ rows, labels } = await writeGeneratedCsv(file, GEN));
}, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describeEachDialect('a lifeline ingest killed half-way and run again', (dialect) => {
  it('should end with what an uninterrupted ingestion of the same file leaves', { timeout: 600_000 }, async () => {
    const planted = labels.filter((l) => l.kind !== null);
    const read = async (open: () => Promise<{ db: Parameters<typeof snapshot>[0]; close(): Promise<void> }>): Promise<Snapshot> => {
      const d = await open();
      try {
        return await snapshot(d.db);
      } finally {
        await d.close();
      }
    };

    // The reference: the same file, once, without a break.
    const reference = await childDatabase(dialect, mkdtempSync(path.join(dir, `${dialect}-reference-`)));
    await seedBank(reference.env, planted);
    const whole = await runCli(['ingest', file], reference.env);
    expect(whole.code, whole.stderr).toBe(0);
    const expected = await read(reference.open);
    expect(expected.transactions).toBe(rows);
    // The seeded bank makes the planted stories leads and alerts, so the comparison covers them.
    expect(expected.leads.length).toBeGreaterThan(0);
    expect(expected.alerts.length).toBeGreaterThan(0);

    // Killed at the first progress line showing 30 % or more.
    const target = await childDatabase(dialect, mkdtempSync(path.join(dir, `${dialect}-killed-`)));
    await seedBank(target.env, planted);
    let killedAt: number | null = null;
    const run = spawnCli(['ingest', file], target.env, (line) => {
      const m = /: (\d+(?:\.\d+)?) % ·/.exec(line);
      if (m && killedAt === null && Number(m[1]) >= 30) {
        killedAt = Number(m[1]);
        run.child.kill('SIGKILL');
      }
    });
    const end = await run.exited;
    expect(end.signal, run.stderr()).toBe('SIGKILL');
    expect(killedAt).not.toBeNull();
    const partial = await read(target.open);
    expect(partial.transactions).toBeGreaterThan(0);
    expect(partial.transactions).toBeLessThan(rows);

    // Run again: a batch standing still for a second counts as dead here (5 minutes by default).
    await new Promise((r) => setTimeout(r, 1100));
    const again = await runCli(['ingest', file], { ...target.env, LIFELINE_BATCH_STALE_SECONDS: '1' });
    expect(again.code, again.stderr).toBe(0);
    const summary = JSON.parse(again.stdout);
    expect(summary.duplicates).toBe(partial.transactions);
    expect(summary.inserted).toBe(rows - partial.transactions);

    const actual = await read(target.open);
    expect(actual.transactions).toBe(rows);
    expect(actual.txnIds).toEqual(expected.txnIds);
    expect(actual.leads).toEqual(expected.leads);
    expect(actual.alerts).toEqual(expected.alerts);
    expect(actual.states).toEqual(expected.states);

    const d = await target.open();
    try {
      const batches = await d.db.selectFrom('transaction_batches').select(['status', 'inserted']).orderBy('created_at').execute();
      expect(batches.map((b) => b.status)).toEqual(['interrupted', 'done']);
      expect(batches[0]?.inserted).toBe(partial.transactions);
    } finally {
      await d.close();
    }
  });
});
