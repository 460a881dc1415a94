import { z } from 'zod';
import { text } from '../../platform/http/text.js';

/** Customer segments of the bank's master data. */
export const SEGMENTS = ['mass', 'affluent', 'private'] as const;
export type Segment = (typeof SEGMENTS)[number];

/** Money as API.md fixes it: integer minor units and an ISO 4217 currency. */
export const Money = z.object({ amountMinor: z.number().int(), currency: z.string() });

/** POST /customers/search: identifiers travel in the body, never in a URL (API.md). */
export const SearchBody = z
  .strictObject({
    query: text({ min: 1, max: 100 }).optional(),
    customerNumber: text({ min: 1, max: 32 }).optional(),
    nationalId: text({ min: 1, max: 40 }).optional(),
    phone: text({ min: 1, max: 40 }).optional(),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .refine((b) => b.query !== undefined || b.customerNumber !== undefined || b.nationalId !== undefined || b.phone !== undefined, {
    message: 'give at least one of query, customerNumber, nationalId, phone',
  });

/** A customer in a search result: no identifiers, not even masked. */
export const CustomerSummary = z.object({
  id: z.string(),
  customerNumber: z.string(),
  name: z.string(),
  gender: z.enum(['F', 'M', 'U']),
  dateOfBirth: z.string().nullable(),
  branchCode: z.string(),
  segment: z.string(),
});

export const SearchResponse = z.object({ items: z.array(CustomerSummary), nextCursor: z.null() });

/** The customer id in a URL (never an identifier such as the national ID). */
export const CustomerIdParams = z.strictObject({ id: z.string().regex(/^[0-9A-Za-z-]{1,64}$/, 'not a customer id') });

/** GET /customers/:id: everything the customer page shows, identifiers masked. */
export const CustomerPage = z.object({
  customer: z.object({
    id: z.string(),
    customerNumber: z.string(),
    name: z.string(),
    gender: z.enum(['F', 'M', 'U']),
    dateOfBirth: z.string().nullable(),
    branchId: z.string(),
    branchCode: z.string(),
    segment: z.string(),
    openedOn: z.string().nullable(),
    nationalIdMasked: z.string().nullable(),
    phoneMasked: z.string().nullable(),
    addressMasked: z.string().nullable(),
  }),
  accounts: z.array(
    z.object({
      id: z.string(),
      accountNumber: z.string(),
      type: z.enum(['current', 'savings', 'time_deposit', 'card']),
      balance: Money,
      status: z.enum(['active', 'dormant', 'frozen', 'closed']),
      openedOn: z.string(),
    }),
  ),
  loans: z.array(
    z.object({
      id: z.string(),
      loanNumber: z.string(),
      product: z.enum(['mortgage', 'consumer', 'business', 'credit_card']),
      principal: Money,
      outstanding: Money,
      interestRateBp: z.number().int(),
      instalment: Money,
      startDate: z.string(),
      maturityDate: z.string(),
      nextPaymentDate: z.string().nullable(),
      daysPastDue: z.number().int(),
      status: z.enum(['performing', 'overdue', 'restructured', 'closed']),
    }),
  ),
  holdings: z.array(
    z.object({
      id: z.string(),
      holdingRef: z.string(),
      productCode: z.string(),
      productName: z.string(),
      riskLevel: z.enum(['R1', 'R2', 'R3', 'R4', 'R5']),
      marketValue: Money,
      acquiredOn: z.string(),
      maturityDate: z.string().nullable(),
    }),
  ),
  /** The last 90 days, one entry per UTC day, oldest first. */
  cashflow: z.array(z.object({ date: z.string(), inflowMinor: z.number().int(), outflowMinor: z.number().int() })),
});

/** The identifiers a reveal can ask for. */
export const REVEALABLE = ['nationalId', 'phone', 'address'] as const;
export type RevealableField = (typeof REVEALABLE)[number];

/** POST /customers/:id/reveal: which values, and why (required of inspectors). */
export const RevealBody = z.strictObject({
  fields: z
    .array(z.enum(REVEALABLE))
    .min(1)
    .max(3)
    .refine((f) => new Set(f).size === f.length, 'each field at most once'),
  reason: text({ min: 1, max: 500 }).optional(),
});

/** Only the requested fields are present; null when the customer has no such value. */
export const RevealResponse = z.object({
  nationalId: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  address: z.string().nullable().optional(),
});
