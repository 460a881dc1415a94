import type { AppContext } from '../../platform/http/context.js';
import { type JobLogger, type PeriodicJob, startPeriodic } from '../../platform/jobs/scheduler.js';
import { runLoanWatch } from './loan-watch.service.js';

const DAY_MS = 86_400_000;
/** Not at the very start, like the other daily jobs: a restart loop should not run it in a loop. */
const FIRST_RUN_DELAY_MS = 3 * 60_000;

/** Starts the daily loan watch over registered customers' loans (P7.1.2, docs/credit.md "Loan watch"). */
export function startLoanWatchSchedule(ctx: AppContext, log: JobLogger): PeriodicJob {
  return startPeriodic({
    name: 'loan-watch',
    everyMs: DAY_MS,
    firstDelayMs: FIRST_RUN_DELAY_MS,
    log,
    run: async () => {
      // Counts only: never a loan number or a figure of the customer's in the log.
      const result = await runLoanWatch(ctx, (caseId, err) => log.error({ job: 'loan-watch', caseId, err }, 'loan-watch: a case failed'));
      log.info({ job: 'loan-watch', ...result }, 'loan-watch: done');
    },
  });
}
