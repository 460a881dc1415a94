/** The tables of the customers feature: the bank's master data imported from core banking; conventions in schema.ts. */
export interface CustomersTables {
  customers: CustomerTable;
  accounts: AccountTable;
  loans: LoanTable;
  holdings: HoldingTable;
}

export interface CustomerTable {
  id: string;
  customer_number: string;
  name: string;
  gender: 'F' | 'M' | 'U';
  date_of_birth: string | null;
  national_id_enc: string | null;
  national_id_bidx: string | null;
  phone_enc: string | null;
  phone_bidx: string | null;
  address_enc: string | null;
  branch_id: string;
  segment: string;
  opened_on: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface AccountTable {
  id: string;
  account_number: string;
  customer_id: string;
  type: 'current' | 'savings' | 'time_deposit' | 'card';
  currency: string;
  balance_minor: number;
  status: 'active' | 'dormant' | 'frozen' | 'closed';
  opened_on: string;
  updated_at: string;
}

export interface LoanTable {
  id: string;
  loan_number: string;
  customer_id: string;
  product: 'mortgage' | 'consumer' | 'business' | 'credit_card';
  currency: string;
  principal_minor: number;
  outstanding_minor: number;
  interest_rate_bp: number;
  instalment_minor: number;
  start_date: string;
  maturity_date: string;
  next_payment_date: string | null;
  days_past_due: number;
  status: 'performing' | 'overdue' | 'restructured' | 'closed';
  updated_at: string;
}

export interface HoldingTable {
  id: string;
  holding_ref: string;
  customer_id: string;
  product_code: string;
  product_name: string;
  risk_level: 'R1' | 'R2' | 'R3' | 'R4' | 'R5';
  currency: string;
  market_value_minor: number;
  acquired_on: string;
  maturity_date: string | null;
  updated_at: string;
}
