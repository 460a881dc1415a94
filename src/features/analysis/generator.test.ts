import { describe, expect, it } from 'vitest';
import { AnalysisEngine } from '../../domain/analysis/engine.js';
import { evaluate } from '../../domain/analysis/evaluation.js';
import { AnalysisState } from '../../domain/analysis/state.js';
import { TRANSACTION_COLUMNS } from '../../domain/analysis/transaction.js';
import { defaultRuleSet } from './analysis.service.js';
import { CsvTransactionReader } from './csv.js';
import { type GenLabel, type GenOptions, type GenRow, csvLine, generateCustomer } from './generator.js';

const OPTS: GenOptions = { accounts: 2_000, days: 90, seed: 11, rate: 0.5 };

function dataset(opts: GenOptions): { rows: GenRow[]; labels: GenLabel[] } {
  const rows: GenRow[] = [];
  const labels: GenLabel[] = [];
  for (let i = 1; i <= opts.accounts; i++) {
    const c = generateCustomer(opts, i);
    rows.push(...c.rows);
    labels.push(...c.labels);
  }
  return { rows, labels };
}

/** Runs rows through the engine the way `lifeline scan` does: as CSV bytes through the reader. */
function scan(engine: AnalysisEngine, rows: readonly GenRow[]) {
  let bad = 0;
  const reader = new CsvTransactionReader(
    (t) => engine.observe(t),
    () => bad++,
  );
  reader.push(Buffer.from(`${TRANSACTION_COLUMNS.join(',')}\n${rows.map(csvLine).join('')}`));
  reader.end();
  expect(bad).toBe(0);
  return engine.finish();
}

const { rows, labels } = dataset(OPTS);
const result = scan(new AnalysisEngine(defaultRuleSet()), rows);

describe('generated transactions', () => {
  it('should be the same for the same seed and differ for another', () => {
    expect(generateCustomer(OPTS, 7)).toEqual(generateCustomer(OPTS, 7));
    expect(generateCustomer({ ...OPTS, seed: 12 }, 7).rows).not.toEqual(generateCustomer(OPTS, 7).rows);
  });

  it('should plant every rule and every look-alike', () => {
    const planted = new Set(labels.flatMap((l) => l.rules));
    expect([...planted].sort()).toEqual(
      defaultRuleSet()
        .rules.map((r) => r.id)
        .sort(),
    );
    expect(new Set(labels.filter((l) => l.lookalike).map((l) => l.pattern))).toEqual(
      new Set(['routine_pharmacy', 'salary_late', 'planned_purchase', 'job_change']),
    );
  });

  it('should make every rule fire on the customers planted with it', () => {
    const hit = new Set(result.hits.map((h) => `${h.customerNumber}|${h.id}`));
    for (const l of labels)
      for (const rule of l.rules) expect(hit, `${l.customerNumber} ${l.pattern}`).toContain(`${l.customerNumber}|${rule}`);
  });

  it('should raise no finding for the look-alikes', () => {
    const flagged = new Set(result.findings.map((f) => f.customerNumber));
    const lookalikes = labels.filter((l) => l.lookalike);
    expect(lookalikes.length).toBeGreaterThan(50);
    for (const l of lookalikes) expect(flagged.has(l.customerNumber), `${l.customerNumber} ${l.pattern}`).toBe(false);
  });

  it('should reach the precision and recall floors on 2,000 accounts', () => {
    const { kinds, rules } = evaluate(labels, result.findings, result.hits);
    console.log(kinds.map((k) => `${k.name}: precision ${k.precision.toFixed(3)} recall ${k.recall.toFixed(3)}`).join('; '));
    for (const k of kinds) {
      expect(k.precision, k.name).toBeGreaterThanOrEqual(0.9);
      expect(k.recall, k.name).toBeGreaterThanOrEqual(0.95);
    }
    for (const r of rules) {
      expect(r.precision, r.name).toBeGreaterThanOrEqual(0.8);
      expect(r.recall, r.name).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('should find on the new day, from saved state, exactly what an engine running on without a break finds', () => {
    const last = OPTS.days - 1;
    const earlier = new AnalysisEngine(defaultRuleSet());
    scan(
      earlier,
      rows.filter((r) => r.day < last),
    );
    const saved = Buffer.concat(earlier.state.serialize('x'));
    const daily = scan(
      new AnalysisEngine(defaultRuleSet(), AnalysisState.deserialize(saved).state),
      rows.filter((r) => r.day === last),
    );
    const continuous = new AnalysisEngine(defaultRuleSet());
    scan(
      continuous,
      rows.filter((r) => r.day < last),
    );
    const reference = scan(
      continuous,
      rows.filter((r) => r.day === last),
    );
    expect(daily.hits.length).toBeGreaterThan(0);
    expect(daily).toEqual(reference);
  });
});
