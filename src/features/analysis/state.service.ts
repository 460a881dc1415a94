import { AnalysisEngine } from '../../domain/analysis/engine.js';
import { AnalysisState } from '../../domain/analysis/state.js';
import { transactionInput, toTransaction, TRANSACTION_COLUMNS } from '../../domain/analysis/transaction.js';
import type { TransactionTable } from '../../platform/db/schema.js';
import type { AppContext } from '../../platform/http/context.js';
import { activeRuleSet } from '../rules/rules.service.js';
import { pageTransactionsByCustomer } from '../transactions/transactions.repository.js';
import { clearStateRecords, loadStateRecords, saveStateRecords } from './state.repository.js';

const PAGE = 5000;

function fields(r: TransactionTable): string[] {
  const v: Record<(typeof TRANSACTION_COLUMNS)[number], string> = {
    txn_id: r.txn_id,
    account_id: r.account_id,
    customer_number: r.customer_number,
    booked_at: r.booked_at,
    amount_minor: String(r.amount_minor),
    currency: r.currency,
    direction: r.direction,
    channel: r.channel,
    counterparty_name: r.counterparty_name ?? '',
    counterparty_account: r.counterparty_account ?? '',
    mcc: r.mcc ?? '',
    description: r.description ?? '',
  };
  return TRANSACTION_COLUMNS.map((c) => v[c]);
}

/**
 * Rebuilds every customer's engine state from the stored transactions (after a change of the
 * state layout, or to check the incremental state): forgets the stored state, then replays the
 * transactions customer by customer in booking order. No leads or alerts are raised: those
 * transactions were judged when they arrived. Run it while nothing is ingesting.
 */
export async function rebuildAnalysisState(
  ctx: AppContext,
  onProgress?: (p: { transactions: number; customers: number }) => void,
): Promise<{ transactions: number; customers: number }> {
  const rules = await activeRuleSet(ctx.db);
  await clearStateRecords(ctx.db);
  let after: { customerNumber: string; bookedAt: string; txnId: string } | undefined;
  let transactions = 0;
  const customers = new Set<string>();
  for (;;) {
    const rows = await pageTransactionsByCustomer(ctx.db, PAGE, after);
    if (rows.length === 0) break;
    const last = rows[rows.length - 1];
    if (last) after = { customerNumber: last.customer_number, bookedAt: last.booked_at, txnId: last.txn_id };
    const state = new AnalysisState(PAGE);
    // A customer whose transactions span two pages goes on from what the previous page saved.
    const first = rows[0]?.customer_number;
    if (first !== undefined) for (const [c, record] of await loadStateRecords(ctx.db, [first])) state.importRecord(c, record);
    const engine = new AnalysisEngine(rules, state);
    for (const r of rows) {
      const t = toTransaction(fields(r));
      // Stored rows were valid when they came in; one that is not any more is left out of the state.
      if (typeof t === 'string') continue;
      engine.observe(transactionInput(t));
      customers.add(r.customer_number);
    }
    engine.finish();
    const at = ctx.now().toISOString();
    const records = [];
    for (let slot = 0; slot < state.size; slot++) records.push({ customerNumber: state.key(slot), record: state.exportRecord(slot) });
    await saveStateRecords(ctx.db, records, at);
    transactions += rows.length;
    onProgress?.({ transactions, customers: customers.size });
  }
  return { transactions, customers: customers.size };
}
