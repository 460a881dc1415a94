import type { ParsedRow } from '../../domain/analysis/transaction.js';
import { parseTransactionsCamt053 } from './camt053.js';
import { parseTransactionsCsv } from './csv.js';
import { parseTransactionsNdjson } from './ndjson.js';

export { ndjsonFields } from './ndjson.js';

/** The file formats of transactions Lifeline reads (API.md "Transactions"; docs/import-formats.md). */
export type BatchFormat = 'csv' | 'ndjson' | 'camt053';

/** Reads rows (or bad rows with their line) from a byte stream of one format. */
export type RowParser = (source: AsyncIterable<Uint8Array>) => AsyncIterable<ParsedRow>;

const PARSERS: Record<BatchFormat, RowParser> = {
  csv: parseTransactionsCsv,
  ndjson: parseTransactionsNdjson,
  camt053: parseTransactionsCamt053,
};

/** The parser of a format. */
export function parserFor(format: BatchFormat): RowParser {
  return PARSERS[format];
}

/** The format a file's name says: .ndjson/.jsonl → ndjson, .xml/.camt053 → camt053, else csv. */
export function formatOfFileName(name: string): BatchFormat {
  if (/\.(nd)?jsonl?$/i.test(name)) return 'ndjson';
  if (/\.(xml|camt0?53)$/i.test(name)) return 'camt053';
  return 'csv';
}

const CONTENT_TYPES: Record<string, BatchFormat> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/xml': 'camt053',
  'text/xml': 'camt053',
  'application/vnd.iso20022.camt.053+xml': 'camt053',
};

/** The formats Lifeline reads. */
export const FORMATS = Object.keys(PARSERS) as BatchFormat[]; // Object.keys loses the key type; these are exactly PARSERS' keys.

/** The content types of batch uploads. */
export const UPLOAD_CONTENT_TYPES = Object.keys(CONTENT_TYPES);

/** The format a Content-Type names, or undefined for one Lifeline does not read. */
export function formatOfContentType(contentType: string | undefined): BatchFormat | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return Object.hasOwn(CONTENT_TYPES, type) ? CONTENT_TYPES[type] : undefined;
}
