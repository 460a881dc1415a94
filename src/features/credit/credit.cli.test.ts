import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/cli/run-cli.js';

// The watch itself is tested through the service (loan-watch.test.ts); this is the command's wiring.
describe('lifeline loan-watch run', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-cli-loan-watch-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('P7.1.2 should run the watch once and print its counts, never a loan or a figure', async () => {
    const run = await runCli(['loan-watch', 'run'], { LIFELINE_DATA_DIR: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      cases: 0,
      loans: 0,
      prepareRaised: 0,
      pastDueRaised: 0,
      noRiskOfficer: 0,
      cleared: 0,
      failed: 0,
    });
  });

  it('should refuse anything but run', async () => {
    const run = await runCli(['loan-watch', 'now'], { LIFELINE_DATA_DIR: dir });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('loan-watch takes: run');
  });
});
