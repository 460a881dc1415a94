import { loadConfig } from '../config/config.js';
import { startStreamConsumer } from '../features/ingestion/stream.js';
import type { JobLogger } from '../platform/jobs/scheduler.js';
import { prepareRuntime } from '../server.js';
import { count } from './ingest.command.js';
import { parseCommandLine } from './usage.js';

/** Log lines of the command: JSON on stderr, like the server's. */
const stderrLog: JobLogger = {
  info: (obj, msg) => process.stderr.write(`${JSON.stringify({ level: 'info', time: new Date().toISOString(), msg, ...obj })}\n`),
  error: (obj, msg) => process.stderr.write(`${JSON.stringify({ level: 'error', time: new Date().toISOString(), msg, ...obj })}\n`),
};

/**
 * `lifeline consume`: runs only the JetStream consumer (for deployments that keep it apart from
 * the web server, and for the fault tests). SIGINT/SIGTERM stop it gracefully: the group in hand
 * is committed and acknowledged, the connection drained; exit 0. Exit 2 without NATS_URL, 1 when
 * the server cannot be reached at start or the consumer stops by itself.
 */
export async function consumeCommand(args: string[]): Promise<number> {
  // No arguments: NATS_URL and LIFELINE_STREAM_* configure it.
  parseCommandLine({ args, options: {} });
  const config = loadConfig();
  const url = config.stream.url;
  if (!url) {
    console.error('lifeline consume: NATS_URL is not set');
    return 2;
  }
  const rt = await prepareRuntime(config);
  try {
    let last = 0;
    const consumer = await startStreamConsumer(
      rt.ctx,
      { ...config.stream, url },
      {
        log: stderrLog,
        onGroup: (t) => {
          if (Date.now() - last < 1000) return;
          last = Date.now();
          process.stderr.write(
            `consume: ${count(t.messages)} messages · ${count(t.inserted)} inserted · ${count(t.duplicates)} duplicates · ${count(t.deadLettered)} dead-lettered · ${count(t.leads)} leads · ${count(t.alerts)} alerts\n`,
          );
        },
      },
    ).catch((err: unknown) => {
      console.error(`lifeline consume: cannot start the consumer at ${url}: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    });
    if (!consumer) return 1;
    let stopped = false;
    const stop = () => {
      stopped = true;
      void consumer.stop();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await consumer.done;
    if (stopped) await consumer.stop();
    console.log(JSON.stringify(consumer.totals));
    return stopped ? 0 : 1;
  } finally {
    await rt.close();
  }
}
