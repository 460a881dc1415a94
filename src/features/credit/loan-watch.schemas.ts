import { z } from 'zod';
import { WATCH_ACTIONS } from '../../domain/loan-watch.js';

const LOAN_PRODUCTS = ['mortgage', 'consumer', 'business', 'credit_card'] as const;
const LOAN_STATUSES = ['performing', 'overdue', 'restructured', 'closed'] as const;

export const WatchedLoansQuery = z.strictObject({
  /** Only the loans with this verdict. */
  action: z.enum(WATCH_ACTIONS).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

const date = z.string().meta({ format: 'date' });

/** A loan as the core banking system last reported it, with the watch's verdict of today. */
const WatchedLoanFields = z.object({
  id: z.string(),
  loanNumber: z.string(),
  product: z.enum(LOAN_PRODUCTS),
  currency: z.string(),
  outstandingMinor: z.number().int(),
  instalmentMinor: z.number().int(),
  nextPaymentDate: date.nullable(),
  daysPastDue: z.number().int(),
  status: z.enum(LOAN_STATUSES),
  /** `past_due`: in arrears; `prepare`: an instalment within 30 days the inflows will likely not cover; `none`. */
  action: z.enum(WATCH_ACTIONS),
  /** Days from today to the next instalment (negative once its date has passed), null without one. */
  daysToDue: z.number().int().nullable(),
});

export const WatchedLoanList = z.object({
  items: z.array(WatchedLoanFields.extend({ case: z.object({ id: z.string(), caseNumber: z.string(), customerName: z.string() }) })),
  nextCursor: z.string().nullable(),
});

export const CaseLoanWatchView = z.object({
  caseId: z.string(),
  /** The bank's calendar day the verdicts are for. */
  today: date,
  /** How many of the last inflow periods the repayment capacity is judged on. */
  capacityPeriods: z.number().int(),
  /** The customer's instalments a month over all their open loans, in fen. */
  monthlyDebtMinor: z.number().int(),
  /** The lower of the 90-day monthly average and the last 30 days' inflows, in fen; null without loans. */
  capacityMinor: z.number().int().nullable(),
  /** The customer's credits per 30-day period ending yesterday, oldest first, in fen. */
  inflows: z.array(z.object({ from: date, to: date, inflowMinor: z.number().int() })),
  loans: z.array(
    WatchedLoanFields.extend({
      /** The tasks the watch raised for the loan, newest first. */
      raised: z.array(
        z.object({ kind: z.enum(['prepare', 'past_due']), instalmentDueOn: date.nullable(), raisedAt: z.string(), taskId: z.string() }),
      ),
    }),
  ),
});
