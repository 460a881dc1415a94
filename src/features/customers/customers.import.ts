import { Transform, type TransformCallback } from 'node:stream';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type CsvError, parse } from 'csv-parse';
import { z } from 'zod';
import { isValidResidentId, looksLikeResidentId } from '../../domain/national-id.js';
import { type AuditActor, recordAudit } from '../../platform/audit/audit.service.js';
import { normaliseIdentifier } from '../../platform/crypto/field-cipher.js';
import type { Executor } from '../../platform/db/database.js';
import type { AppContext } from '../../platform/http/context.js';
import { isoDate, text } from '../../platform/http/text.js';
import { SEGMENTS } from './customers.schemas.js';
import {
  type AccountInput,
  type CustomerInput,
  type HoldingInput,
  type LoadResult,
  type LoanInput,
  loadAccounts,
  loadCustomers,
  loadHoldings,
  loadLoans,
} from './customers.service.js';

/**
 * Streaming CSV import of core-banking master data (docs/import-formats.md): rows are validated one
 * by one, loaded in batches, each batch in its own transaction; a bad row is reported with its line
 * number and does not stop the good ones; a re-import updates by natural key.
 */

/** What `lifeline import` loads, one file per kind. */
export const IMPORT_KINDS = ['customers', 'accounts', 'loans', 'holdings'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** True when the text names an import kind. */
export function isImportKind(value: string | undefined): value is ImportKind {
  return IMPORT_KINDS.some((k) => k === value);
}

/** The file cannot be imported at all: empty, or its header is not the format's. */
export class ImportFormatError extends Error {}

/** One refused row: its line in the file (the header is line 1) and why, never its values. */
export interface Rejection {
  line: number;
  reason: string;
}

/** The outcome of one import run. */
export interface ImportSummary {
  kind: ImportKind;
  /** Data records read (the header excluded). */
  rows: number;
  loaded: number;
  updated: number;
  rejected: number;
  /** The first rejections, by line; `rejectionsTruncated` says when there were more. */
  rejections: Rejection[];
  rejectionsTruncated: boolean;
}

const MAX_LISTED_REJECTIONS = 1000;
const DEFAULT_BATCH = 500;

// ---------------------------------------------------------------------------------------------
// Column types. Every value arrives as text, trimmed; an empty optional value is null.
// ---------------------------------------------------------------------------------------------

const required = z.string().min(1, 'required');

function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === '' ? null : v), schema.nullable());
}

function code(max: number) {
  return required
    .max(max)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'letters, digits, - and _ only')
    .transform((s) => s.toUpperCase());
}

// PostgreSQL has no year 0 and a bank has no customer born in 1066: a plausible range catches typos.
const date = required.pipe(isoDate).refine((s) => s >= '1900-01-01' && s <= '2199-12-31', 'must be between 1900 and 2199');

