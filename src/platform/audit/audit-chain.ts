import { createHash } from 'node:crypto';

/** The fields of an audit event that its hash covers. */
export interface AuditRecord {
  seq: number;
  id: string;
  occurredAt: string;
  actorId: string | null;
  actorUsername: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  branchId: string | null;
  ip: string | null;
  outcome: 'success' | 'failure';
  detail: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The canonical text of an event: fixed key order, so the same event always hashes the same. */
export function canonicalEvent(e: AuditRecord): string {
  return JSON.stringify([
    e.seq,
    e.id,
    e.occurredAt,
    e.actorId,
    e.actorUsername,
    e.action,
    e.targetType,
    e.targetId,
    e.branchId,
    e.ip,
    e.outcome,
    e.detail,
  ]);
}

/** hash = SHA-256(prev_hash || canonical event), as DESIGN.md fixes it. */
export function chainHash(prevHash: string, e: AuditRecord): string {
  return createHash('sha256').update(prevHash).update(canonicalEvent(e)).digest('hex');
}

/** The outcome of checking the chain (API.md "Audit"). */
export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
}

/**
 * Checks stored events in sequence order: an edited event no longer matches its hash, a deleted
 * or reordered one breaks the link to its predecessor or the sequence.
 */
export async function verifyChain(events: AsyncIterable<AuditRecord & { prevHash: string; hash: string }>): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let lastSeq = 0;
  let checked = 0;
  for await (const e of events) {
    checked += 1;
    const linked = e.prevHash === prev && e.seq > lastSeq;
    if (!linked || chainHash(prev, e) !== e.hash) return { ok: false, checked, firstBrokenId: e.id };
    prev = e.hash;
    lastSeq = e.seq;
  }
  return { ok: true, checked, firstBrokenId: null };
}
