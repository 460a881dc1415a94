import { z } from 'zod';
import { newId } from '../crypto/ids.js';
import type { Executor } from '../db/database.js';
import { insertOutboxRow } from './outbox.repository.js';

/**
 * Instructions to core banking (docs/core-banking.md): a loan disbursement, a new repayment
 * schedule, a credit-limit change. Each is written to the outbox in the transaction of the decision
 * that causes it and delivered at least once; core banking drops a repeat by its idempotency key,
 * which is the id of the Lifeline record the instruction carries out (a service request, a
 * measure), so a retried or re-sent instruction books once.
 */
export const CORE_BANKING_INSTRUCTIONS = ['loan_disbursement', 'loan_reschedule', 'credit_limit_change'] as const;
export type CoreBankingInstruction = (typeof CORE_BANKING_INSTRUCTIONS)[number];

/** What a `core_banking` outbox row carries: never a medical value, only what the booking needs. */
export const CoreBankingPayload = z.object({
  instruction: z.enum(CORE_BANKING_INSTRUCTIONS),
  idempotencyKey: z.string().min(1),
  body: z.record(z.string(), z.unknown()),
});
export type CoreBankingPayload = z.infer<typeof CoreBankingPayload>;

/**
 * Writes an instruction to the outbox in the caller's transaction. Without a core-banking
 * connection configured the row is kept as `skipped`: operations then book it by hand and record
 * the booking reference, as they would in an outage.
 */
export async function enqueueCoreBankingInstruction(
  db: Executor,
  instruction: CoreBankingPayload,
  opts: { enabled: boolean; now: Date },
): Promise<string> {
  const id = newId(opts.now.getTime());
  const at = opts.now.toISOString();
  await insertOutboxRow(db, {
    id,
    kind: 'core_banking',
    payload: JSON.stringify(CoreBankingPayload.parse(instruction)),
    status: opts.enabled ? 'pending' : 'skipped',
    attempts: 0,
    next_attempt_at: at,
    lease_until: null,
    last_error: null,
    created_at: at,
    sent_at: null,
  });
  return id;
}

/** Something that hands an instruction to core banking, or throws. */
export interface CoreBankingTransport {
  send(instruction: CoreBankingPayload): Promise<void>;
}

/** Core banking's refusal: the HTTP status only. A 4xx other than 409 is final; retrying will not help. */
export class CoreBankingError extends Error {
  constructor(readonly code: number) {
    super(`core banking answered ${code}`);
    this.name = 'CoreBankingError';
  }
  /** True when sending the same instruction again cannot succeed. */
  get final(): boolean {
    return this.code >= 400 && this.code < 500 && this.code !== 408 && this.code !== 429;
  }
}

const TIMEOUT_MS = 10_000;

/**
 * The HTTP transport: `POST {baseUrl}/instructions/{instruction}` with the body as JSON,
 * `Idempotency-Key` and, when configured, `Authorization: Bearer <token>`. A 2xx is success, and
 * so is 409: core banking has the instruction already (an earlier attempt got through).
 */
export function httpCoreBankingTransport(baseUrl: string, token: string | null = null): CoreBankingTransport {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async send(instruction) {
      const res = await fetch(`${base}/instructions/${instruction.instruction}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': instruction.idempotencyKey,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(instruction.body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok && res.status !== 409) throw new CoreBankingError(res.status);
    },
  };
}
