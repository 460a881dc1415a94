import { NEVER } from '../domain/analysis/state.js';
import { RuleSetError } from '../domain/analysis/rules.js';
import {
  defaultRuleSet,
  evaluate,
  findingsSink,
  loadRuleSet,
  loadState,
  readLabels,
  saveState,
  scanFiles,
} from '../features/analysis/analysis.service.js';
import { parseCommandLine, UsageError } from './usage.js';

const SHOWN_BAD_ROWS = 20;

/** `lifeline scan FILE... [--rules FILE] [--out FILE] [--state FILE] [--labels FILE]` (API.md, docs/analysis.md). */
export async function scanCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseCommandLine({
    args,
    allowPositionals: true,
    options: { rules: { type: 'string' }, out: { type: 'string' }, state: { type: 'string' }, labels: { type: 'string' } },
  });
  if (positionals.length === 0) throw new UsageError('scan needs at least one FILE (CSV, or NDJSON named .ndjson/.jsonl)');
  let rules: ReturnType<typeof defaultRuleSet>;
  try {
    rules = values.rules ? loadRuleSet(values.rules) : defaultRuleSet();
  } catch (err) {
    if (err instanceof RuleSetError || err instanceof SyntaxError) {
      console.error(`lifeline scan: the rule set ${values.rules} is not valid:\n${err.message}`);
      return 2;
    }
    throw err;
  }
  const loaded = values.state ? loadState(values.state) : null;
  if (loaded && loaded.rulesVersion !== rules.version)
    console.error(
      `note: the state was built under rule set ${loaded.rulesVersion}, this scan uses ${rules.version}; rebuild it from history if the medical categories or keywords changed`,
    );
  const out = findingsSink(values.out);
  let shown = 0;
  const { summary, engine, findings, hits } = await scanFiles(positionals, {
    rules,
    ...(loaded ? { state: loaded.state } : {}),
    out,
    keep: values.labels !== undefined,
    onBadRow: (file, e) => {
      if (shown++ < SHOWN_BAD_ROWS) console.error(`${file}:${e.line}: ${e.reason}`);
    },
    onProgress: (file, read, size, rows) =>
      process.stderr.write(
        `${file}: ${((100 * read) / Math.max(size, 1)).toFixed(0)}% (${(read / 1e6).toFixed(0)} of ${(size / 1e6).toFixed(0)} MB, ${rows} rows)\n`,
      ),
  });
  if (out !== process.stdout) await new Promise((resolve) => out.end(resolve));
  if (values.state) await saveState(values.state, engine.state, rules.version);
  const s = summary;
  const asOf = engine.maxDay === NEVER ? '-' : new Date(engine.maxDay * 86_400_000).toISOString().slice(0, 10);
  console.error(
    `scanned ${s.rows} rows (${(s.bytes / 1e6).toFixed(1)} MB) in ${s.seconds.toFixed(2)} s: ${Math.round(s.rows / s.seconds)} rows/s, ${(s.bytes / 1e6 / s.seconds).toFixed(1)} MB/s; ` +
      `bad rows ${s.badRows}; findings ${s.findings} (illness_signal ${s.byKind.illness_signal}, fund_safety ${s.byKind.fund_safety}); ` +
      `customers in state ${engine.state.size}; as of ${asOf}; rule set ${rules.version}`,
  );
  if (values.labels) {
    const result = evaluate(readLabels(values.labels), findings, hits);
    const line = (x: {
      name: string;
      precision: number;
      recall: number;
      truePositives: number;
      falsePositives: number;
      falseNegatives: number;
    }) =>
      `  ${x.name.padEnd(32)} precision ${x.precision.toFixed(3)}  recall ${x.recall.toFixed(3)}  (tp ${x.truePositives}, fp ${x.falsePositives}, fn ${x.falseNegatives})`;
    console.error(`per kind (findings at or above the threshold):\n${result.kinds.map(line).join('\n')}`);
    console.error(`per rule (every hit, scored or not):\n${result.rules.map(line).join('\n')}`);
  }
  return 0;
}