function integer(min: number, max: number) {
  return required
    .regex(/^-?\d{1,16}$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

const MAX_MINOR = 1_000_000_000_000_000; // a quadrillion fen: beyond any single balance, within 2^53
const minor = integer(0, MAX_MINOR);
const currency = required.regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY');

const nationalId = z
  .string()
  .max(40)
  .transform((v) => normaliseIdentifier('national_id', v))
  .pipe(
    z
      .string()
      .regex(/^[0-9A-Z]{6,32}$/, 'not an identity document number')
      .refine((v) => !looksLikeResidentId(v) || isValidResidentId(v), 'the check character of the resident ID does not match'),
  );

const phone = z
  .string()
  .max(40)
  .regex(/^\+?[\d\s()-]+$/, 'not a phone number')
  .transform((v) => normaliseIdentifier('phone', v))
  .pipe(z.string().regex(/^\d{6,15}$/, 'not a phone number'));

const customerNumber = code(32);

// ---------------------------------------------------------------------------------------------
// The four formats: columns, row schema, natural key and loader.
// ---------------------------------------------------------------------------------------------

const CustomerRow = z
  .object({
    customer_number: customerNumber,
    name: text({ min: 1, max: 100 }),
    gender: z.enum(['F', 'M', 'U']),
    date_of_birth: optional(date),
    national_id: optional(nationalId),
    phone: optional(phone),
    address: optional(text({ min: 1, max: 200 })),
    branch_code: code(16),
    segment: z.enum(SEGMENTS),
    opened_on: optional(date),
  })
  .transform(
    (r): CustomerInput => ({
      customerNumber: r.customer_number,
      name: r.name,
      gender: r.gender,
      dateOfBirth: r.date_of_birth,
      nationalId: r.national_id,
      phone: r.phone,
      address: r.address,
      branchCode: r.branch_code,
      segment: r.segment,
      openedOn: r.opened_on,
    }),
  );

const AccountRow = z
  .object({
    account_number: code(40),
    customer_number: customerNumber,
    type: z.enum(['current', 'savings', 'time_deposit', 'card']),
    currency,
    // Current and card accounts may be overdrawn.
    balance_minor: integer(-MAX_MINOR, MAX_MINOR),
    status: z.enum(['active', 'dormant', 'frozen', 'closed']),
    opened_on: date,
  })
  .transform(
    (r): AccountInput => ({
      accountNumber: r.account_number,
      customerNumber: r.customer_number,
      type: r.type,
      currency: r.currency,
      balanceMinor: r.balance_minor,
      status: r.status,
      openedOn: r.opened_on,
    }),
  );

const LoanRow = z
  .object({
    loan_number: code(40),
    customer_number: customerNumber,
    product: z.enum(['mortgage', 'consumer', 'business', 'credit_card']),
    currency,
    principal_minor: minor,
    outstanding_minor: minor,
    interest_rate_bp: integer(0, 100_000),
    instalment_minor: minor,
    start_date: date,
    maturity_date: date,
    next_payment_date: optional(date),
    days_past_due: integer(0, 36_500),
    status: z.enum(['performing', 'overdue', 'restructured', 'closed']),
  })
  .refine((r) => r.maturity_date >= r.start_date, { path: ['maturity_date'], message: 'before start_date' })
  .transform(
    (r): LoanInput => ({
      loanNumber: r.loan_number,
      customerNumber: r.customer_number,
      product: r.product,
      currency: r.currency,
      principalMinor: r.principal_minor,
      outstandingMinor: r.outstanding_minor,
      interestRateBp: r.interest_rate_bp,
      instalmentMinor: r.instalment_minor,
      startDate: r.start_date,
      maturityDate: r.maturity_date,
      nextPaymentDate: r.next_payment_date,
      daysPastDue: r.days_past_due,
      status: r.status,
    }),
  );

const HoldingRow = z
  .object({
    holding_ref: code(40),
    customer_number: customerNumber,
    product_code: code(32),
    product_name: text({ min: 1, max: 100 }),
    risk_level: z.enum(['R1', 'R2', 'R3', 'R4', 'R5']),
    currency,
    market_value_minor: minor,
    acquired_on: date,
    maturity_date: optional(date),
  })
  .transform(
    (r): HoldingInput => ({
      holdingRef: r.holding_ref,
      customerNumber: r.customer_number,
      productCode: r.product_code,
      productName: r.product_name,
      riskLevel: r.risk_level,
      currency: r.currency,
      marketValueMinor: r.market_value_minor,
      acquiredOn: r.acquired_on,
      maturityDate: r.maturity_date,
    }),
  );

interface Format<I> {
  columns: readonly string[];
  schema: z.ZodType<I>;
  key(input: I): string;
  load(ctx: AppContext, db: Executor, inputs: I[]): Promise<LoadResult>;
}

function columnsOf(schema: { in: { shape: Record<string, unknown> } }): string[] {
  return Object.keys(schema.in.shape);
}

interface Inputs {
  customers: CustomerInput;
  accounts: AccountInput;
  loans: LoanInput;
  holdings: HoldingInput;
}

const FORMATS: { [K in ImportKind]: Format<Inputs[K]> } = {
  customers: {
    columns: columnsOf(CustomerRow),
    schema: CustomerRow,
    key: (c) => c.customerNumber,
    load: (ctx, db, rows) => loadCustomers(ctx, db, rows),
  },
  accounts: {
    columns: columnsOf(AccountRow),
    schema: AccountRow,
    key: (a) => a.accountNumber,
    load: (ctx, db, rows) => loadAccounts(ctx, db, rows),
  },
  loans: { columns: columnsOf(LoanRow), schema: LoanRow, key: (l) => l.loanNumber, load: (ctx, db, rows) => loadLoans(ctx, db, rows) },
  holdings: {
    columns: columnsOf(HoldingRow),
    schema: HoldingRow,
    key: (h) => h.holdingRef,
    load: (ctx, db, rows) => loadHoldings(ctx, db, rows),
  },
};

/** The header columns of an import kind, in documentation order. */
export function importColumns(kind: ImportKind): readonly string[] {
  return FORMATS[kind].columns;
}

// ---------------------------------------------------------------------------------------------
// Streaming.
// ---------------------------------------------------------------------------------------------

/**
 * Turns CRLF into LF before parsing: csv-parse counts a CRLF inside a quoted field as two lines,
 * which would put wrong line numbers on rejections. Works on bytes: CR and LF never occur inside
 * a UTF-8 multi-byte sequence.
 */
class LineBreaks extends Transform {
  private heldCr = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const input = this.heldCr ? Buffer.concat([Buffer.from([0x0d]), chunk]) : chunk;
    this.heldCr = input.length > 0 && input[input.length - 1] === 0x0d;
    const end = this.heldCr ? input.length - 1 : input.length;
    const out = Buffer.allocUnsafe(end);
    let n = 0;
    for (let i = 0; i < end; i++) {
      const byte = input[i] ?? 0;
      if (byte === 0x0d && input[i + 1] === 0x0a) continue;
      out[n++] = byte;
    }
    done(null, out.subarray(0, n));
  }

  override _flush(done: TransformCallback): void {
    done(null, this.heldCr ? Buffer.from([0x0d]) : undefined);
  }
}

const CSV_REASONS: Record<string, string> = {
  CSV_INVALID_CLOSING_QUOTE: 'malformed CSV: text after a closing quote',
  CSV_QUOTE_NOT_CLOSED: 'malformed CSV: a quote is never closed',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'malformed CSV: text after a closing quote',
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'malformed CSV: wrong number of fields',
  CSV_MAX_RECORD_SIZE: 'malformed CSV: record too large',
};

// The parser's own messages quote parts of the data; reasons name only the kind of fault.
function csvReason(err: CsvError | undefined): string {
  return CSV_REASONS[err?.code ?? ''] ?? `malformed CSV (${err?.code ?? 'unknown'})`;
}

function issuesReason(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ');
}

function headerOf(kind: ImportKind, record: string[]): string[] {
  const expected = FORMATS[kind].columns;
  const names = record.map((h) => h.trim().toLowerCase());
  const missing = expected.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !expected.includes(n));
  const duplicated = names.filter((n, i) => names.indexOf(n) !== i);
  const faults = [
    missing.length ? `missing column(s) ${missing.join(', ')}` : '',
    unknown.length ? `unknown column(s) ${unknown.map((u) => JSON.stringify(u.slice(0, 40))).join(', ')}` : '',
    duplicated.length ? `repeated column(s) ${duplicated.join(', ')}` : '',
  ].filter(Boolean);
  if (faults.length > 0) throw new ImportFormatError(`not a file of ${kind}: the header has ${faults.join('; ')} (docs/import-formats.md)`);
  return names;
}

