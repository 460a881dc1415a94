import { isUtf8 } from 'node:buffer';
import { rowErrorText } from '../../domain/analysis/row-errors.js';
import {
  CHANNELS,
  type ChannelCode,
  MAX_KEY_BYTES,
  type ParsedRow,
  type RowError,
  TRANSACTION_COLUMNS,
  type TxnInput,
  hashBytes,
  daysFromCivil,
  hashText,
  isRealDate,
  parseInstant,
  toTransaction,
} from '../../domain/analysis/transaction.js';

/**
 * The transactions CSV of API.md, read as a stream of Buffer chunks in constant memory: a
 * hand-written RFC 4180 tokenizer that finds field boundaries in the bytes, validates the fields
 * in place and hands the engine a reusable row view that decodes a text only when a rule reads
 * it. Bad rows become `{line, reason}` and reading goes on; nothing here throws on any input.
 */

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const NFIELDS = TRANSACTION_COLUMNS.length;
/** A row longer than this is refused (and the reader resynchronises at the next line): memory stays bounded. */
export const MAX_ROW_BYTES = 1 << 20;
const HEADER = TRANSACTION_COLUMNS.join(',');
const CHANNEL_BYTES = CHANNELS.map((c) => Buffer.from(c, 'latin1'));
const DEBIT = Buffer.from('debit');
const CREDIT = Buffer.from('credit');

/** The reusable view of the current row: fields are byte ranges of the reader's buffer. */
class RowView implements TxnInput {
  buf: Buffer = Buffer.alloc(0);
  keyBuf: Uint8Array = this.buf;
  keyStart = 0;
  keyEnd = 0;
  accountHash = 0;
  atMs = 0;
  amountMinor = 0;
  debit = false;
  channel: ChannelCode = 0;
  mcc = -1;
  counterpartyAccountHash = 0;
  readonly starts = new Int32Array(NFIELDS + 1);
  readonly ends = new Int32Array(NFIELDS + 1);
  /** 1 where a quoted field holds doubled quotes that decoding must undo. */
  readonly escaped = new Uint8Array(NFIELDS + 1);

  text(k: number): string {
    const s = this.buf.toString('utf8', this.starts[k], this.ends[k]);
    return this.escaped[k] === 1 ? s.replaceAll('""', '"') : s;
  }
  hash(k: number): number {
    if (this.escaped[k] === 1) return hashText(this.text(k));
    const start = this.starts[k] ?? 0;
    const end = this.ends[k] ?? 0;
    return start === end ? 0 : hashBytes(this.buf, start, end);
  }
  txnId(): string {
    return this.text(0);
  }
  counterpartyName(): string {
    return this.text(8);
  }
  counterpartyNameHash(): number {
    return this.hash(8);
  }
  description(): string {
    return this.text(11);
  }
}

/** Counters of a reader: rows read, bad rows, bytes. */
export interface ReadCounters {
  rows: number;
  bad: number;
  bytes: number;
}

/**
 * Push-style CSV reader: push() chunks as they come, end() at the end. Calls onRow with the row
 * view (valid only during the call) for each good row, onError for each bad one.
 */
export class CsvTransactionReader implements ReadCounters {
  rows = 0;
  bad = 0;
  bytes = 0;
  private pending: Buffer = Buffer.alloc(0);
  private line = 1;
  private headerSeen = false;
  private refused = false;
  private first = true;
  private readonly view = new RowView();
  private allUtf8 = true;
  /** Dropping input up to the next line end, after a row that grew past MAX_ROW_BYTES. */
  private skipping = false;

  constructor(
    private readonly onRow: (row: TxnInput, line: number) => void,
    private readonly onError: (error: RowError) => void,
  ) {}

