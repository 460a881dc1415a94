import type { AuditActor } from '../../platform/audit/audit.service.js';
import type { SmsPhoneLookup } from '../../platform/jobs/sms.js';
import { readSensitive } from '../../platform/audit/sensitive-read.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { AccountTable, CustomerTable, HoldingTable, LoanTable } from '../../platform/db/tables/customers.js';
import type { AppContext } from '../../platform/http/context.js';
import { branches, branchesByIds } from '../staff/staff.service.js';
import {
  existingKeys,
  findCustomerById,
  findCustomersByIds,
  findCustomerIds,
  findCustomersByNameOrBirth,
  searchCustomers,
  upsertAccounts,
  upsertCustomers,
  upsertHoldings,
  upsertLoans,
  listAccounts,
  listHoldings,
  listLoansOfCustomers,
  listLoans,
} from './customers.repository.js';
import type { Segment } from './customers.schemas.js';

// ---------------------------------------------------------------------------------------------
// Loading master data: shared by the CSV import and the demo bank, so both store data alike.
// ---------------------------------------------------------------------------------------------

/** One customer of the core banking system, identifiers in plaintext (they are encrypted here). */
export interface CustomerInput {
  customerNumber: string;
  name: string;
  gender: 'F' | 'M' | 'U';
  dateOfBirth: string | null;
  nationalId: string | null;
  phone: string | null;
  address: string | null;
  branchCode: string;
  segment: Segment;
  openedOn: string | null;
}

/** One account of the core banking system. */
export interface AccountInput {
  accountNumber: string;
  customerNumber: string;
  type: AccountTable['type'];
  currency: string;
  balanceMinor: number;
  status: AccountTable['status'];
  openedOn: string;
}

/** One loan of the core banking system. */
export interface LoanInput {
  loanNumber: string;
  customerNumber: string;
  product: LoanTable['product'];
  currency: string;
  principalMinor: number;
  outstandingMinor: number;
  interestRateBp: number;
  instalmentMinor: number;
  startDate: string;
  maturityDate: string;
  nextPaymentDate: string | null;
  daysPastDue: number;
  status: LoanTable['status'];
}

/** One wealth-management holding of the core banking system. */
export interface HoldingInput {
  holdingRef: string;
  customerNumber: string;
  productCode: string;
  productName: string;
  riskLevel: HoldingTable['risk_level'];
  currency: string;
  marketValueMinor: number;
  acquiredOn: string;
  maturityDate: string | null;
}

/** What loading a batch did: new rows, updated rows, and the rows refused (by index in the batch). */
export interface LoadResult {
  loaded: number;
  updated: number;
  rejected: { index: number; reason: string }[];
}

/** Options of the loaders. */
export interface LoadOptions {
  /** The id of a new row from its natural key; random UUIDv7 by default (the demo makes them repeatable). */
  idFor?: (naturalKey: string) => string;
}

function assertUniqueKeys(keys: readonly string[]): void {
  if (new Set(keys).size !== keys.length) throw new Error('a batch must not hold the same natural key twice');
}

/**
 * Inserts or updates customers by customer number. National ID, phone and address are stored
 * only encrypted, bound to the row id, with blind indexes for exact search (DESIGN.md).
 */
