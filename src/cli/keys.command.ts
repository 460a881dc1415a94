import type { Config } from '../config/config.js';
import { UsageError } from './usage.js';

/** `lifeline keys init|rotate|status`. */
export async function keysCommand(_config: Config, args: string[]): Promise<number> {
  throw new UsageError(`keys ${args[0] ?? ''}: not available yet`);
}