  /** Reads the complete rows of a chunk; keeps an incomplete last row for the next chunk. */
  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    let buf = this.pending.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length) : Buffer.concat([this.pending, chunk]);
    if (this.skipping) {
      const lf = buf.indexOf(LF);
      if (lf < 0) {
        this.pending = Buffer.alloc(0);
        return;
      }
      this.skipping = false;
      this.line += 1;
      buf = buf.subarray(lf + 1);
    }
    if (this.first && buf.length >= 3) {
      this.first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    const consumed = this.parse(buf, false);
    // Copy the rest: a view would pin the whole chunk in memory.
    this.pending = Buffer.from(buf.subarray(consumed));
  }

  /** Reads what is left (a last row without a line end). */
  end(): void {
    if (this.pending.length > 0) this.parse(this.pending, true);
    this.pending = Buffer.alloc(0);
    if (!this.headerSeen && !this.refused) this.error(1, rowErrorText('header_missing', { header: HEADER }));
  }

  private error(line: number, reason: string): void {
    this.bad++;
    this.onError({ line, reason });
  }

  /** Parses rows from buf; answers how many bytes were consumed (complete rows). */
  private parse(buf: Buffer, final: boolean): number {
    const len = buf.length;
    const view = this.view;
    view.buf = buf;
    view.keyBuf = buf;
    const starts = view.starts;
    const ends = view.ends;
    const escaped = view.escaped;
    // Whole-region UTF-8 check up to the last line end: one native call instead of one per row.
    const lastLf = final ? len - 1 : buf.lastIndexOf(LF);
    this.allUtf8 = lastLf < 0 || isUtf8(buf.subarray(0, lastLf + 1));
    let pos = 0;
    while (pos < len) {
      if (this.refused) return len;
      const rowStart = pos;
      const rowLine = this.line;
      let i = pos;
      let nf = 0;
      let newlines = 0;
      let bad: string | null = null;
      let complete = false;
      // One row: fields until an unquoted line end.
      for (;;) {
        if (i >= len) {
          if (!final) break;
          if (nf < NFIELDS + 1) {
            starts[nf] = i;
            ends[nf] = i;
            escaped[nf] = 0;
          }
          nf++;
          complete = true;
          break;
        }
        let c = buf[i];
        if (c === QUOTE) {
          let j = i + 1;
          let esc = 0;
          let closed = -1;
          for (;;) {
            const q = buf.indexOf(QUOTE, j);
            if (q < 0) break;
            if (q + 1 >= len && !final) break;
            if (buf[q + 1] === QUOTE) {
              esc = 1;
              j = q + 2;
              continue;
            }
            closed = q;
            break;
          }
          if (closed < 0) {
            if (final) {
              bad = rowErrorText('quote_not_closed');
              for (let k = i; k < len; k++) if (buf[k] === LF) newlines++;
              i = len;
              complete = true;
            }
            break;
          }
          for (let k = i + 1; k < closed; k++) if (buf[k] === LF) newlines++;
          if (nf < NFIELDS + 1) {
            starts[nf] = i + 1;
            ends[nf] = closed;
            escaped[nf] = esc;
          }
          nf++;
          i = closed + 1;
          c = buf[i];
          if (i < len && c !== COMMA && c !== LF && c !== CR) {
            bad = rowErrorText('text_after_quote');
            // Resynchronise at the next line end.
            const lf = buf.indexOf(LF, i);
            if (lf < 0 && !final) break;
            i = lf < 0 ? len : lf + 1;
            complete = true;
            break;
          }
        } else {
          const start = i;
          while (i < len) {
            c = buf[i];
            if (c === COMMA || c === LF || c === CR) break;
            i++;
          }
          if (i >= len && !final) break;
          if (nf < NFIELDS + 1) {
            starts[nf] = start;
            ends[nf] = i;
            escaped[nf] = 0;
          }
          nf++;
        }
        if (i >= len) {
          if (!final) break;
          complete = true;
          break;
        }
        c = buf[i];
        if (c === COMMA) {
          i++;
          if (i >= len && final) {
            if (nf < NFIELDS + 1) {
              starts[nf] = i;
              ends[nf] = i;
              escaped[nf] = 0;
            }
            nf++;
            complete = true;
            break;
          }
          continue;
        }
        if (c === LF) {
          i++;
          complete = true;
          break;
        }
        // CR: a line end if LF follows; a bare CR ends the row too.
        if (i + 1 >= len && !final) break;
        i += buf[i + 1] === LF ? 2 : 1;
        complete = true;
        break;
      }
      if (!complete) {
        if (len - rowStart > MAX_ROW_BYTES) {
          // Too long to be a row: report it and skip to the next line end.
          this.error(rowLine, rowErrorText('row_too_long', { max: MAX_ROW_BYTES }));
          const lf = buf.indexOf(LF, rowStart + MAX_ROW_BYTES);
          if (lf < 0) {
            // Drop it all and keep dropping until a line end: memory stays bounded.
            this.skipping = true;
            return len;
          }
          this.line += 1;
          pos = lf + 1;
          continue;
        }
        return rowStart;
      }
      this.line += 1 + newlines;
      pos = i;
      if (bad !== null) {
        this.error(rowLine, bad);
        continue;
      }
      // A blank line is no row.
      if (nf === 1 && starts[0] === ends[0]) continue;
      if (!this.headerSeen) {
        this.headerSeen = true;
        if (
          buf
            .toString('utf8', rowStart, i)
            .replace(/\r?\n$/, '')
            .replace(/^\ufeff/, '') !== HEADER
        ) {
          this.error(rowLine, rowErrorText('header_wrong', { header: HEADER }));
          this.refused = true;
          return len;
        }
        continue;
      }
      if (nf !== NFIELDS) {
        this.error(rowLine, rowErrorText('field_count', { expected: NFIELDS, found: nf }));
        continue;
      }
      if (!this.allUtf8 && !isUtf8(buf.subarray(rowStart, i))) {
        this.error(rowLine, rowErrorText('not_utf8'));
        continue;
      }
      const reason = this.fill(view);
      if (reason !== null) {
        this.error(rowLine, reason);
        continue;
      }
      this.rows++;
      this.onRow(view, rowLine);
    }
    return len;
  }

  /** Validates the fields of the row in view and fills its numbers; answers why the row is bad, or null. */
  private fill(v: RowView): string | null {
    const buf = v.buf;
    const s = v.starts;
    const e = v.ends;
    // Identifiers: non-empty, bounded, no control characters; doubled quotes are rare enough for the slow path.
    const idLimits = [128, 64, MAX_KEY_BYTES];
    for (let k = 0; k < 3; k++) {
      const a = s[k] ?? 0;
      const b = e[k] ?? 0;
      if (a === b || b - a > (idLimits[k] ?? 0)) return slowReason(v);
      for (let p = a; p < b; p++) {
        const c = buf[p] ?? 0;
        if (c < 0x20 || c === 0x7f) return slowReason(v);
      }
    }
    if (v.escaped[2] === 1) {
      const key = Buffer.from(v.text(2), 'utf8');
      v.keyBuf = key;
      v.keyStart = 0;
      v.keyEnd = key.length;
    } else {
      v.keyBuf = buf;
      v.keyStart = s[2] ?? 0;
      v.keyEnd = e[2] ?? 0;
    }
    v.accountHash = v.hash(1);

    const at = parseInstantBytes(buf, s[3] ?? 0, e[3] ?? 0);
    v.atMs = Number.isNaN(at) ? parseInstant(v.text(3)) : at;
    if (Number.isNaN(v.atMs)) return rowErrorText('booked_at_invalid');

    const a4 = s[4] ?? 0;
    const b4 = e[4] ?? 0;
    if (a4 === b4 || b4 - a4 > 16 || buf[a4] === 0x30) return rowErrorText('amount_invalid');
    let amount = 0;
    for (let p = a4; p < b4; p++) {
      const d = (buf[p] ?? 0) - 0x30;
      if (d < 0 || d > 9) return rowErrorText('amount_invalid');
      amount = amount * 10 + d;
    }
    if (!Number.isSafeInteger(amount)) return rowErrorText('amount_invalid');
    v.amountMinor = amount;

    const a5 = s[5] ?? 0;
    if ((e[5] ?? 0) - a5 !== 3) return rowErrorText('currency_invalid');
    for (let p = a5; p < a5 + 3; p++) {
      const c = buf[p] ?? 0;
      if (c < 0x41 || c > 0x5a) return rowErrorText('currency_invalid');
    }

    if (same(buf, s[6] ?? 0, e[6] ?? 0, DEBIT)) v.debit = true;
    else if (same(buf, s[6] ?? 0, e[6] ?? 0, CREDIT)) v.debit = false;
    else return rowErrorText('direction_invalid');

    let code = -1;
    for (let k = 0; k < CHANNEL_BYTES.length; k++) {
      const word = CHANNEL_BYTES[k];
      if (word && same(buf, s[7] ?? 0, e[7] ?? 0, word)) {
        code = k;
        break;
      }
    }
    if (code < 0) return rowErrorText('channel_invalid', { channels: CHANNELS.join(', ') });
    // code is an index of CHANNELS found just above.
    v.channel = code as ChannelCode;

    const a10 = s[10] ?? 0;
    const b10 = e[10] ?? 0;
    if (a10 === b10) v.mcc = -1;
    else {
      if (b10 - a10 !== 4) return rowErrorText('mcc_invalid');
      let mcc = 0;
      for (let p = a10; p < b10; p++) {
        const d = (buf[p] ?? 0) - 0x30;
        if (d < 0 || d > 9) return rowErrorText('mcc_invalid');
        mcc = mcc * 10 + d;
      }
      v.mcc = mcc;
    }
    v.counterpartyAccountHash = v.hash(9);
    return null;
  }
}

