import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/architecture.md draws the features and their arrows; this keeps the drawing true to the
// imports (dependency-cruiser, in npm test, keeps the arrows acyclic and through services only).

const ROOT = path.resolve(import.meta.dirname, '../..');
const FEATURES_DIR = path.join(ROOT, 'src/features');
const SERVICE_MAX_LINES = 500;

const features = readdirSync(FEATURES_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

/** The non-test source files of a feature. */
function sourcesOf(feature: string): string[] {
  return readdirSync(path.join(FEATURES_DIR, feature))
    .filter((f) => f.endsWith('.ts') && !/\.test(-[a-z]+)?\.ts$/.test(f))
    .map((f) => path.join(FEATURES_DIR, feature, f));
}

/** `a --> b` for every feature a whose code imports feature b. */
function arrowsInCode(): string[] {
  const arrows = new Set<string>();
  for (const a of features) {
    for (const file of sourcesOf(a)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/from '\.\.\/([a-z-]+)\//g)) {
        const b = m[1] ?? '';
        if (b !== a && features.includes(b)) arrows.add(`${a} --> ${b}`);
      }
    }
  }
  return [...arrows].sort();
}

/** The arrows drawn between the markers of docs/architecture.md. */
function arrowsInDocs(): string[] {
  const doc = readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
  const block = /%% feature-graph:start\n([\s\S]*?)%% feature-graph:end/.exec(doc)?.[1] ?? '';
  return block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes('-->'))
    .sort();
}

describe('the feature graph', () => {
  it('should be drawn in docs/architecture.md exactly as the code imports', () => {
    expect(arrowsInDocs()).toEqual(arrowsInCode());
  });

  it('should have no cycle', () => {
    const next = new Map<string, string[]>();
    for (const arrow of arrowsInCode()) {
      const [a = '', b = ''] = arrow.split(' --> ');
      next.set(a, [...(next.get(a) ?? []), b]);
    }
    const state = new Map<string, 'open' | 'done'>();
    const cycle: string[] = [];
    const visit = (f: string, trail: string[]): void => {
      if (state.get(f) === 'done' || cycle.length > 0) return;
      if (state.get(f) === 'open') {
        cycle.push(...trail.slice(trail.indexOf(f)), f);
        return;
      }
      state.set(f, 'open');
      for (const g of next.get(f) ?? []) visit(g, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of features) visit(f, []);
    expect(cycle).toEqual([]);
  });

  it(`should keep every service file under ${SERVICE_MAX_LINES} lines`, () => {
    const long = features
      .flatMap(sourcesOf)
      .filter((f) => f.endsWith('.service.ts'))
      .map((f) => ({ file: path.relative(ROOT, f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((f) => f.lines > SERVICE_MAX_LINES);
    expect(long).toEqual([]);
  });
});
