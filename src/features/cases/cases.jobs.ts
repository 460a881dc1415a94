import { type JobLogger, type PeriodicJob, startPeriodic } from '../../platform/jobs/scheduler.js';
import type { AppContext } from '../../platform/http/context.js';
import { runRetention } from './retention.service.js';

const DAY_MS = 86_400_000;
/** Not at the very start: a server that is restarted in a loop should not purge in a loop. */
const FIRST_RUN_DELAY_MS = 5 * 60_000;

/** Starts the daily retention run of the server (docs/cases.md "Retention"). */
export function startRetentionSchedule(ctx: AppContext, log: JobLogger): PeriodicJob {
  return startPeriodic({
    name: 'retention',
    everyMs: DAY_MS,
    firstDelayMs: FIRST_RUN_DELAY_MS,
    log,
    run: async () => {
      const result = await runRetention(ctx, {
        onProgress: (purged) => {
          if (purged % 100 === 0) log.info({ job: 'retention', purged }, 'retention: purging closed cases');
        },
      });
      log.info({ job: 'retention', cutoff: result.cutoff, purged: result.purged, counts: result.counts }, 'retention: done');
    },
  });
}
