/** The table of the transactions feature: every stored transaction, once by txn_id; conventions in schema.ts. */
export interface TransactionsTables {
  transactions: TransactionTable;
}

export interface TransactionTable {
  txn_id: string;
  account_id: string;
  customer_number: string;
  booked_at: string;
  amount_minor: number;
  currency: string;
  direction: 'debit' | 'credit';
  channel: 'card' | 'transfer' | 'atm' | 'counter' | 'online' | 'direct_debit';
  counterparty_name: string | null;
  counterparty_account: string | null;
  mcc: string | null;
  description: string | null;
  ingested_at: string;
}
