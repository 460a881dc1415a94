import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config/config.js';
import { pageBatchErrors } from '../features/ingestion/batches.service.js';
import { type BatchFormat, FORMATS, formatOfFileName, parserFor, type RowParser } from '../features/analysis/formats.service.js';
import { ingestStream } from '../features/ingestion/ingest.service.js';
import { prepareRuntime } from '../server.js';
import { cliActor } from './import.command.js';
import { parseCommandLine, UsageError } from './usage.js';

/** Bad rows printed per file; the rest are counted (and kept in the batch, up to 1,000). */
const SHOWN_BAD_ROWS = 20;

/**
 * Progress on stderr at most once a second: one line rewritten in place on a terminal, plain lines
 * otherwise (a log file, a test reading the child's output).
 */
export function progressPrinter(everyMs = 1000): { update(text: string, force?: boolean): void; end(): void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let shown = false;
  return {
    update(text, force = false) {
      const now = Date.now();
      if (!force && now - last < everyMs) return;
      last = now;
      shown = true;
      process.stderr.write(tty ? `\r${text}\x1b[K` : `${text}\n`);
    },
    end() {
      if (tty && shown) process.stderr.write('\n');
      shown = false;
    },
  };
}

/** A count with thousands separators, for people. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

function isFormat(v: string): v is BatchFormat {
  return FORMATS.some((f) => f === v);
}

interface Input {
  file: string;
  name: string;
  size: number;
  format: BatchFormat;
  parse: RowParser;
}

/** Checks every file before anything is ingested, so a typo in the third name stops the whole run. */
async function inputs(files: readonly string[], format: BatchFormat | undefined): Promise<Input[] | string> {
  const out: Input[] = [];
  for (const file of files) {
    let size: number;
    try {
      const s = await stat(file);
      if (!s.isFile()) return `cannot read ${file}: not a file`;
      size = s.size;
    } catch (err) {
      return `cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`;
    }
    const f = format ?? formatOfFileName(file);
    out.push({ file, name: path.basename(file), size, format: f, parse: parserFor(f) });
  }
  return out;
}

/**
 * `lifeline ingest FILE... [--format csv|ndjson|camt053]`: each file one batch, streamed. Exit 0
 * when every file was read to its end (bad rows are listed and counted, not a failure: the good
 * rows are stored and the bad ones can be corrected and sent again); 2 for a missing file or a
 * format Lifeline cannot read (nothing is ingested then); 1 when a file had no readable row at all
 * (a wrong CSV header: a file of another kind) or when reading or storing fails midway (what was
 * committed stays; running the command again completes the file without duplicates).
 */
export async function ingestCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseCommandLine({ args, allowPositionals: true, options: { format: { type: 'string' } } });
  if (positionals.length === 0) throw new UsageError('ingest takes one or more files');
  const format = values.format;
  if (format !== undefined && !isFormat(format)) throw new UsageError(`--format is one of ${FORMATS.join(', ')}`);
  const checked = await inputs(positionals, format);
  if (typeof checked === 'string') {
    console.error(`lifeline ingest: ${checked}`);
    return 2;
  }
  const rt = await prepareRuntime(loadConfig());
  let code = 0;
  try {
    for (const input of checked) {
      const progress = progressPrinter();
      const started = Date.now();
      const result = await ingestStream(
        rt.ctx,
        createReadStream(input.file),
        input.parse,
        { source: 'file', name: input.name, format: input.format, bytesTotal: input.size, auditActor: cliActor() },
        {
          onProgress: (p) => {
            const seconds = (Date.now() - started) / 1000;
            const percent = p.bytesTotal ? ((100 * p.bytesRead) / p.bytesTotal).toFixed(1) : '?';
            const rate = seconds > 0 ? Math.round(p.rows / seconds) : 0;
            progress.update(
              `${input.name}: ${percent} % · ${count(p.rows)} rows · ${count(rate)} rows/s · ${count(p.inserted)} inserted · ${count(p.duplicates)} duplicates · ${count(p.badRows)} bad · ${count(p.leads)} leads · ${count(p.alerts)} alerts`,
            );
          },
        },
      );
      progress.end();
      const seconds = (Date.now() - started) / 1000;
      if (result.badRows > 0) {
        const { items } = await pageBatchErrors(rt.ctx.db, result.batchId, { limit: SHOWN_BAD_ROWS });
        for (const e of items) console.error(`${input.name}:${e.line}: ${e.reason}`);
        if (result.badRows > items.length) console.error(`… and ${count(result.badRows - items.length)} more bad rows`);
      }
      const total = result.rows;
      if (result.rows === result.badRows && result.badRows > 0) code = 1;
      console.error(
        `${input.name}: ${count(total)} rows in ${seconds.toFixed(1)} s (${count(Math.round(total / Math.max(seconds, 0.001)))} rows/s): ${count(result.inserted)} inserted, ${count(result.duplicates)} duplicates, ${count(result.badRows)} bad rows, ${count(result.leads)} leads, ${count(result.alerts)} alerts`,
      );
      console.log(
        JSON.stringify({
          file: input.name,
          batchId: result.batchId,
          format: input.format,
          rows: total,
          inserted: result.inserted,
          duplicates: result.duplicates,
          badRows: result.badRows,
          leads: result.leads,
          alerts: result.alerts,
          seconds: Math.round(seconds * 10) / 10,
        }),
      );
    }
    return code;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`\nlifeline ingest: stopped: ${message}; what was committed stays, running the command again completes the file`);
    return 1;
  } finally {
    await rt.close();
  }
}
