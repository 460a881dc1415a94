import type { Finding } from '../../domain/analysis/engine.js';
import type { Transaction } from '../../domain/analysis/transaction.js';
import type { Executor } from '../../platform/db/database.js';
import type { AppContext } from '../../platform/http/context.js';

/** What acting on a batch's findings made. */
export interface FindingsOutcome {
  leads: number;
  alerts: number;
}

/**
 * Turns the findings of newly stored transactions into leads (illness signals) and alerts (fund
 * safety), in the caller's transaction. `txns` holds the transactions the findings may name.
 */
export async function actOnFindings(
  _ctx: AppContext,
  _db: Executor,
  _findings: readonly Finding[],
  _txns: ReadonlyMap<string, Transaction>,
  _batchId: string | null,
): Promise<FindingsOutcome> {
  return { leads: 0, alerts: 0 };
}