/** Options of one import run. */
export interface ImportOptions {
  /** Rows per transaction. */
  batchSize?: number;
  /** Called after each batch with the number of rows read so far. */
  onProgress?: (rows: number) => void;
}

/**
 * Imports one CSV stream of a kind. Each batch commits on its own, so a failure half-way leaves the
 * earlier batches loaded; importing the file again is safe (upsert by natural key). One audit event
 * records the run, with counts only.
 */
export async function importCsv(
  ctx: AppContext,
  kind: ImportKind,
  input: Readable,
  actor: AuditActor,
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const format: Format<unknown> = FORMATS[kind] as Format<unknown>; // the kinds differ only in their row type
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  const summary: ImportSummary = { kind, rows: 0, loaded: 0, updated: 0, rejected: 0, rejections: [], rejectionsTruncated: false };
  const reject = (line: number, reason: string) => {
    summary.rejected += 1;
    if (summary.rejections.length < MAX_LISTED_REJECTIONS) summary.rejections.push({ line, reason });
    else summary.rejectionsTruncated = true;
  };

  let batch: { line: number; input: unknown }[] = [];
  let batchKeys = new Set<string>();
  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    batchKeys = new Set();
    const result = await ctx.db.transaction().execute((trx) =>
      format.load(
        ctx,
        trx,
        current.map((b) => b.input),
      ),
    );
    summary.loaded += result.loaded;
    summary.updated += result.updated;
    for (const r of result.rejected) reject(current[r.index]?.line ?? 0, r.reason);
    opts.onProgress?.(summary.rows);
  };

  let lastSkipLine = -1;
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: 64 * 1024,
    on_skip: (err) => {
      const line = typeof err?.lines === 'number' ? err.lines : 0;
      // A bad quote can raise two errors on one line ("text after closing quote", then "not closed"): one row.
      if (line === lastSkipLine) return undefined;
      lastSkipLine = line;
      summary.rows += 1;
      reject(line, csvReason(err));
      return undefined;
    },
  });
  const flowing = pipeline(input, new LineBreaks(), parser);
  // A read error destroys the parser, and the loop below throws it; this only avoids an unhandled rejection.
  flowing.catch(() => undefined);

  try {
    let header: string[] | null = null;
    // Without `columns` and with `info`, csv-parse yields each record as an array of strings with its info.
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (header === null) {
        header = headerOf(kind, record);
        continue;
      }
      summary.rows += 1;
      // info.lines is where the record ends; a quoted field may span lines.
      const line = info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
      if (record.length !== header.length) {
        reject(line, `expected ${header.length} fields, found ${record.length}`);
        continue;
      }
      if (record.some((field) => field.includes('\uFFFD'))) {
        reject(line, 'not valid UTF-8');
        continue;
      }
      const columns = header; // a const keeps TypeScript's narrowing inside the callback
      const parsed = format.schema.safeParse(Object.fromEntries(columns.map((name, i) => [name, (record[i] ?? '').trim()])));
      if (!parsed.success) {
        reject(line, issuesReason(parsed.error));
        continue;
      }
      // The same key twice in one batch would be one statement updating a row twice: load the first first.
      const key = format.key(parsed.data);
      if (batchKeys.has(key)) await flush();
      batch.push({ line, input: parsed.data });
      batchKeys.add(key);
      if (batch.length >= batchSize) await flush();
    }
    if (header === null) throw new ImportFormatError(`the file is empty: a ${kind} file starts with a header row (docs/import-formats.md)`);
    await flush();
    await flowing;
  } catch (err) {
    parser.destroy();
    if (summary.loaded + summary.updated > 0) await auditRun(ctx, actor, summary, 'failure').catch(() => undefined);
    throw err;
  }
  summary.rejections.sort((a, b) => a.line - b.line);
  await auditRun(ctx, actor, summary, 'success');
  return summary;
}

async function auditRun(ctx: AppContext, actor: AuditActor, s: ImportSummary, outcome: 'success' | 'failure'): Promise<void> {
  await ctx.db.transaction().execute((trx) =>
    recordAudit(
      trx,
      actor,
      {
        action: 'customer.import',
        outcome,
        detail: { kind: s.kind, rows: s.rows, loaded: s.loaded, updated: s.updated, rejected: s.rejected },
      },
      ctx.now(),
    ),
  );
}
