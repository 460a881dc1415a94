import { maskAddress, maskNationalId, maskPhone } from '../../domain/masking.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { readSensitive } from '../../platform/audit/sensitive-read.js';
import type { Executor } from '../../platform/db/database.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { branchScope, visibleInBranch } from '../../platform/http/access.js';
import { AppError } from '../../platform/http/errors.js';
import { cashflowByDay } from '../transactions/transactions.service.js';
import { listAccounts, listHoldings, listLoans, searchCustomers } from './customers.repository.js';
import type { RevealableField } from './customers.schemas.js';

import { type CustomerRecord, customerById, withBranchCodes } from './customers.service.js';

// ---------------------------------------------------------------------------------------------
// Reading: search, the customer page and the audited reveal.
// ---------------------------------------------------------------------------------------------

const CASHFLOW_DAYS = 90;

/** The customer if the actor may see it; another branch's customer is "not found", so existence does not leak. */
async function visibleCustomer(db: Executor, actor: Actor, id: string): Promise<CustomerRecord> {
  return visibleInBranch(actor, await customerById(db, id), 'customer');
}

function toSummary(c: CustomerRecord) {
  return {
    id: c.id,
    customerNumber: c.customer_number,
    name: c.name,
    gender: c.gender,
    dateOfBirth: c.date_of_birth,
    branchCode: c.branch_code,
    segment: c.segment,
  };
}

/** Finds customers by number, name, national ID or phone within what the actor may see. */
export async function findCustomers(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  q: { query?: string; customerNumber?: string; nationalId?: string; phone?: string; limit: number },
) {
  const rows = await withBranchCodes(
    db,
    await searchCustomers(db, {
      query: q.query,
      customerNumber: q.customerNumber?.toUpperCase(),
      nationalIdBidx: q.nationalId === undefined ? undefined : ctx.cipher.blindIndex('national_id', q.nationalId),
      phoneBidx: q.phone === undefined ? undefined : ctx.cipher.blindIndex('phone', q.phone),
      branchId: branchScope(actor),
      limit: q.limit,
    }),
  );
  const identifiers = [q.nationalId === undefined ? null : 'nationalId', q.phone === undefined ? null : 'phone'].filter((f) => f !== null);
  if (identifiers.length > 0) {
    // That an identifier search happened, by whom and with what result: never the value searched for.
    await recordAudit(
      db,
      actor,
      { action: 'customer.search_by_identifier', branchId: actor.branchId, detail: { by: identifiers, results: rows.length } },
      ctx.now(),
    );
  }
  return { items: rows.map(toSummary), nextCursor: null };
}

const money = (amountMinor: number, currency: string) => ({ amountMinor, currency });

/** The customer page: master data with masked identifiers (an audited read), accounts, loans, holdings, 90 days of cash flow. */
export async function customerPage(ctx: AppContext, db: Executor, actor: Actor, id: string) {
  const c = await visibleCustomer(db, actor, id);
  // P5.4.2: without a confidentiality agreement in force the identifiers are not even decrypted.
  const agreed = actor.agreementValid !== false;
  const plain = await readSensitive(db, ctx.cipher, actor, {
    table: 'customers',
    rowId: c.id,
    branchId: c.branch_id,
    fields: agreed
      ? { national_id_enc: c.national_id_enc, phone_enc: c.phone_enc, address_enc: c.address_enc }
      : { national_id_enc: null, phone_enc: null, address_enc: null },
    purpose: 'masked',
  });
  // One after the other: inside a transaction they share one connection anyway.
  const accounts = await listAccounts(db, c.id);
  const loans = await listLoans(db, c.id);
  const holdings = await listHoldings(db, c.id);
  const cashflow = await cashflowByDay(db, c.customer_number, ctx.now(), CASHFLOW_DAYS);
  return {
    customer: {
      ...toSummary(c),
      branchId: c.branch_id,
      openedOn: c.opened_on,
      nationalIdMasked: plain.national_id_enc === null ? null : maskNationalId(plain.national_id_enc),
      phoneMasked: plain.phone_enc === null ? null : maskPhone(plain.phone_enc),
      addressMasked: plain.address_enc === null ? null : maskAddress(plain.address_enc),
    },
    accounts: accounts.map((a) => ({
      id: a.id,
      accountNumber: a.account_number,
      type: a.type,
      balance: money(a.balance_minor, a.currency),
      status: a.status,
      openedOn: a.opened_on,
    })),
    loans: loans.map((l) => ({
      id: l.id,
      loanNumber: l.loan_number,
      product: l.product,
      principal: money(l.principal_minor, l.currency),
      outstanding: money(l.outstanding_minor, l.currency),
      interestRateBp: l.interest_rate_bp,
      instalment: money(l.instalment_minor, l.currency),
      startDate: l.start_date,
      maturityDate: l.maturity_date,
      nextPaymentDate: l.next_payment_date,
      daysPastDue: l.days_past_due,
      status: l.status,
    })),
    holdings: holdings.map((h) => ({
      id: h.id,
      holdingRef: h.holding_ref,
      productCode: h.product_code,
      productName: h.product_name,
      riskLevel: h.risk_level,
      marketValue: money(h.market_value_minor, h.currency),
      acquiredOn: h.acquired_on,
      maturityDate: h.maturity_date,
    })),
    cashflow,
  };
}

const REVEAL_COLUMNS = { nationalId: 'national_id_enc', phone: 'phone_enc', address: 'address_enc' } as const;
const INSPECTOR_REASON_MIN = 5;

/**
 * The full values of a customer's identifiers, recorded in the audit trail with purpose `reveal`
 * and the reason. Inspectors read outside any case, so they must say why (DESIGN.md "Roles").
 */
export async function revealIdentifiers(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  request: { fields: RevealableField[]; reason?: string },
): Promise<Partial<Record<RevealableField, string | null>>> {
  if (actor.agreementValid === false) throw new AppError('AGREEMENT_REQUIRED');
  if (actor.roles.includes('inspector') && (request.reason ?? '').length < INSPECTOR_REASON_MIN) {
    throw new AppError('VALIDATION_FAILED', 'inspectors must state why they need the values', {
      errors: [
        { path: 'body.reason', message: `at least ${INSPECTOR_REASON_MIN} characters`, reason: 'too_small', limit: INSPECTOR_REASON_MIN },
      ],
    });
  }
  const c = await visibleCustomer(db, actor, id);
  const fields: Record<string, string | null> = {};
  for (const f of request.fields) fields[REVEAL_COLUMNS[f]] = c[REVEAL_COLUMNS[f]];
  const plain = await readSensitive(db, ctx.cipher, actor, {
    table: 'customers',
    rowId: c.id,
    branchId: c.branch_id,
    fields,
    purpose: 'reveal',
    reason: request.reason,
  });
  const out: Partial<Record<RevealableField, string | null>> = {};
  for (const f of request.fields) out[f] = plain[REVEAL_COLUMNS[f]] ?? null;
  return out;
}
