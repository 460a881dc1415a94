import { z } from 'zod';
import { findAuditEventBySeq, findChainHead, listAuditEvents } from '../../platform/audit/audit.repository.js';
import { type AuditActor, recordAudit, verifyAuditChain } from '../../platform/audit/audit.service.js';
import type { Executor } from '../../platform/db/database.js';
import type { AuditEventTable } from '../../platform/db/tables/platform.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import type { AuditListQuery } from './audit.schemas.js';

/** The filters and paging of the audit list, as the query schema parses them. */
export type AuditListFilters = z.output<typeof AuditListQuery>;

function parseDetail(detail: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(detail);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return Object.fromEntries(Object.entries(value));
  } catch {
    // Only an edited row holds anything else; verify will name it, the list still shows it.
  }
  return { unparsed: detail };
}

/** The API view of one stored event. */
export function toAuditEventView(e: AuditEventTable) {
  return {
    id: e.id,
    seq: Number(e.seq),
    occurredAt: e.occurred_at,
    actorId: e.actor_id,
    actorUsername: e.actor_username,
    action: e.action,
    targetType: e.target_type,
    targetId: e.target_id,
    branchId: e.branch_id,
    ip: e.ip,
    outcome: e.outcome,
    detail: parseDetail(e.detail),
  };
}

const AuditCursor = z.object({ s: z.number().int().positive() });

/**
 * A page of events, newest first. Reading the trail is itself recorded (`audit.read`, with the
 * filters), so that who looked at whose activity is on the record too.
 */
export async function pageAuditEvents(db: Executor, actor: AuditActor, q: AuditListFilters, now: Date) {
  const before = decodeCursor(q.cursor, AuditCursor);
  const { limit, cursor: _cursor, ...filters } = q;
  const rows = await listAuditEvents(db, { ...filters, beforeSeq: before?.s, limit: limit + 1 });
  const items = rows.slice(0, limit).map(toAuditEventView);
  const last = items.at(-1);
  await recordAudit(db, actor, { action: 'audit.read', detail: { filters, page: before ? 'next' : 'first', returned: items.length } }, now);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ s: last.seq }) : null };
}

/** A chain position exported from an earlier verification. */
export interface ChainAnchor {
  seq: number;
  hash: string;
}

/** The verification result: API.md's fields, the head to export, and the anchor check. */
export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
  /** The newest verified event; null when the chain is empty or broken. */
  head: ChainAnchor | null;
  /** Whether the anchor is still in the chain unchanged; null without an anchor. */
  anchorMatched: boolean | null;
}

/**
 * Verifies the hash chain and, given an anchor exported earlier, that the event at its sequence
 * number still has its hash: that catches a truncated or wholly recomputed chain, which the chain
 * alone cannot.
 */
export async function verifyAuditTrail(db: Executor, anchor?: ChainAnchor): Promise<AuditVerification> {
  // Read before verifying, so that the verification vouches for it whatever is appended meanwhile.
  const head = await findChainHead(db);
  const chain = await verifyAuditChain(db);
  const anchored = anchor ? await findAuditEventBySeq(db, anchor.seq) : null;
  const anchorMatched = anchor ? anchored?.hash === anchor.hash : null;
  return {
    ok: chain.ok && anchorMatched !== false,
    checked: chain.checked,
    firstBrokenId: chain.firstBrokenId,
    head: chain.ok && head ? { seq: Number(head.seq), hash: head.hash } : null,
    anchorMatched,
  };
}

/** Parses an anchor given as `SEQ:HASH` on the command line; null when it is malformed. */
export function parseAnchor(text: string): ChainAnchor | null {
  const m = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { seq: Number(m[1]), hash: m[2] ?? '' } : null;
}

/** Verifies through the API, and records who ran the check and what it found. */
export async function verifyAndRecord(db: Executor, actor: AuditActor, anchor: ChainAnchor | undefined, now: Date) {
  const result = await verifyAuditTrail(db, anchor);
  await recordAudit(
    db,
    actor,
    {
      action: 'audit.verify',
      outcome: result.ok ? 'success' : 'failure',
      detail: { ok: result.ok, checked: result.checked, firstBrokenId: result.firstBrokenId, anchorMatched: result.anchorMatched },
    },
    now,
  );
  return result;
}
