import type { AppContext } from '../../platform/http/context.js';
import { type JobLogger, type PeriodicJob, startPeriodic } from '../../platform/jobs/scheduler.js';
import { runDutySync } from './duties.service.js';
import { notifyOverdueTasks } from './upkeep.service.js';

const DAY_MS = 86_400_000;
/** Not at the very start, like the other daily jobs: a restart loop should not run it in a loop. */
const FIRST_RUN_DELAY_MS = 2 * 60_000;

/** Starts the daily generation of the team's recurring tasks (docs/work.md "Generation"). */
export function startDutySchedule(ctx: AppContext, log: JobLogger): PeriodicJob {
  return startPeriodic({
    name: 'duties',
    everyMs: DAY_MS,
    firstDelayMs: FIRST_RUN_DELAY_MS,
    log,
    run: async () => {
      const result = await runDutySync(ctx);
      // Overdue tasks are told to their owners and the supervisors once (notifications dedupe them).
      const overdueChecked = await notifyOverdueTasks(ctx);
      log.info({ job: 'duties', ...result, overdueChecked }, 'duties: done');
    },
  });
}