export async function loadCustomers(
  ctx: AppContext,
  db: Executor,
  inputs: readonly CustomerInput[],
  opts: LoadOptions = {},
): Promise<LoadResult> {
  assertUniqueKeys(inputs.map((c) => c.customerNumber));
  const branchIds = new Map((await branches(db)).items.map((b) => [b.code, b.id]));
  const existing = await findCustomerIds(
    db,
    inputs.map((c) => c.customerNumber),
  );
  const now = ctx.now().toISOString();
  const rejected: LoadResult['rejected'] = [];
  const rows: CustomerTable[] = [];
  inputs.forEach((c, index) => {
    const branchId = branchIds.get(c.branchCode);
    if (!branchId) {
      rejected.push({ index, reason: `unknown branch ${c.branchCode}` });
      return;
    }
    // An existing customer keeps its id: the new ciphertexts must be bound to the row they go into.
    const id = existing.get(c.customerNumber) ?? opts.idFor?.(c.customerNumber) ?? newId();
    const seal = (column: string, value: string | null) =>
      value === null ? null : ctx.cipher.encrypt(value, { table: 'customers', column, rowId: id });
    rows.push({
      id,
      customer_number: c.customerNumber,
      name: c.name,
      gender: c.gender,
      date_of_birth: c.dateOfBirth,
      national_id_enc: seal('national_id_enc', c.nationalId),
      national_id_bidx: c.nationalId === null ? null : ctx.cipher.blindIndex('national_id', c.nationalId),
      phone_enc: seal('phone_enc', c.phone),
      phone_bidx: c.phone === null ? null : ctx.cipher.blindIndex('phone', c.phone),
      address_enc: seal('address_enc', c.address),
      branch_id: branchId,
      segment: c.segment,
      opened_on: c.openedOn,
      created_at: now,
      updated_at: now,
      version: 1,
    });
  });
  const written = await upsertCustomers(db, rows);
  let loaded = 0;
  let updated = 0;
  inputs.forEach((c, index) => {
    if (written.has(c.customerNumber)) {
      if (existing.has(c.customerNumber)) updated += 1;
      else loaded += 1;
    } else if (!rejected.some((r) => r.index === index)) {
      rejected.push({ index, reason: 'another import changed this customer at the same time; import the row again' });
    }
  });
  return { loaded, updated, rejected: rejected.sort((a, b) => a.index - b.index) };
}

/** Resolves customer numbers, builds rows for the known ones and upserts them; unknown customers are refused. */
async function loadOwned<I extends { customerNumber: string }, R>(
  db: Executor,
  table: 'accounts' | 'loans' | 'holdings',
  inputs: readonly I[],
  keyOf: (input: I) => string,
  toRow: (input: I, customerId: string, id: string) => R,
  upsert: (db: Executor, rows: R[]) => Promise<void>,
  opts: LoadOptions,
): Promise<LoadResult> {
  const keys = inputs.map(keyOf);
  assertUniqueKeys(keys);
  const customerIds = await findCustomerIds(db, [...new Set(inputs.map((i) => i.customerNumber))]);
  const existing = await existingKeys(db, table, keys);
  const result: LoadResult = { loaded: 0, updated: 0, rejected: [] };
  const rows: R[] = [];
  inputs.forEach((input, index) => {
    const customerId = customerIds.get(input.customerNumber);
    if (!customerId) {
      result.rejected.push({ index, reason: `unknown customer ${input.customerNumber}` });
      return;
    }
    const key = keyOf(input);
    rows.push(toRow(input, customerId, opts.idFor?.(key) ?? newId()));
    if (existing.has(key)) result.updated += 1;
    else result.loaded += 1;
  });
  await upsert(db, rows);
  return result;
}

/** Inserts or updates accounts by account number. */
export async function loadAccounts(
  ctx: AppContext,
  db: Executor,
  inputs: readonly AccountInput[],
  opts: LoadOptions = {},
): Promise<LoadResult> {
  const now = ctx.now().toISOString();
  return loadOwned(
    db,
    'accounts',
    inputs,
    (a) => a.accountNumber,
    (a, customerId, id): AccountTable => ({
      id,
      account_number: a.accountNumber,
      customer_id: customerId,
      type: a.type,
      currency: a.currency,
      balance_minor: a.balanceMinor,
      status: a.status,
      opened_on: a.openedOn,
      updated_at: now,
    }),
    upsertAccounts,
    opts,
  );
}

/** Inserts or updates loans by loan number. */
export async function loadLoans(ctx: AppContext, db: Executor, inputs: readonly LoanInput[], opts: LoadOptions = {}): Promise<LoadResult> {
  const now = ctx.now().toISOString();
  return loadOwned(
    db,
    'loans',
    inputs,
    (l) => l.loanNumber,
    (l, customerId, id): LoanTable => ({
      id,
      loan_number: l.loanNumber,
      customer_id: customerId,
      product: l.product,
      currency: l.currency,
      principal_minor: l.principalMinor,
      outstanding_minor: l.outstandingMinor,
      interest_rate_bp: l.interestRateBp,
      instalment_minor: l.instalmentMinor,
      start_date: l.startDate,
      maturity_date: l.maturityDate,
      next_payment_date: l.nextPaymentDate,
      days_past_due: l.daysPastDue,
      status: l.status,
      updated_at: now,
    }),
    upsertLoans,
    opts,
  );
}

