import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const roots: string[] = [];
function tempRoot(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'lifeline-data-dir-'));
  roots.push(d);
  return d;
}
afterAll(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

function mode(file: string): number {
  return statSync(file).mode & 0o777;
}

describe('the data folder (LIFELINE_DATA_DIR)', () => {
  it('should be created for the service user only: the folder 0700, every file in it 0600', async () => {
    const dataDir = path.join(tempRoot(), 'data');
    const result = await runCli(['migrate'], { LIFELINE_DATA_DIR: dataDir });
    expect(result.code, result.stderr).toBe(0);
    expect(mode(dataDir)).toBe(0o700);
    const files = readdirSync(dataDir);
    expect(files).toEqual(expect.arrayContaining(['keys.json', 'lifeline.sqlite']));
    for (const f of files) expect(mode(path.join(dataDir, f)), f).toBe(0o600);
  }, 60_000);

  it('should take back an existing folder left open to others at start, with every file in it', async () => {
    const dataDir = path.join(tempRoot(), 'data');
    expect((await runCli(['migrate'], { LIFELINE_DATA_DIR: dataDir })).code).toBe(0);
    mkdirSync(path.join(dataDir, 'exports'));
    writeFileSync(path.join(dataDir, 'exports', 'list.csv'), 'a,b\n');
    writeFileSync(path.join(dataDir, 'lifeline.sqlite-wal'), '');
    chmodSync(dataDir, 0o755);
    chmodSync(path.join(dataDir, 'exports'), 0o755);
    for (const f of ['keys.json', 'lifeline.sqlite', 'lifeline.sqlite-wal', 'exports/list.csv']) chmodSync(path.join(dataDir, f), 0o644);

    const result = await runCli(['migrate'], { LIFELINE_DATA_DIR: dataDir });
    expect(result.code, result.stderr).toBe(0);
    expect(mode(dataDir)).toBe(0o700);
    // A folder inside is closed, not walked: what lies below is out of reach through it.
    expect(mode(path.join(dataDir, 'exports'))).toBe(0o700);
    for (const f of ['keys.json', 'lifeline.sqlite']) expect(mode(path.join(dataDir, f)), f).toBe(0o600);
  }, 60_000);
});
