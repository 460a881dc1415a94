import { parseTransactionsCamt053 } from '../analysis/camt053.js';
import { parseTransactionsCsv } from '../analysis/csv.js';
import { parseTransactionsNdjson } from '../analysis/ndjson.js';
import type { BatchFormat, RowParser } from './ingest.service.js';

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

/** The content types of batch uploads. */
export const UPLOAD_CONTENT_TYPES = [
  'text/csv',
  'application/x-ndjson',
  'application/jsonl',
  'application/xml',
  'text/xml',
  'application/vnd.iso20022.camt.053+xml',
];

/** The format a Content-Type names, or undefined for one Lifeline does not read. */
export function formatOfContentType(contentType: string | undefined): BatchFormat | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/x-ndjson' || type === 'application/jsonl') return 'ndjson';
  if (type === 'application/xml' || type === 'text/xml' || type === 'application/vnd.iso20022.camt.053+xml') return 'camt053';
  return undefined;
}
