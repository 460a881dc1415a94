/** A job that runs again and again until stopped. */
export interface PeriodicJob {
  /** Stops the schedule and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/** Where a job reports: pino's (and Fastify's) logger fits. */
export interface JobLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Runs `run` after `firstDelayMs`, then every `everyMs` after each run ends: runs never overlap,
 * a failure is logged and the schedule goes on, and the timers do not keep the process alive.
 */
export function startPeriodic(opts: {
  name: string;
  everyMs: number;
  firstDelayMs?: number;
  run: () => Promise<void>;
  log: JobLogger;
}): PeriodicJob {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(tick, delay);
    timer.unref();
  };
  const tick = () => {
    running = (async () => {
      const started = Date.now();
      try {
        await opts.run();
        opts.log.info({ job: opts.name, ms: Date.now() - started }, `${opts.name}: run finished`);
      } catch (err) {
        opts.log.error({ job: opts.name, err }, `${opts.name}: run failed; the next run is scheduled as usual`);
      }
    })();
    void running.finally(() => {
      running = undefined;
      schedule(opts.everyMs);
    });
  };
  schedule(opts.firstDelayMs ?? opts.everyMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
