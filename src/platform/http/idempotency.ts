import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type FieldCipher, keyVersionOf } from '../crypto/field-cipher.js';
import type { Executor } from '../db/database.js';
import { AppError } from './errors.js';
import { findIdempotencyRecord, insertIdempotencyRecord } from './idempotency.repository.js';

const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Runs a creating request at most once per `Idempotency-Key` (API.md "Conventions"): the same key
 * and body answer the first response again, the same key with another body is a 409. With a
 * cipher the stored answer is encrypted: it may hold what is shown only once (a temporary password).
 */
export async function withIdempotency<T>(
  db: Executor,
  req: FastifyRequest,
  reply: FastifyReply,
  actorId: string,
  status: number,
  run: () => Promise<T>,
  cipher?: FieldCipher,
): Promise<T> {
  const key = req.headers['idempotency-key'];
  if (key === undefined) return run();
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw new AppError('VALIDATION_FAILED', 'Idempotency-Key must be 1–200 printable ASCII characters', {
      errors: [{ path: 'headers.idempotency-key', message: 'invalid', reason: 'invalid_format' }],
    });
  }
  const route = `${req.method} ${req.routeOptions.url}`;
  const bodyHash = createHash('sha256')
    .update(JSON.stringify(req.body ?? null))
    .update(JSON.stringify(req.params ?? null))
    .digest('hex');
  // The stored answer is bound to its actor, route and key: it cannot be replayed elsewhere.
  const field = { table: 'idempotency_keys', column: 'response', rowId: `${actorId}|${route}|${key}` };
  const prior = await findIdempotencyRecord(db, actorId, route, key);
  if (prior) {
    if (prior.body_hash !== bodyHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    reply.code(prior.status_code).header('idempotent-replay', 'true');
    const response = cipher && keyVersionOf(prior.response) !== null ? cipher.decrypt(prior.response, field) : prior.response;
    // The stored text is the JSON of an earlier answer of this very route.
    return JSON.parse(response) as T;
  }
  const result = await run();
  const stored = await insertIdempotencyRecord(db, {
    key,
    actor_id: actorId,
    route,
    body_hash: bodyHash,
    status_code: status,
    response: cipher ? cipher.encrypt(JSON.stringify(result), field) : JSON.stringify(result),
    created_at: new Date().toISOString(),
  });
  if (!stored) throw new AppError('CONFLICT', 'a request with this Idempotency-Key is already being processed');
  return result;
}
