import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// P5.4.1: personal data is decrypted only through the audited readers of
// platform/audit/sensitive-read.ts. A feature calling the cipher directly would read without a trace.

const ROOT = path.resolve(import.meta.dirname, '../..');
// Secrets of the system itself, not personal data: TOTP seeds and partners' signing secrets.
const SECRET_READERS = new Set(['src/features/staff/auth.service.ts', 'src/features/partners/partners.service.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.includes('.test') ? [path.join(dir, e.name)] : [],
  );
}

describe('reading sensitive data', () => {
  it('P5.4.1 should decrypt in features only through the audited readers', () => {
    const direct = sources(path.join(ROOT, 'src/features'))
      .map((f) => path.relative(ROOT, f))
      .filter((f) => !SECRET_READERS.has(f))
      .filter((f) => /\.decrypt\(/.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(direct).toEqual([]);
  });
});
