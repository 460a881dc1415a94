import { AnalysisEngine } from '../../domain/analysis/engine.js';
import { AnalysisState } from '../../domain/analysis/state.js';
import { type Transaction, transactionInput } from '../../domain/analysis/transaction.js';
import type { AppContext } from '../../platform/http/context.js';
import { actOnFindings } from '../alerts/findings.service.js';
import { activeRuleSet } from '../rules/rules.service.js';
import { clearEngineStates, loadEngineStates, saveEngineStates } from '../analysis/state.service.js';
import { type TransactionPosition, pageStoredTransactions, storedTransaction } from '../transactions/transactions.service.js';

const PAGE = 5000;

/**
 * Rebuilds every customer's engine state from the stored transactions (after a change of the
 * state layout, or to check the incremental state): forgets the stored state, then replays the
 * transactions customer by customer in booking order. No leads or alerts are raised: those
 * transactions were judged when they arrived — except with `act`, for a history that never went
 * through ingestion (the demo bank's), whose findings then become leads and alerts as usual.
 * Run it while nothing is ingesting.
 */
export async function rebuildAnalysisState(
  ctx: AppContext,
  onProgress?: (p: { transactions: number; customers: number; leads: number; alerts: number }) => void,
  opts: { act?: boolean } = {},
): Promise<{ transactions: number; customers: number; leads: number; alerts: number }> {
  const rules = await activeRuleSet(ctx.db);
  await clearEngineStates(ctx.db);
  let after: TransactionPosition | undefined;
  let transactions = 0;
  let leads = 0;
  let alerts = 0;
  const customers = new Set<string>();
  for (;;) {
    const rows = await pageStoredTransactions(ctx.db, PAGE, after);
    if (rows.length === 0) break;
    const last = rows[rows.length - 1];
    if (last) after = { customerNumber: last.customer_number, bookedAt: last.booked_at, txnId: last.txn_id };
    const state = new AnalysisState(PAGE);
    // A customer whose transactions span two pages goes on from what the previous page saved.
    const first = rows[0]?.customer_number;
    if (first !== undefined) for (const [c, record] of await loadEngineStates(ctx.db, [first])) state.importRecord(c, record);
    const engine = new AnalysisEngine(rules, state);
    const byId = new Map<string, Transaction>();
    for (const r of rows) {
      const t = storedTransaction(r);
      // Stored rows were valid when they came in; one that is not any more is left out of the state.
      if (typeof t === 'string') continue;
      engine.observe(transactionInput(t));
      if (opts.act) byId.set(t.txnId, t);
      customers.add(r.customer_number);
    }
    const { findings } = engine.finish();
    const at = ctx.now().toISOString();
    const records = state.exportAll();
    await ctx.db.transaction().execute(async (trx) => {
      await saveEngineStates(trx, records, at);
      if (opts.act && findings.length > 0) {
        const acted = await actOnFindings(ctx, trx, findings, byId, rules, null);
        leads += acted.leads;
        alerts += acted.alerts;
      }
    });
    transactions += rows.length;
    onProgress?.({ transactions, customers: customers.size, leads, alerts });
  }
  return { transactions, customers: customers.size, leads, alerts };
}
