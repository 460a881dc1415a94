import { z } from 'zod';
import { MonitoringSchema } from '../../domain/risk-assessment.js';
import { TRANSACTION_COLUMNS, type Transaction, toTransaction } from '../../domain/analysis/transaction.js';

const textField = z.string().nullable().optional();

/**
 * One transaction as API.md's NDJSON object (the same names and the same rules): the schema
 * only checks the JSON types, the shared validator `toTransaction` the values, so a transaction
 * is valid here exactly when it would be valid in an ingested file.
 */
export const DecisionBody = z
  .strictObject({
    txn_id: z.string(),
    account_id: z.string(),
    customer_number: z.string(),
    booked_at: z.string(),
    amount_minor: z.union([z.number().int(), z.string()]),
    currency: z.string(),
    direction: z.string(),
    channel: z.string(),
    counterparty_name: textField,
    counterparty_account: textField,
    mcc: textField,
    description: textField,
  })
  .transform((o, issue): Transaction => {
    const fields = TRANSACTION_COLUMNS.map((c) => {
      const v = o[c];
      return v === undefined || v === null ? '' : String(v);
    });
    const t = toTransaction(fields);
    if (typeof t !== 'string') return t;
    // The validator's reasons start with the column they are about.
    const column = TRANSACTION_COLUMNS.find((c) => t.startsWith(`${c} `));
    issue.addIssue({ code: 'custom', message: t, path: column ? [column] : [] });
    return z.NEVER;
  });

/** The answer for one transaction (docs/decisions-api.md). */
export const DecisionResponse = z.object({
  decision: z.enum(['allow', 'review', 'hold']),
  protected: z.boolean(),
  score: z.number().int(),
  rules: z.array(z.object({ id: z.string(), detail: z.string() })),
  rulesVersion: z.string(),
  /** The stronger monitoring the customer's risk officer set (P7.2.2), whose tightened thresholds judged the transaction; null: the rule set's own. */
  monitoring: MonitoringSchema.nullable(),
});
export type Decision = z.input<typeof DecisionResponse>;
