import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { EVIDENCE_KEYS, EVIDENCE_VALUES } from '../../../src/domain/analysis/evidence.js';
import { ROW_ERROR_CODES } from '../../../src/domain/analysis/row-errors.js';
import defaultRules from '../../../src/domain/analysis/rules.default.json' with { type: 'json' };
import { RULE_IDS } from '../../../src/domain/analysis/rules.js';
import { TASK_KINDS } from '../../../src/domain/duties.js';
import { ROLES } from '../../../src/domain/roles.js';
import { ERRORS } from '../../../src/platform/http/errors.js';
import en from './en.json';
import zhCN from './zh-CN.json';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Leaf entries of a translation file as `a.b.c` → value. */
function flatten(value: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      for (const [key, leaf] of flatten(v, prefix ? `${prefix}.${k}` : k)) out.set(key, leaf);
    }
  } else {
    out.set(prefix, value);
  }
  return out;
}

function sourceFiles(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full, ext);
    return ext.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

function parse(file: string): ts.SourceFile {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, kind);
}

const zh = flatten(zhCN);
const english = flatten(en);
const LETTER = /\p{L}/u;
// Attributes a user reads or hears; their text must come from t().
const VISIBLE_ATTRIBUTES = new Set(['placeholder', 'title', 'alt', 'aria-label', 'aria-description', 'label']);

describe('translations', () => {
  it('should have exactly the same keys in zh-CN and en', () => {
    expect([...english.keys()].sort()).toEqual([...zh.keys()].sort());
  });

  it('should have no empty or non-text values', () => {
    for (const [key, value] of [...zh, ...english]) {
      expect(typeof value === 'string' && value.trim().length > 0, key).toBe(true);
    }
  });

  it('should use the same placeholders in both languages', () => {
    const placeholders = (s: unknown) => [...String(s).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
    for (const [key, value] of zh) expect(placeholders(english.get(key)), key).toEqual(placeholders(value));
  });

  it('should translate every error code of the API', () => {
    for (const code of [...Object.keys(ERRORS), 'NETWORK_ERROR', 'UNKNOWN']) {
      expect(zh.has(`errors.${code}`), code).toBe(true);
    }
  });

  it('should name and describe every role', () => {
    for (const role of ROLES) {
      expect(zh.has(`roles.${role}`), role).toBe(true);
      expect(zh.has(`roleDescriptions.${role}`), role).toBe(true);
    }
  });
});

const ROOT = path.resolve(SRC, '..', '..');

/** The words docs/glossary.md says not to use (its last column), where they are words and not explanations. */
function avoidedTerms(): string[] {
  const rows = readFileSync(path.join(ROOT, 'docs', 'glossary.md'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l));
  return rows.slice(1).flatMap((row) =>
    (row.split('|').at(-2) ?? '')
      .split(',')
      .map((w) => w.trim())
      .filter((w) => /^[\p{Script=Han}A-Za-z ]{2,}$/u.test(w) && !/^(the|a|an) /.test(w)),
  );
}

describe('the words of the interface (docs/glossary.md)', () => {
  const texts = [...zh, ...english].map(([key, value]) => [key, String(value)] as const);

  it('should name no policy clause and no document: clause ids and file names are not for staff', () => {
    // P3.2, P7.2.1, or a bare (P4); not P90, which is a percentile.
    const clause = /\bP[1-9](\.\d+)+\b|[（(]P[1-9][）)]/;
    const offences = texts.filter(([, v]) => clause.test(v) || /\b[\w-]+\.md\b/i.test(v));
    expect(offences).toEqual([]);
  });

  it('should use the glossary’s term for each concept, never a word it says to avoid', () => {
    const avoided = avoidedTerms();
    expect(avoided).toEqual(expect.arrayContaining(['重症', '警报', '案件', '客户编号', '破窗']));
    const offences = texts.flatMap(([key, v]) =>
      avoided.filter((w) => v.toLowerCase().includes(w.toLowerCase())).map((w) => `${key}: ${w}`),
    );
    expect(offences).toEqual([]);
  });

  it('should name and describe every analysis rule and label every parameter of the shipped rule set', () => {
    for (const id of RULE_IDS) {
      expect(zh.has(`analysis.rules.${id}.name`), id).toBe(true);
      expect(zh.has(`analysis.rules.${id}.description`), id).toBe(true);
    }
    for (const rule of defaultRules.rules) {
      for (const param of Object.keys(rule.params)) expect(zh.has(`analysis.params.${rule.id}.${param}`), `${rule.id}.${param}`).toBe(true);
    }
  });

  it('should say every pattern of rule evidence with its own values only', () => {
    for (const key of EVIDENCE_KEYS) {
      const text = zh.get(`analysis.evidence.${key}`);
      expect(typeof text, key).toBe('string');
      const used = [...String(text).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '');
      const known: readonly string[] = EVIDENCE_VALUES[key];
      for (const name of used) expect(known, `${key}: {{${name}}}`).toContain(name);
    }
  });

  it('should say every reason a bad row can have, and name every kind of task', () => {
    for (const code of [...ROW_ERROR_CODES, 'other']) expect(zh.has(`batches.reasons.${code}`), code).toBe(true);
    for (const kind of TASK_KINDS) expect(zh.has(`work.kind.${kind}`), kind).toBe(true);
  });
});

describe('components', () => {
  it('should not hard-code user-visible text in .tsx files', () => {
    const offences: string[] = [];
    for (const file of sourceFiles(SRC, /\.tsx$/)) {
      const source = parse(file);
      const where = (node: ts.Node) => `${path.relative(SRC, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      walk(source, (node) => {
        if (ts.isJsxText(node) && LETTER.test(node.text)) offences.push(`${where(node)} text "${node.text.trim()}"`);
        if (ts.isJsxExpression(node) && node.expression && ts.isStringLiteralLike(node.expression) && LETTER.test(node.expression.text)) {
          if (!ts.isJsxAttribute(node.parent) || VISIBLE_ATTRIBUTES.has(node.parent.name.getText())) {
            offences.push(`${where(node)} string "${node.expression.text}"`);
          }
        }
        if (
          ts.isJsxAttribute(node) &&
          VISIBLE_ATTRIBUTES.has(node.name.getText()) &&
          node.initializer &&
          ts.isStringLiteral(node.initializer) &&
          LETTER.test(node.initializer.text)
        ) {
          offences.push(`${where(node)} attribute ${node.name.getText()}="${node.initializer.text}"`);
        }
      });
    }
    expect(offences).toEqual([]);
  });

  it('should only use translation keys that exist', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(SRC, /\.tsx?$/)) {
      walk(parse(file), (node) => {
        let key: string | null = null;
        // t('a.b') and i18n.t('a.b')
        if (ts.isCallExpression(node) && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
          const callee = node.expression;
          const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
          if (name === 't') key = node.arguments[0].text;
        }
        // Keys held as data, e.g. the navigation's labelKey.
        if (ts.isPropertyAssignment(node) && node.name.getText().endsWith('Key') && ts.isStringLiteral(node.initializer)) {
          key = node.initializer.text;
        }
        if (key !== null && typeof zh.get(key) !== 'string') missing.push(`${path.relative(SRC, file)}: ${key}`);
      });
    }
    expect(missing).toEqual([]);
  });
});
