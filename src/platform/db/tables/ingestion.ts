/** The tables of the ingestion feature: each batch of transactions with its progress and bad rows; conventions in schema.ts. */
export interface IngestionTables {
  transaction_batches: TransactionBatchTable;
  transaction_batch_errors: TransactionBatchErrorTable;
}

/** One ingestion: a file, an upload or a stream's pull, with its running figures. */
export interface TransactionBatchTable {
  id: string;
  source: 'file' | 'upload' | 'stream';
  /** The file's name, the upload's given name, or the stream's subject. */
  name: string;
  format: 'csv' | 'ndjson' | 'camt053';
  /** `interrupted`: the process stopped before the end (found so at the next start). */
  status: 'running' | 'done' | 'failed' | 'interrupted';
  bytes_total: number | null;
  bytes_read: number;
  rows: number;
  inserted: number;
  duplicates: number;
  bad_rows: number;
  leads: number;
  alerts: number;
  created_by: string | null;
  client_id: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** A row that could not be read, by its line in the input (the first 1,000 of a batch are kept). */
export interface TransactionBatchErrorTable {
  batch_id: string;
  line: number;
  reason: string;
}
