import type { AppContext } from '../../platform/http/context.js';

/** Generates the synthetic customer base; returns how many customers it wrote. */
export async function seedDemoBank(
  _ctx: AppContext,
  _opts: { customers: number; seed: number; branchIds: Record<string, string>; onProgress?: (done: number, total: number) => void },
): Promise<number> {
  return 0;
}