/** Inserts or updates wealth-management holdings by holding reference. */
export async function loadHoldings(
  ctx: AppContext,
  db: Executor,
  inputs: readonly HoldingInput[],
  opts: LoadOptions = {},
): Promise<LoadResult> {
  const now = ctx.now().toISOString();
  return loadOwned(
    db,
    'holdings',
    inputs,
    (h) => h.holdingRef,
    (h, customerId, id): HoldingTable => ({
      id,
      holding_ref: h.holdingRef,
      customer_id: customerId,
      product_code: h.productCode,
      product_name: h.productName,
      risk_level: h.riskLevel,
      currency: h.currency,
      market_value_minor: h.marketValueMinor,
      acquired_on: h.acquiredOn,
      maturity_date: h.maturityDate,
      updated_at: now,
    }),
    upsertHoldings,
    opts,
  );
}

// ---------------------------------------------------------------------------------------------
// Customers with their branch codes, for this feature's services
// ---------------------------------------------------------------------------------------------

/** A customer row with the code of its branch. */
export type CustomerRecord = CustomerTable & { branch_code: string };

/** The rows with their branch codes, asked of the staff feature in one query. */
export async function withBranchCodes(db: Executor, rows: readonly CustomerTable[]): Promise<CustomerRecord[]> {
  const byId = await branchesByIds(
    db,
    rows.map((r) => r.branch_id),
  );
  return rows.map((r) => ({ ...r, branch_code: byId.get(r.branch_id)?.code ?? '' }));
}

export async function customerById(db: Executor, id: string): Promise<CustomerRecord | undefined> {
  const row = await findCustomerById(db, id);
  return row ? (await withBranchCodes(db, [row]))[0] : undefined;
}

// ---------------------------------------------------------------------------------------------
// For other features (leads): customers by what a report says about them, without identifiers.
// ---------------------------------------------------------------------------------------------

/** A customer as other features refer to it: no identifiers. */
export interface CustomerRef {
  id: string;
  customerNumber: string;
  name: string;
  dateOfBirth: string | null;
  branchId: string;
  branchCode: string;
}

function toRef(c: CustomerRecord): CustomerRef {
  return {
    id: c.id,
    customerNumber: c.customer_number,
    name: c.name,
    dateOfBirth: c.date_of_birth,
    branchId: c.branch_id,
    branchCode: c.branch_code,
  };
}

/** One customer by id, in any branch: callers check what their reader may see. */
export async function customerRefById(db: Executor, id: string): Promise<CustomerRef | undefined> {
  const c = await customerById(db, id);
  return c ? toRef(c) : undefined;
}

/** Customers by id as other features refer to them (unknown ids are left out): one query for a whole list. */
export async function customerRefsByIds(db: Executor, ids: Iterable<string>): Promise<Map<string, CustomerRef>> {
  const rows = await withBranchCodes(db, await findCustomersByIds(db, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, toRef(r)]));
}

/** The ids of customers whose number is the query or whose name contains it (the case list's search), best first. */
export async function customerIdsMatching(db: Executor, q: { query: string; branchId?: string; limit: number }): Promise<string[]> {
  return (await searchCustomers(db, q)).map((c) => c.id);
}

/**
 * Customers matching every given criterion exactly (national ID and phone through the blind
 * index), in any branch unless `branchId` is given: lead matching is done by Lifeline, not a reader.
 */
