import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensurePrivateDir, ensurePrivateFile, securePrivateFolder } from './private-files.js';

const roots: string[] = [];
function tempRoot(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'lifeline-private-'));
  roots.push(d);
  return d;
}
afterAll(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

function mode(file: string): number {
  return statSync(file).mode & 0o7777;
}

describe('private files', () => {
  it('should create a folder 0700 and a file 0600 and keep the content of an existing file', () => {
    const dir = path.join(tempRoot(), 'a', 'b');
    ensurePrivateDir(dir);
    expect(mode(dir)).toBe(0o700);
    const file = path.join(dir, 'f');
    writeFileSync(file, 'kept', { mode: 0o644 });
    ensurePrivateFile(file);
    expect(mode(file)).toBe(0o600);
    expect(statSync(file).size).toBe(4);
  });

  it('should take back a folder, its files and the folders in it, and leave links alone', () => {
    const root = tempRoot();
    const dir = path.join(root, 'data');
    mkdirSync(path.join(dir, 'sub'), { recursive: true });
    const outside = path.join(root, 'outside');
    writeFileSync(outside, 'x');
    chmodSync(outside, 0o644);
    symlinkSync(outside, path.join(dir, 'link'));
    writeFileSync(path.join(dir, 'f'), 'x');
    for (const p of [dir, path.join(dir, 'sub')]) chmodSync(p, 0o755);
    chmodSync(path.join(dir, 'f'), 0o644);
    expect(securePrivateFolder(dir)).toEqual([]);
    expect([mode(dir), mode(path.join(dir, 'sub')), mode(path.join(dir, 'f')), mode(outside)]).toEqual([0o700, 0o700, 0o600, 0o644]);
    expect(securePrivateFolder(path.join(root, 'missing'))).toEqual([]);
  });

  it('should leave a shared folder (sticky bit, like /tmp) and everything in it as it is, and say so', () => {
    const dir = path.join(tempRoot(), 'shared');
    mkdirSync(dir);
    chmodSync(dir, 0o1777);
    writeFileSync(path.join(dir, 'f'), 'x');
    chmodSync(path.join(dir, 'f'), 0o644);
    expect(securePrivateFolder(dir)).toEqual([dir]);
    ensurePrivateDir(dir);
    expect([mode(dir), mode(path.join(dir, 'f'))]).toEqual([0o1777, 0o644]);
  });
});
