import { isUtf8 } from 'node:buffer';
import { rowErrorText } from '../../domain/analysis/row-errors.js';
import { type ParsedRow, type RowError, TRANSACTION_COLUMNS, type Transaction, toTransaction } from '../../domain/analysis/transaction.js';

/**
 * Transactions as NDJSON (one object per line, the CSV's column names as keys), read from Buffer
 * chunks in constant memory. Bad lines become `{line, reason}`; nothing here throws on any input.
 */

const LF = 0x0a;
/** A line longer than this is refused without being parsed. */
export const MAX_LINE_BYTES = 1 << 20;

/** The fields of one NDJSON object as the texts toTransaction() checks, or why they cannot be. */
export function ndjsonFields(line: string): string[] | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return rowErrorText('not_json');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return rowErrorText('not_object');
  const o = value as Record<string, unknown>; // a non-null, non-array object, checked just above
  const fields: string[] = [];
  for (const name of TRANSACTION_COLUMNS) {
    const v = o[name];
    if (v === undefined || v === null) fields.push('');
    else if (typeof v === 'string') fields.push(v);
    else if (name === 'amount_minor' && typeof v === 'number' && Number.isSafeInteger(v)) fields.push(String(v));
    else return name === 'amount_minor' ? rowErrorText('amount_not_number') : rowErrorText('field_not_text', { field: name });
  }
  return fields;
}

/** Push-style NDJSON reader, the counterpart of CsvTransactionReader. */
export class NdjsonTransactionReader {
  rows = 0;
  bad = 0;
  bytes = 0;
  private pending: Buffer = Buffer.alloc(0);
  private line = 1;
  private skipping = false;

  constructor(
    private readonly onRow: (txn: Transaction, line: number) => void,
    private readonly onError: (error: RowError) => void,
  ) {}

  /** Reads the complete lines of a chunk. */
  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    const buf =
      this.pending.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length) : Buffer.concat([this.pending, chunk]);
    let pos = 0;
    for (;;) {
      const lf = buf.indexOf(LF, pos);
      if (lf < 0) break;
      if (this.skipping) this.skipping = false;
      else this.handle(buf, pos, lf);
      pos = lf + 1;
    }
    if (buf.length - pos > MAX_LINE_BYTES) {
      if (!this.skipping) this.fail(this.line, rowErrorText('line_too_long', { max: MAX_LINE_BYTES }));
      this.skipping = true;
      pos = buf.length;
    }
    this.pending = Buffer.from(buf.subarray(pos));
  }

  /** Reads a last line without a line end. */
  end(): void {
    if (this.pending.length > 0 && !this.skipping) this.handle(this.pending, 0, this.pending.length);
    this.pending = Buffer.alloc(0);
  }

  private fail(line: number, reason: string): void {
    this.bad++;
    this.onError({ line, reason });
  }

  private handle(buf: Buffer, start: number, end: number): void {
    const line = this.line++;
    if (end - start > MAX_LINE_BYTES) {
      this.fail(line, rowErrorText('line_too_long', { max: MAX_LINE_BYTES }));
      return;
    }
    if (!isUtf8(buf.subarray(start, end))) {
      this.fail(line, rowErrorText('not_utf8'));
      return;
    }
    const text = buf.toString('utf8', start, end).trim();
    if (text === '') return;
    const fields = ndjsonFields(text);
    if (typeof fields === 'string') {
      this.fail(line, fields);
      return;
    }
    const t = toTransaction(fields);
    if (typeof t === 'string') {
      this.fail(line, t);
      return;
    }
    this.rows++;
    this.onRow(t, line);
  }
}

/** Parses an NDJSON stream into typed transactions and per-line errors, in order, in constant memory. */
export async function* parseTransactionsNdjson(source: AsyncIterable<Uint8Array>): AsyncGenerator<ParsedRow> {
  let out: ParsedRow[] = [];
  const reader = new NdjsonTransactionReader(
    (txn, line) => out.push({ ok: true, line, txn }),
    (error) => out.push({ ok: false, error }),
  );
  for await (const chunk of source) {
    reader.push(chunk);
    const batch = out;
    out = [];
    yield* batch;
  }
  reader.end();
  yield* out;
}
