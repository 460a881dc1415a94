import { TRANSACTION_COLUMNS, type Transaction, toTransaction } from '../../domain/analysis/transaction.js';
import type { TransactionTable } from '../../platform/db/tables/transactions.js';

/**
 * A stored transaction back as the engine's record, through the same validator as the files, so
 * a replay judges exactly what ingestion judged. Answers the reason when a stored row is no longer
 * valid (the validator has become stricter since it was stored).
 */
export function storedTransaction(r: TransactionTable): Transaction | string {
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
  return toTransaction(TRANSACTION_COLUMNS.map((c) => v[c]));
}
