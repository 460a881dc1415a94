import type { Config } from '../config/config.js';
import { UsageError } from './usage.js';

/** `lifeline import customers|accounts|loans|holdings FILE.csv`. */
export async function importCommand(_config: Config, args: string[]): Promise<number> {
  throw new UsageError(`import ${args[0] ?? ''}: not available yet`);
}
