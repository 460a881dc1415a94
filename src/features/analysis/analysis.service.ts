import { createReadStream, createWriteStream, readFileSync, renameSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { AnalysisEngine, type Finding, type RuleHit } from '../../domain/analysis/engine.js';
import { type Label, evaluate } from '../../domain/analysis/evaluation.js';
import { type CompiledRuleSet, compileRuleSet } from '../../domain/analysis/rules.js';
import defaultRules from '../../domain/analysis/rules.default.json' with { type: 'json' };
import { AnalysisState } from '../../domain/analysis/state.js';
import { type RowError, transactionInput } from '../../domain/analysis/transaction.js';
import { formatOfFileName } from './formats.service.js';
import { Camt053TransactionReader } from './camt053.js';
import { CsvTransactionReader } from './csv.js';
import { NdjsonTransactionReader } from './ndjson.js';

let shipped: CompiledRuleSet | undefined;

/** The shipped rule set, compiled (once: nothing changes a compiled set). */
export function defaultRuleSet(): CompiledRuleSet {
  shipped ??= compileRuleSet(defaultRules);
  return shipped;
}

/** A rule set from a JSON file (throws RuleSetError listing the problems, or a read/JSON error). */
export function loadRuleSet(path: string): CompiledRuleSet {
  return compileRuleSet(JSON.parse(readFileSync(path, 'utf8')));
}

/** Loads a saved state file; answers null when there is none yet (the first run starts empty). */
export function loadState(path: string): { state: AnalysisState; rulesVersion: string } | null {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null; // a read error always carries a code
    throw err;
  }
  return AnalysisState.deserialize(buf);
}

/** Saves the state next to its final name and renames it into place: a crash never leaves half a state. */
export async function saveState(path: string, state: AnalysisState, rulesVersion: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const file = await open(temporary, 'w');
  try {
    for (const part of state.serialize(rulesVersion)) {
      let done = 0;
      while (done < part.length) {
        const { bytesWritten } = await file.write(part, done, Math.min(part.length - done, 64 << 20));
        done += bytesWritten;
      }
    }
    await file.sync();
  } finally {
    await file.close();
  }
  renameSync(temporary, path);
}

/** Figures of one scan. */
export interface ScanSummary {
  rows: number;
  badRows: number;
  bytes: number;
  seconds: number;
  findings: number;
  byKind: Record<string, number>;
}

/** Options of scanFiles. */
export interface ScanOptions {
  rules: CompiledRuleSet;
  /** State to go on from (the daily run); a fresh one if absent. */
  state?: AnalysisState;
  /** Where findings go, one JSON object a line. */
  out?: Writable;
  /** Each bad row, as it is found. */
  onBadRow?: (file: string, error: RowError) => void;
  /** Progress through a file: bytes read of its size, rows so far. */
  onProgress?: (file: string, bytesRead: number, size: number, rows: number) => void;
  /** Keep findings and every rule hit in the answer (for evaluation); off for big scans. */
  keep?: boolean;
}

/** Result of scanFiles. */
export interface ScanResult {
  summary: ScanSummary;
  engine: AnalysisEngine;
  findings: Finding[];
  hits: RuleHit[];
}

const CHUNK = 1 << 20;

/**
 * Streams files (CSV; NDJSON for .ndjson/.jsonl; camt.053 for .xml) through the engine in constant memory,
 * writes findings as NDJSON and answers the figures.
 */
export async function scanFiles(files: readonly string[], opts: ScanOptions): Promise<ScanResult> {
  const engine = new AnalysisEngine(opts.rules, opts.state);
  const started = process.hrtime.bigint();
  let rows = 0;
  let badRows = 0;
  let bytes = 0;
  for (const file of files) {
    const size = statSync(file).size;
    const onError = (e: RowError) => opts.onBadRow?.(file, e);
    const format = formatOfFileName(file);
    const reader =
      format === 'ndjson'
        ? new NdjsonTransactionReader((t) => engine.observe(transactionInput(t)), onError)
        : format === 'camt053'
          ? new Camt053TransactionReader((t) => engine.observe(transactionInput(t)), onError)
          : new CsvTransactionReader((t) => engine.observe(t), onError);
    let lastProgress = Date.now();
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
      // fs streams without an encoding yield Buffers.
      reader.push(chunk as Buffer);
      if (opts.onProgress && Date.now() - lastProgress > 1000) {
        lastProgress = Date.now();
        opts.onProgress(file, reader.bytes, size, reader.rows);
      }
    }
    reader.end();
    rows += reader.rows;
    badRows += reader.bad;
    bytes += reader.bytes;
  }
  const { findings, hits } = engine.finish();
  const byKind: Record<string, number> = { illness_signal: 0, fund_safety: 0 };
  if (opts.out) {
    const out = opts.out;
    let buffer = '';
    for (const f of findings) {
      byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
      buffer += `${JSON.stringify(findingLine(f))}\n`;
      if (buffer.length > 1 << 16) {
        if (!out.write(buffer)) await new Promise((resolve) => out.once('drain', resolve));
        buffer = '';
      }
    }
    if (buffer) out.write(buffer);
  } else for (const f of findings) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    summary: { rows, badRows, bytes, seconds, findings: findings.length, byKind },
    engine,
    findings: opts.keep ? findings : [],
    hits: opts.keep ? hits : [],
  };
}

/** Reads a labels file written by gen-transactions (NDJSON, one planted pattern or look-alike a line). */
export function readLabels(path: string): Label[] {
  const labels: Label[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    const o = v as Record<string, unknown>; // a non-null object, checked above
    if (typeof o.customerNumber !== 'string') continue;
    labels.push({
      customerNumber: o.customerNumber,
      kind: o.kind === 'illness_signal' || o.kind === 'fund_safety' ? o.kind : null,
      // The generator writes rule ids; an unknown one simply matches no hit.
      rules: Array.isArray(o.rules) ? (o.rules.filter((x) => typeof x === 'string') as Label['rules']) : [],
    });
  }
  return labels;
}

export { evaluate };

/**
 * A finding as `lifeline scan` writes it: API.md's fields, each rule with its facts as data; the
 * per-transaction facts stay in the database's alerts (a file of millions of findings needs only the latest).
 */
export function findingLine(f: Finding) {
  return {
    kind: f.kind,
    customerNumber: f.customerNumber,
    score: f.score,
    rules: f.rules.map((r) => ({ id: r.id, evidence: r.evidence, detail: r.detail, facts: r.facts })),
  };
}

/** Opens a file for findings, or stdout for '-' / nothing. */
export function findingsSink(path: string | undefined): Writable {
  return path && path !== '-' ? createWriteStream(path) : process.stdout;
}
