import { loadConfig } from '../config/config.js';
import { rebuildAnalysisState } from '../features/ingestion/rebuild.service.js';
import { prepareRuntime } from '../server.js';
import { count, progressPrinter } from './ingest.command.js';
import { parseCommandLine, UsageError } from './usage.js';

/**
 * `lifeline analysis rebuild`: rebuilds every customer's engine state from the stored transactions
 * (after a change of the rules' medical categories, or to check the incremental state). Run it
 * while nothing is ingesting. Exit 0 when done.
 */
export async function analysisCommand(args: string[]): Promise<number> {
  const { positionals } = parseCommandLine({ args, allowPositionals: true, options: {} });
  if (positionals[0] !== 'rebuild' || positionals.length > 1) throw new UsageError('analysis takes: rebuild');
  const rt = await prepareRuntime(loadConfig());
  try {
    const started = Date.now();
    const progress = progressPrinter();
    const result = await rebuildAnalysisState(rt.ctx, (p) => {
      const seconds = (Date.now() - started) / 1000;
      progress.update(
        `rebuild: ${count(p.transactions)} transactions · ${count(p.customers)} customers · ${count(Math.round(p.transactions / Math.max(seconds, 0.001)))} rows/s`,
      );
    });
    progress.end();
    const seconds = (Date.now() - started) / 1000;
    console.error(
      `rebuilt the state of ${count(result.customers)} customers from ${count(result.transactions)} transactions in ${seconds.toFixed(1)} s`,
    );
    console.log(JSON.stringify({ ...result, seconds: Math.round(seconds * 10) / 10 }));
    return 0;
  } finally {
    await rt.close();
  }
}
