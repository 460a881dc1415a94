import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import { loadConfig } from '../config/config.js';
import { IMPORT_KINDS, ImportFormatError, importCsv, isImportKind } from '../features/customers/customers.import.js';
import type { AuditActor } from '../platform/audit/audit.service.js';
import { prepareRuntime } from '../server.js';
import { parseCommandLine, UsageError } from './usage.js';

/** The audit actor of a command: the operating-system account that ran it. */
export function cliActor(): AuditActor {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // Some containers run under a uid without a passwd entry.
  }
  return { id: null, username: `cli:${user}`, ip: null };
}

/**
 * `lifeline import customers|accounts|loans|holdings FILE.csv`. Exit 0 when the file was processed
 * (rejected rows are listed on stderr and counted in the summary), 1 when the file cannot be read
 * or is not a file of that kind (bad header), 2 for a wrong command line.
 */
export async function importCommand(args: string[]): Promise<number> {
  const { positionals } = parseCommandLine({ args, allowPositionals: true, options: {} });
  const [kind, file, ...extra] = positionals;
  if (!isImportKind(kind) || !file || extra.length > 0) {
    throw new UsageError(`import takes a kind (${IMPORT_KINDS.join('|')}) and one CSV file`);
  }
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
  } catch (err) {
    console.error(`lifeline import: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  const rt = await prepareRuntime(loadConfig());
  try {
    const summary = await importCsv(rt.ctx, kind, createReadStream(file), cliActor(), {
      onProgress: (rows) => process.stderr.write(`\r${kind}: ${rows} rows read`),
    });
    process.stderr.write('\n');
    for (const r of summary.rejections) console.error(`line ${r.line}: ${r.reason}`);
    if (summary.rejectionsTruncated) console.error(`… and ${summary.rejected - summary.rejections.length} more rejected rows`);
    const { rows, loaded, updated, rejected } = summary;
    console.error(`${kind}: ${rows} rows, ${loaded} loaded, ${updated} updated, ${rejected} rejected`);
    console.log(JSON.stringify({ kind, rows, loaded, updated, rejected }));
    return 0;
  } catch (err) {
    if (err instanceof ImportFormatError) {
      console.error(`lifeline import: ${err.message}`);
      return 1;
    }
    if (err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('E') && 'syscall' in err) {
      console.error(`lifeline import: cannot read ${file}: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await rt.close();
  }
}
