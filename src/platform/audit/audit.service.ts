import type { Executor } from '../db/database.js';
import { newId } from '../crypto/ids.js';
import { type AuditRecord, GENESIS_HASH, type VerifyResult, chainHash, verifyChain } from './audit-chain.js';
import { findChainHead, insertAuditEvent, lockAuditChain, streamAuditChain } from './audit.repository.js';

/** Who did something: a signed-in staff member, a partner system, or Lifeline itself. */
export interface AuditActor {
  readonly id: string | null;
  readonly username: string | null;
  readonly ip?: string | null;
}

export const SYSTEM_ACTOR: AuditActor = { id: null, username: 'system', ip: null };

/** One event to record. `detail` must never hold a sensitive value, only names and ids. */
export interface AuditEventInput {
  action: string;
  target?: { type: string; id: string };
  branchId?: string | null;
  outcome?: 'success' | 'failure';
  detail?: Record<string, unknown>;
}

/**
 * Appends an event to the hash chain inside the caller's transaction, so that the event and the
 * change it records commit or roll back together.
 */
export async function recordAudit(trx: Executor, actor: AuditActor, input: AuditEventInput, now = new Date()): Promise<void> {
  await lockAuditChain(trx);
  const head = await findChainHead(trx);
  const record: AuditRecord = {
    seq: (head?.seq ?? 0) + 1,
    id: newId(now.getTime()),
    occurredAt: now.toISOString(),
    actorId: actor.id,
    actorUsername: actor.username,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    branchId: input.branchId ?? null,
    ip: actor.ip ?? null,
    outcome: input.outcome ?? 'success',
    detail: JSON.stringify(input.detail ?? {}),
  };
  const prevHash = head?.hash ?? GENESIS_HASH;
  await insertAuditEvent(trx, {
    seq: record.seq,
    id: record.id,
    occurred_at: record.occurredAt,
    actor_id: record.actorId,
    actor_username: record.actorUsername,
    action: record.action,
    target_type: record.targetType,
    target_id: record.targetId,
    branch_id: record.branchId,
    ip: record.ip,
    outcome: record.outcome,
    detail: record.detail,
    prev_hash: prevHash,
    hash: chainHash(prevHash, record),
  });
}

/** Recomputes the whole chain (API.md: `{ ok, checked, firstBrokenId }`). */
export async function verifyAuditChain(db: Executor): Promise<VerifyResult> {
  async function* records() {
    for await (const r of streamAuditChain(db)) {
      yield {
        seq: Number(r.seq),
        id: r.id,
        occurredAt: r.occurred_at,
        actorId: r.actor_id,
        actorUsername: r.actor_username,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        branchId: r.branch_id,
        ip: r.ip,
        outcome: r.outcome,
        detail: r.detail,
        prevHash: r.prev_hash,
        hash: r.hash,
      };
    }
  }
  return verifyChain(records());
}