export async function customersMatching(
  ctx: AppContext,
  db: Executor,
  by: { customerNumber?: string; nationalId?: string; phone?: string; name?: string; dateOfBirth?: string; branchId?: string },
  limit: number,
): Promise<CustomerRef[]> {
  const rows = await withBranchCodes(
    db,
    await searchCustomers(db, {
      customerNumber: by.customerNumber?.toUpperCase(),
      nationalIdBidx: by.nationalId === undefined ? undefined : ctx.cipher.blindIndex('national_id', by.nationalId),
      phoneBidx: by.phone === undefined ? undefined : ctx.cipher.blindIndex('phone', by.phone),
      name: by.name,
      dateOfBirth: by.dateOfBirth,
      branchId: by.branchId,
      limit,
    }),
  );
  return rows.map(toRef);
}

/** Customers with the same name or the same date of birth: suggestions for an unmatched lead. */
export async function customersNamedOrBornOn(
  db: Executor,
  q: { name?: string; dateOfBirth?: string; branchId?: string; limit: number },
): Promise<CustomerRef[]> {
  return (await withBranchCodes(db, await findCustomersByNameOrBirth(db, q))).map(toRef);
}

/** The outbox worker reading a customer's phone to send an SMS. */
const SMS_ACTOR: AuditActor = { id: null, username: 'system:sms', ip: null };

/** The phone lookup of the outbox worker's SMS (P7.2.1): a system read of the customer's phone, audited. */
export function smsPhoneLookup(ctx: AppContext): SmsPhoneLookup {
  return async (db, customerId) => {
    const row = await findCustomerById(db, customerId);
    if (!row || row.phone_enc === null) return null;
    const plain = await readSensitive(db, ctx.cipher, SMS_ACTOR, {
      table: 'customers',
      rowId: customerId,
      branchId: row.branch_id,
      fields: { phone_enc: row.phone_enc },
      purpose: 'sms',
    });
    return plain.phone_enc;
  };
}

/** A customer's id by customer number, if the bank has such a customer (the branch lookups). */
export async function customerIdByNumber(db: Executor, customerNumber: string): Promise<string | undefined> {
  return (await findCustomerIds(db, [customerNumber.toUpperCase()])).get(customerNumber.toUpperCase());
}

/** A customer's accounts (services check that a request names one of them). */
export async function customerAccounts(db: Executor, customerId: string) {
  return (await listAccounts(db, customerId)).map((a) => ({
    id: a.id,
    accountNumber: a.account_number,
    type: a.type,
    currency: a.currency,
    status: a.status,
    balanceMinor: Number(a.balance_minor),
  }));
}

/**
 * A customer's loans and credit cards as core banking last reported them, as restructuring (P7.1.1)
 * and the risk officer's assessment (P3.2.3) read them; a credit card's principal is its limit.
 */
export async function customerLoanViews(db: Executor, customerId: string) {
  return (await listLoans(db, customerId)).map((l) => ({
    id: l.id,
    loanNumber: l.loan_number,
    product: l.product,
    currency: l.currency,
    principalMinor: Number(l.principal_minor),
    outstandingMinor: Number(l.outstanding_minor),
    interestRateBp: l.interest_rate_bp,
    instalmentMinor: Number(l.instalment_minor),
    startDate: l.start_date,
    maturityDate: l.maturity_date,
    nextPaymentDate: l.next_payment_date,
    daysPastDue: l.days_past_due,
    status: l.status,
  }));
}

/** A customer's wealth holdings with their risk levels (P4.3.1 re-planning). */
export async function customerHoldings(db: Executor, customerId: string) {
  return (await listHoldings(db, customerId)).map((h) => ({
    id: h.id,
    holdingRef: h.holding_ref,
    productCode: h.product_code,
    productName: h.product_name,
    riskLevel: h.risk_level,
    currency: h.currency,
    marketValueMinor: Number(h.market_value_minor),
    maturityDate: h.maturity_date,
  }));
}

/** The loans of these customers as the core banking system last reported them (the loan watch, P7.1). */
export async function customerLoans(db: Executor, customerIds: readonly string[]): Promise<LoanTable[]> {
  const out: LoanTable[] = [];
  const unique = [...new Set(customerIds)];
  // Chunks keep the IN list far below the bind-parameter limits of both databases.
  for (let i = 0; i < unique.length; i += 500) out.push(...(await listLoansOfCustomers(db, unique.slice(i, i + 500))));
  return out;
}
