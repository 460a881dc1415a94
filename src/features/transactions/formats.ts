import { parseTransactionsCsv } from '../analysis/csv.js';
import { parseTransactionsNdjson } from '../analysis/ndjson.js';
import type { BatchFormat, RowParser } from './ingest.service.js';

const PARSERS: Record<BatchFormat, RowParser | undefined> = {
  csv: parseTransactionsCsv,
  ndjson: parseTransactionsNdjson,
  camt053: undefined,
};

/** The parser of a format (camt.053 arrives with its reader). */
export function parserFor(format: BatchFormat): RowParser {
  const parser = PARSERS[format];
  if (!parser) throw new Error(`the ${format} format is not supported yet`);
  return parser;
}

/** The format a file's name says: .ndjson/.jsonl → ndjson, .xml/.camt053 → camt053, else csv. */
export function formatOfFileName(name: string): BatchFormat {
  if (/\.(nd)?jsonl?$/i.test(name)) return 'ndjson';
  if (/\.(xml|camt0?53)$/i.test(name)) return 'camt053';
  return 'csv';
}

/** The format a Content-Type names, or undefined for one Lifeline does not read. */
export function formatOfContentType(contentType: string | undefined): BatchFormat | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/x-ndjson' || type === 'application/jsonl') return 'ndjson';
  if (type === 'application/xml' || type === 'text/xml' || type === 'application/vnd.iso20022.camt.053+xml') return 'camt053';
  return undefined;
}
