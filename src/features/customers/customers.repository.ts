import { sql } from 'kysely';
import { likeText } from '../../platform/db/like.js';
import type { Executor } from '../../platform/db/database.js';
import type { AccountTable, CustomerTable, HoldingTable, LoanTable } from '../../platform/db/tables/customers.js';

function customerQuery(db: Executor) {
  return db.selectFrom('customers').selectAll('customers');
}

/** One customer. */
export async function findCustomerById(db: Executor, id: string): Promise<CustomerTable | undefined> {
  return customerQuery(db).where('customers.id', '=', id).executeTakeFirst();
}

/** Customers by id; unknown ids are left out. */
export async function findCustomersByIds(db: Executor, ids: readonly string[]): Promise<CustomerTable[]> {
  const out: CustomerTable[] = [];
  // Chunks keep the bind parameters far below both databases' limits, for any length of list.
  for (let i = 0; i < ids.length; i += 500)
    out.push(
      ...(await customerQuery(db)
        .where('customers.id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  return out;
}

/** Customer ids by customer number, for the numbers that exist. */
export async function findCustomerIds(db: Executor, customerNumbers: readonly string[]): Promise<Map<string, string>> {
  if (customerNumbers.length === 0) return new Map();
  const rows = await db.selectFrom('customers').select(['id', 'customer_number']).where('customer_number', 'in', customerNumbers).execute();
  return new Map(rows.map((r) => [r.customer_number, r.id]));
}

/** The criteria of a customer search; all given ones must match. */
export interface CustomerSearch {
  /** Customer number exactly, or a fragment of the name. */
  query?: string;
  customerNumber?: string;
  nationalIdBidx?: string;
  phoneBidx?: string;
  /** The name exactly (lead matching), and the date of birth `YYYY-MM-DD`. */
  name?: string;
  dateOfBirth?: string;
  /** Only customers of this branch; absent for readers who see every branch. */
  branchId?: string;
  limit: number;
}

/** Customers matching every given criterion: exact customer number first, then names by prefix, then by fragment. */
export async function searchCustomers(db: Executor, q: CustomerSearch): Promise<CustomerTable[]> {
  let query = customerQuery(db);
  if (q.customerNumber !== undefined) query = query.where('customers.customer_number', '=', q.customerNumber);
  if (q.nationalIdBidx !== undefined) query = query.where('customers.national_id_bidx', '=', q.nationalIdBidx);
  if (q.phoneBidx !== undefined) query = query.where('customers.phone_bidx', '=', q.phoneBidx);
  if (q.name !== undefined) query = query.where('customers.name', '=', q.name);
  if (q.dateOfBirth !== undefined) query = query.where('customers.date_of_birth', '=', q.dateOfBirth);
  if (q.branchId !== undefined) query = query.where('customers.branch_id', '=', q.branchId);
  if (q.query !== undefined) {
    const number = q.query.toUpperCase();
    const needle = q.query;
    query = query.where((eb) => eb.or([eb('customers.customer_number', '=', number), likeText('customers.name', needle)]));
    query = query.orderBy(
      sql<number>`case when ${sql.ref('customers.customer_number')} = ${number} then 0 when ${likeText('customers.name', needle, 'prefix')} then 1 else 2 end`,
    );
  }
  return query.orderBy('customers.name').orderBy('customers.customer_number').limit(q.limit).execute();
}

/** Customers with this exact name or this date of birth (suggestions for an unmatched lead), by name. */
export async function findCustomersByNameOrBirth(
  db: Executor,
  q: { name?: string; dateOfBirth?: string; branchId?: string; limit: number },
): Promise<CustomerTable[]> {
  const { name, dateOfBirth } = q;
  if (name === undefined && dateOfBirth === undefined) return [];
  let query = customerQuery(db).where((eb) =>
    eb.or([
      ...(name !== undefined ? [eb('customers.name', '=', name)] : []),
      ...(dateOfBirth !== undefined ? [eb('customers.date_of_birth', '=', dateOfBirth)] : []),
    ]),
  );
  if (q.branchId !== undefined) query = query.where('customers.branch_id', '=', q.branchId);
  return query.orderBy('customers.name').orderBy('customers.customer_number').limit(q.limit).execute();
}

/**
 * Inserts customers or updates them by customer number. An update applies only where the stored
 * row has the id the caller encrypted for (the ciphertexts are bound to it); answers the customer
 * numbers actually written.
 */
export async function upsertCustomers(db: Executor, rows: readonly CustomerTable[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const written = await db
    .insertInto('customers')
    .values([...rows])
    .onConflict((oc) =>
      oc
        .column('customer_number')
        .doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          gender: eb.ref('excluded.gender'),
          date_of_birth: eb.ref('excluded.date_of_birth'),
          national_id_enc: eb.ref('excluded.national_id_enc'),
          national_id_bidx: eb.ref('excluded.national_id_bidx'),
          phone_enc: eb.ref('excluded.phone_enc'),
          phone_bidx: eb.ref('excluded.phone_bidx'),
          address_enc: eb.ref('excluded.address_enc'),
          branch_id: eb.ref('excluded.branch_id'),
          segment: eb.ref('excluded.segment'),
          opened_on: eb.ref('excluded.opened_on'),
          updated_at: eb.ref('excluded.updated_at'),
          version: eb('customers.version', '+', 1),
        }))
        .where((eb) => eb('customers.id', '=', eb.ref('excluded.id'))),
    )
    .returning('customer_number')
    .execute();
  return new Set(written.map((r) => r.customer_number));
}

/** Which of these natural keys are already stored in a table. */
export async function existingKeys(db: Executor, table: 'accounts' | 'loans' | 'holdings', keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const column = { accounts: 'account_number', loans: 'loan_number', holdings: 'holding_ref' } as const;
  const rows = await db
    .selectFrom(table)
    .select(sql<string>`${sql.ref(column[table])}`.as('key'))
    .where(sql.ref(column[table]), 'in', keys)
    .execute();
  return new Set(rows.map((r) => r.key));
}

/** Inserts accounts or updates them by account number (the id of an existing account stays). */
export async function upsertAccounts(db: Executor, rows: readonly AccountTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('accounts')
    .values([...rows])
    .onConflict((oc) =>
      oc.column('account_number').doUpdateSet((eb) => ({
        customer_id: eb.ref('excluded.customer_id'),
        type: eb.ref('excluded.type'),
        currency: eb.ref('excluded.currency'),
        balance_minor: eb.ref('excluded.balance_minor'),
        status: eb.ref('excluded.status'),
        opened_on: eb.ref('excluded.opened_on'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** Inserts loans or updates them by loan number. */
export async function upsertLoans(db: Executor, rows: readonly LoanTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('loans')
    .values([...rows])
    .onConflict((oc) =>
      oc.column('loan_number').doUpdateSet((eb) => ({
        customer_id: eb.ref('excluded.customer_id'),
        product: eb.ref('excluded.product'),
        currency: eb.ref('excluded.currency'),
        principal_minor: eb.ref('excluded.principal_minor'),
        outstanding_minor: eb.ref('excluded.outstanding_minor'),
        interest_rate_bp: eb.ref('excluded.interest_rate_bp'),
        instalment_minor: eb.ref('excluded.instalment_minor'),
        start_date: eb.ref('excluded.start_date'),
        maturity_date: eb.ref('excluded.maturity_date'),
        next_payment_date: eb.ref('excluded.next_payment_date'),
        days_past_due: eb.ref('excluded.days_past_due'),
        status: eb.ref('excluded.status'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** Inserts holdings or updates them by holding reference. */
export async function upsertHoldings(db: Executor, rows: readonly HoldingTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('holdings')
    .values([...rows])
    .onConflict((oc) =>
      oc.column('holding_ref').doUpdateSet((eb) => ({
        customer_id: eb.ref('excluded.customer_id'),
        product_code: eb.ref('excluded.product_code'),
        product_name: eb.ref('excluded.product_name'),
        risk_level: eb.ref('excluded.risk_level'),
        currency: eb.ref('excluded.currency'),
        market_value_minor: eb.ref('excluded.market_value_minor'),
        acquired_on: eb.ref('excluded.acquired_on'),
        maturity_date: eb.ref('excluded.maturity_date'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** A customer's accounts by account number. */
export async function listAccounts(db: Executor, customerId: string): Promise<AccountTable[]> {
  return db.selectFrom('accounts').selectAll().where('customer_id', '=', customerId).orderBy('account_number').execute();
}

/** A customer's loans by loan number. */
export async function listLoans(db: Executor, customerId: string): Promise<LoanTable[]> {
  return db.selectFrom('loans').selectAll().where('customer_id', '=', customerId).orderBy('loan_number').execute();
}

/** A customer's wealth-management holdings by reference. */
export async function listHoldings(db: Executor, customerId: string): Promise<HoldingTable[]> {
  return db.selectFrom('holdings').selectAll().where('customer_id', '=', customerId).orderBy('holding_ref').execute();
}

/** The loans of several customers, by customer then loan number. */
export async function listLoansOfCustomers(db: Executor, customerIds: readonly string[]) {
  if (customerIds.length === 0) return [];
  return db.selectFrom('loans').selectAll().where('customer_id', 'in', customerIds).orderBy('customer_id').orderBy('loan_number').execute();
}
