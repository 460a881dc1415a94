import type { AppContext } from '../../platform/http/context.js';
import { type JobLogger, type PeriodicJob, startPeriodic } from '../../platform/jobs/scheduler.js';
import { notifyOverdueLeads } from './upkeep.service.js';

const HOUR_MS = 3_600_000;
/** Not at the very start, like the other periodic jobs: a restart loop should not run it in a loop. */
const FIRST_RUN_DELAY_MS = 3 * 60_000;

/** Starts the hourly reminder of leads past their verification deadline (P2.3.2; docs/leads.md). */
export function startLeadDeadlineSchedule(ctx: AppContext, log: JobLogger): PeriodicJob {
  return startPeriodic({
    name: 'lead-deadlines',
    everyMs: HOUR_MS,
    firstDelayMs: FIRST_RUN_DELAY_MS,
    log,
    run: async () => {
      const checked = await notifyOverdueLeads(ctx);
      log.info({ job: 'lead-deadlines', checked }, 'lead deadlines: done');
    },
  });
}
