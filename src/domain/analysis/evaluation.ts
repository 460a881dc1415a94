import type { Finding, RuleHit } from './engine.js';
import type { RuleId, RuleKind } from './rules.js';

/** A planted label as the generator writes it (one line of the labels file). */
export interface Label {
  customerNumber: string;
  kind: RuleKind | null;
  rules: RuleId[];
}

/** Precision and recall of one kind or rule. */
export interface Score {
  name: string;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

function score(name: string, expected: Set<string>, got: Set<string>): Score {
  let tp = 0;
  for (const c of got) if (expected.has(c)) tp++;
  const fp = got.size - tp;
  const fn = expected.size - tp;
  // No prediction at all is perfectly precise; nothing to find is perfectly recalled.
  return {
    name,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: got.size === 0 ? 1 : tp / got.size,
    recall: expected.size === 0 ? 1 : tp / expected.size,
  };
}

/**
 * Precision and recall per kind (emitted findings against customers planted with that kind) and
 * per rule (every hit, scored or not, against customers whose planted pattern makes that rule fire).
 */
export function evaluate(
  labels: readonly Label[],
  findings: readonly Finding[],
  hits: readonly RuleHit[],
): { kinds: Score[]; rules: Score[] } {
  const kinds: Score[] = [];
  for (const kind of ['illness_signal', 'fund_safety'] as const) {
    const expected = new Set(labels.filter((l) => l.kind === kind).map((l) => l.customerNumber));
    const got = new Set(findings.filter((f) => f.kind === kind).map((f) => f.customerNumber));
    kinds.push(score(kind, expected, got));
  }
  const ruleIds = new Set<RuleId>([...labels.flatMap((l) => l.rules), ...hits.map((h) => h.id)]);
  const rules = [...ruleIds]
    .sort()
    .map((id) =>
      score(
        id,
        new Set(labels.filter((l) => l.rules.includes(id)).map((l) => l.customerNumber)),
        new Set(hits.filter((h) => h.id === id).map((h) => h.customerNumber)),
      ),
    );
  return { kinds, rules };
}
