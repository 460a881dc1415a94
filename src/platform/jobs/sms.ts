import { z } from 'zod';
import { newId } from '../crypto/ids.js';
import type { Db, Executor } from '../db/database.js';
import { insertOutboxRow } from './outbox.repository.js';

/**
 * What an SMS row carries: the customer and a text without any sensitive value (no amount, no
 * illness, no account). The phone number is not stored in the outbox: the worker reads it from the
 * customer's encrypted record at send time (docs/alerts.md).
 */
export const SmsPayload = z.object({ customerId: z.string().min(1), text: z.string().min(1) });
export type SmsPayload = z.infer<typeof SmsPayload>;

/** The fund-safety SMS (P7.2.1): says only that a payment needs checking and that the customer manager will call. */
export function fundAlertSmsText(bankName: string): string {
  return `【${bankName}】我们注意到您的账户有一笔支出需要核实，请留意客户经理来电。`;
}

/**
 * Writes an SMS to the outbox in the caller's transaction, so it exists exactly when the change that
 * caused it commits. Without a gateway the row is kept as `skipped`, like e-mail without a relay.
 */
export async function enqueueSms(db: Executor, sms: SmsPayload, opts: { enabled: boolean; now: Date }): Promise<string> {
  const id = newId(opts.now.getTime());
  const at = opts.now.toISOString();
  await insertOutboxRow(db, {
    id,
    kind: 'sms',
    payload: JSON.stringify({ customerId: sms.customerId, text: sms.text }),
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

/** One SMS to hand to a gateway; `id` is the outbox id, sent along so the gateway can drop a repeat. */
export interface SmsMessage {
  id: string;
  to: string;
  text: string;
}

/** Something that sends an SMS, or throws. */
export interface SmsTransport {
  send(message: SmsMessage): Promise<void>;
}

/** A gateway's refusal; carries the HTTP status only, never the answer's body (it could echo the number). */
export class SmsGatewayError extends Error {
  constructor(readonly code: number) {
    super(`SMS gateway answered ${code}`);
    this.name = 'SmsGatewayError';
  }
}

const GATEWAY_TIMEOUT_MS = 10_000;

/**
 * The HTTP gateway transport: `POST url` with JSON `{to, text}`, `Authorization: Bearer <token>`
 * when a token is configured and `Idempotency-Key: <outbox id>` (delivery is at-least-once).
 * Any 2xx is success.
 */
export function httpSmsTransport(url: string, token: string | null = null): SmsTransport {
  return {
    async send(message) {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': message.id,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ to: message.to, text: message.text }),
        signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
      });
      // The body is drained so the connection is reused, and ignored.
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new SmsGatewayError(res.status);
    },
  };
}

/** Finds the phone of a customer for sending (an audited system read); null when there is none. */
export type SmsPhoneLookup = (db: Executor, customerId: string) => Promise<string | null>;

/** Thrown for an SMS whose customer has no phone on file: retrying will not help. */
export class NoPhoneError extends Error {
  constructor() {
    super('the customer has no phone number on file');
    this.name = 'NoPhoneError';
  }
}

/**
 * Sends one outbox SMS row: reads the phone at send time (in a transaction of its own, so the
 * audited read commits with its audit event) and hands the text to the transport.
 */
export async function sendSmsRow(
  db: Db,
  row: { id: string; payload: string },
  transport: SmsTransport,
  phoneOf: SmsPhoneLookup,
): Promise<void> {
  const payload = SmsPayload.parse(JSON.parse(row.payload));
  const to = await db.transaction().execute((trx) => phoneOf(trx, payload.customerId));
  if (!to) throw new NoPhoneError();
  await transport.send({ id: row.id, to, text: payload.text });
}