/** The reason the shared validator gives for a row the fast checks doubted (or null if it is fine after all). */
function slowReason(v: RowView): string | null {
  const fields = Array.from({ length: NFIELDS }, (_, k) => v.text(k));
  const t = toTransaction(fields);
  if (typeof t === 'string') return t;
  // Valid after all (e.g. long multi-byte identifiers): fill the view the slow way.
  const key = Buffer.from(t.customerNumber, 'utf8');
  v.keyBuf = key;
  v.keyStart = 0;
  v.keyEnd = key.length;
  return fillFromTransaction(v, t);
}

function fillFromTransaction(v: RowView, t: Exclude<ReturnType<typeof toTransaction>, string>): null {
  v.accountHash = hashText(t.accountId);
  v.atMs = t.atMs;
  v.amountMinor = t.amountMinor;
  v.debit = t.direction === 'debit';
  const code = CHANNELS.indexOf(t.channel);
  // t.channel is one of CHANNELS (toTransaction checked it).
  v.channel = Math.max(code, 0) as ChannelCode;
  v.mcc = t.mcc === '' ? -1 : Number(t.mcc);
  v.counterpartyAccountHash = hashText(t.counterpartyAccount);
  return null;
}

function same(buf: Buffer, a: number, b: number, word: Buffer): boolean {
  if (b - a !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (buf[a + k] !== word[k]) return false;
  return true;
}

function digits(buf: Buffer, a: number, n: number): number {
  let v = 0;
  for (let p = a; p < a + n; p++) {
    const d = (buf[p] ?? 0) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * The common shape `YYYY-MM-DDTHH:MM:SS[.fff]Z|±HH:MM` parsed from bytes; NaN for anything else
 * (the caller then tries the full parser, so both agree on what is valid).
 */
function parseInstantBytes(buf: Buffer, a: number, b: number): number {
  if (b - a < 20 || buf[a + 4] !== 0x2d || buf[a + 7] !== 0x2d || buf[a + 10] !== 0x54 || buf[a + 13] !== 0x3a || buf[a + 16] !== 0x3a)
    return Number.NaN;
  const y = digits(buf, a, 4);
  const mo = digits(buf, a + 5, 2);
  const d = digits(buf, a + 8, 2);
  const h = digits(buf, a + 11, 2);
  const mi = digits(buf, a + 14, 2);
  const sec = digits(buf, a + 17, 2);
  if (y < 0 || !isRealDate(y, mo, d) || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return Number.NaN;
  let p = a + 19;
  let ms = 0;
  if (buf[p] === 0x2e) {
    p++;
    // Milliseconds are the first three digits; finer ones are cut off, as parseInstant does.
    const scales = [100, 10, 1];
    const from = p;
    while (p < b && (buf[p] ?? 0) >= 0x30 && (buf[p] ?? 0) <= 0x39) {
      ms += ((buf[p] ?? 0) - 0x30) * (scales[p - from] ?? 0);
      p++;
    }
    if (p === from || p - from > 9) return Number.NaN;
  }
  let offset = 0;
  if (buf[p] === 0x5a && p + 1 === b) offset = 0;
  else if ((buf[p] === 0x2b || buf[p] === 0x2d) && p + 6 === b && buf[p + 3] === 0x3a) {
    const oh = digits(buf, p + 1, 2);
    const om = digits(buf, p + 4, 2);
    if (oh < 0 || om < 0) return Number.NaN;
    offset = (buf[p] === 0x2d ? -1 : 1) * (oh * 60 + om) * 60_000;
  } else return Number.NaN;
  return daysFromCivil(y, mo, d) * 86_400_000 + ((h * 60 + mi) * 60 + sec) * 1000 + ms - offset;
}

/** The fields of a row as texts (for the typed parser). */
function rowTexts(v: TxnInput): string[] {
  // Only RowView instances reach here (the reader's own view).
  const view = v as RowView;
  return Array.from({ length: NFIELDS }, (_, k) => view.text(k));
}

/**
 * Parses a CSV stream into typed transactions and per-row errors, in order, in constant memory.
 * Never throws on the content (a read error of the source itself does propagate).
 */
export async function* parseTransactionsCsv(source: AsyncIterable<Uint8Array>): AsyncGenerator<ParsedRow> {
  let out: ParsedRow[] = [];
  const reader = new CsvTransactionReader(
    (row, line) => {
      const t = toTransaction(rowTexts(row));
      out.push(typeof t === 'string' ? { ok: false, error: { line, reason: t } } : { ok: true, line, txn: t });
    },
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

/** Quotes a field for CSV when it needs it (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
