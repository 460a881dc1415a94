import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const doc = readFileSync(path.join(root, 'docs', 'policy-traceability.md'), 'utf8');
const rows = doc.split('\n').filter((l) => /^\| P\d/.test(l));
// Cells are split on pipes that are not escaped (`a\|b` inside a cell is text).
const cells = (row: string) => row.split(/(?<!\\)\|/).map((c) => c.trim());

// Every numbered item of POLICY.md, at the depth the policy enumerates them.
const CLAUSES = [
  'P1.1',
  'P1.2',
  'P1.3.1',
  'P1.3.2',
  'P1.3.3',
  'P1.3.4',
  'P2.1',
  'P2.2.1',
  'P2.2.2',
  'P2.2.3',
  'P2.2.4',
  'P2.3.1',
  'P2.3.2',
  'P2.3.3',
  'P3.1',
  'P3.2.1',
  'P3.2.2',
  'P3.2.3',
  'P3.2.4',
  'P3.2.5',
  'P3.3.1',
  'P3.3.2',
  'P3.3.3',
  'P4.1.1',
  'P4.1.2',
  'P4.2.1',
  'P4.2.2',
  'P4.3.1',
  'P4.3.2',
  'P4.4.1',
  'P4.4.2',
  'P4.5.1',
  'P4.5.2',
  'P5.1.1',
  'P5.1.2',
  'P5.2.1',
  'P5.2.2',
  'P5.3.1',
  'P5.3.2',
  'P5.4.1',
  'P5.4.2',
  'P6.1.1',
  'P6.1.2',
  'P6.2.1',
  'P6.2.2',
  'P6.3.1',
  'P6.3.2',
  'P7.1.1',
  'P7.1.2',
  'P7.2.1',
  'P7.2.2',
  'P7.3.1',
  'P7.3.2',
  'P8.1.1',
  'P8.1.2',
  'P8.2.1',
  'P8.2.2',
  'P8.2.3',
  'P8.3.1',
  'P8.3.2',
  'P9.1.1',
  'P9.1.2',
  'P9.2.1',
];

describe('the policy traceability matrix', () => {
  it('should have exactly one row for every clause of the policy, in order', () => {
    expect(rows.map((r) => cells(r)[1])).toEqual(CLAUSES);
  });

  it('should give every row a known status', () => {
    for (const r of rows) expect(['planned', 'partial', 'done']).toContain(cells(r)[3]);
  });

  it('should name only files that exist', () => {
    const paths = [...doc.matchAll(/`((?:src|test|web|bench|docs)\/[^`\s]+)`/g)].map((m) => m[1] ?? '');
    expect(paths.length).toBeGreaterThan(10);
    const missing = paths.filter((p) => !existsSync(path.join(root, p)));
    expect(missing).toEqual([]);
  });

  it('should name a test for every clause marked done', () => {
    for (const r of rows.filter((x) => cells(x)[3] === 'done')) expect(cells(r)[5]).toMatch(/\.test\.ts/);
  });

  it('should find, for every clause done or partial, a test carrying the clause id in its title in the files its row names', () => {
    const unproven: string[] = [];
    for (const r of rows.filter((x) => ['done', 'partial'].includes(cells(x)[3] ?? ''))) {
      const clause = cells(r)[1] ?? '';
      const files = [...(cells(r)[5] ?? '').matchAll(/`([^`\s]+\.test\.ts)`/g)].map((m) => m[1] ?? '');
      // The id as a whole word: P2.1 is not P2.1.3.
      const id = clause.replaceAll('.', '\\.');
      const titled = new RegExp(`\\b(?:it|test|describe)\\(\\s*(['"\`])(?:(?!\\1).)*\\b${id}(?![.\\d])`);
      const proven = files.some((f) => existsSync(path.join(root, f)) && titled.test(readFileSync(path.join(root, f), 'utf8')));
      if (!proven) unproven.push(`${clause}: ${files.join(', ') || 'no test file named'}`);
    }
    expect(unproven).toEqual([]);
  });
});
