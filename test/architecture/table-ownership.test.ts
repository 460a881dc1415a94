import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// DESIGN.md "Rules of the house": a feature uses another only through its service, never its
// repository *or its tables*. dependency-cruiser checks the imports (npm run check:deps); this
// checks the SQL: every table has one owner (its file in platform/db/tables/), and only the
// owner's repositories name it.

const ROOT = path.resolve(import.meta.dirname, '../..');
const TABLES_DIR = path.join(ROOT, 'src/platform/db/tables');
const FEATURES_DIR = path.join(ROOT, 'src/features');

/** Every file below a folder, with its path relative to the project. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.relative(ROOT, path.join(dir, e.name))],
  );
}

/** Table → owner, read from the `export interface …Tables { table: Row; … }` of each tables/ file. */
function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  for (const file of readdirSync(TABLES_DIR).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(path.join(TABLES_DIR, file), 'utf8');
    const block = /export interface \w+Tables \{([^}]*)\}/.exec(text)?.[1] ?? '';
    for (const m of block.matchAll(/^\s*([a-z_]+):/gm)) {
      const table = m[1] ?? '';
      expect(owners.has(table), `${table} is declared by two owners`).toBe(false);
      owners.set(table, file.replace(/\.ts$/, ''));
    }
  }
  return owners;
}

/** The tables a source text names in Kysely calls or in lists of linked texts. */
function tablesNamed(text: string): string[] {
  const calls =
    /\.(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|with)\(\s*'([a-z_]+)(?: as [a-z_]+)?'/g;
  const lists = /\btable: '([a-z_]+)'/g;
  return [...new Set([...text.matchAll(calls), ...text.matchAll(lists)].map((m) => m[1] ?? ''))];
}

const owners = tableOwners();
const features = readdirSync(FEATURES_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);
const featureFiles = filesUnder(FEATURES_DIR).filter((f) => f.endsWith('.ts') && !/\.test(-[a-z]+)?\.ts$/.test(f));

describe('table ownership', () => {
  it('should give every table of the schema exactly one owner, a feature or the platform', () => {
    const known = new Set([...features, 'platform']);
    for (const [table, owner] of owners) expect(known.has(owner), `${table} belongs to ${owner}, which is no feature`).toBe(true);
    expect(owners.size).toBeGreaterThan(30);
  });

  it("should let a feature's repositories name only the tables that feature owns", () => {
    const trespass: string[] = [];
    for (const file of featureFiles.filter((f) => f.endsWith('.repository.ts'))) {
      const feature = file.split('/')[2] ?? '';
      for (const table of tablesNamed(readFileSync(path.join(ROOT, file), 'utf8'))) {
        const owner = owners.get(table);
        if (owner !== feature) trespass.push(`${file} names ${table} (${owner ?? 'no such table'})`);
      }
    }
    expect(trespass).toEqual([]);
  });

  it('should keep SQL in repositories: no other feature file builds a query', () => {
    const sqlOutside = featureFiles
      .filter((f) => !f.endsWith('.repository.ts'))
      .filter((f) => /\.(selectFrom|insertInto|updateTable|deleteFrom)\(|\bsql`/.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(sqlOutside).toEqual([]);
  });

  it("should find a trespass when a repository names another feature's table (the check itself works)", () => {
    expect(tablesNamed("db.selectFrom('cases').innerJoin('staff as s', 's.id', 'x')")).toEqual(['cases', 'staff']);
    expect(owners.get('cases')).toBe('case-access');
    expect(owners.get('staff')).toBe('staff');
  });
});
