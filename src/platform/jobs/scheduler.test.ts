import { afterEach, describe, expect, it, vi } from 'vitest';
import { startPeriodic } from './scheduler.js';

const log = () => ({ info: vi.fn(), error: vi.fn() });

describe('startPeriodic', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('should run after the first delay and then at every interval', async () => {
    vi.useFakeTimers();
    const run = vi.fn(async () => undefined);
    const job = startPeriodic({ name: 't', everyMs: 1000, firstDelayMs: 100, run, log: log() });
    await vi.advanceTimersByTimeAsync(99);
    expect(run).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(run).toHaveBeenCalledTimes(3);
    await job.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('should log a failure and keep the schedule', async () => {
    vi.useFakeTimers();
    const logger = log();
    const run = vi.fn(async () => {
      throw new Error('boom');
    });
    const job = startPeriodic({ name: 't', everyMs: 1000, firstDelayMs: 10, run, log: logger });
    await vi.advanceTimersByTimeAsync(1010);
    expect(run).toHaveBeenCalledTimes(2);
    expect(logger.error).toHaveBeenCalledTimes(2);
    await job.stop();
  });

  it('should wait for a run in progress when stopped', async () => {
    vi.useFakeTimers();
    let finished = false;
    const run = async () => {
      await new Promise((r) => setTimeout(r, 500));
      finished = true;
    };
    const job = startPeriodic({ name: 't', everyMs: 1000, firstDelayMs: 0, run, log: log() });
    await vi.advanceTimersByTimeAsync(1);
    const stopping = job.stop();
    await vi.advanceTimersByTimeAsync(500);
    await stopping;
    expect(finished).toBe(true);
  });
});
