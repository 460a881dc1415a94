import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// `npm install` warns EBADENGINE when the running Node is outside a dependency's "engines": the
// Node versions package.json declares must be ones every locked dependency declares too.

const ROOT = path.resolve(import.meta.dirname, '../..');

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The Node range of a package's "engines" (an object in the lock file; old packages wrote a list). */
function nodeRange(engines: unknown): string | undefined {
  if (isRecord(engines)) return typeof engines.node === 'string' ? engines.node : undefined;
  if (Array.isArray(engines)) {
    const entry = engines.find((e): e is string => typeof e === 'string' && e.trim().startsWith('node'));
    return entry?.trim().slice(4).trim();
  }
  return undefined;
}

/** The packages the lock file installs (not the root project itself), with their Node range. */
function lockedRanges(): { name: string; range: string }[] {
  const lock = readJson('package-lock.json');
  const packages = isRecord(lock) && isRecord(lock.packages) ? lock.packages : {};
  return Object.entries(packages).flatMap(([where, entry]) => {
    if (where === '' || !isRecord(entry)) return [];
    const range = nodeRange(entry.engines);
    return range === undefined ? [] : [{ name: `${where.replace(/^.*node_modules\//, '')}@${String(entry.version)}`, range }];
  });
}

function declaredRange(): string {
  const pkg = readJson('package.json');
  const engines = isRecord(pkg) ? pkg.engines : undefined;
  const range = nodeRange(engines);
  if (!range) throw new Error('package.json declares no engines.node');
  return range;
}

describe('Node versions', () => {
  it('should declare a valid Node range that includes the Node running the tests', () => {
    expect(semver.validRange(declaredRange())).not.toBeNull();
    expect(semver.satisfies(process.versions.node, declaredRange()), `Node ${process.versions.node}`).toBe(true);
  });

  it('should declare only Node versions every locked dependency supports, so npm install warns no EBADENGINE', () => {
    const declared = declaredRange();
    const ranges = lockedRanges();
    expect(ranges.length).toBeGreaterThan(50);
    const unmet = ranges
      .filter(({ range }) => semver.validRange(range) === null || !semver.subset(declared, range))
      .map(({ name, range }) => `${name} wants node ${range}`);
    expect(unmet, `package.json declares node ${declared}`).toEqual([]);
  });
});
