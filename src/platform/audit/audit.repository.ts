import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import { isPostgres } from '../db/dialect.js';
import type { AuditEventTable } from '../db/tables/platform.js';

// Any constant works; it only has to be the same for every writer of the chain.
const AUDIT_LOCK_KEY = 7_301_173;

/** Serialises appends to the chain until the transaction ends (SQLite already has one writer). */
export async function lockAuditChain(trx: Executor): Promise<void> {
  if (isPostgres(trx)) await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
}

/** The newest event's sequence number and hash, or null for an empty chain. */
export async function findChainHead(trx: Executor): Promise<{ seq: number; hash: string } | null> {
  const row = await trx.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row ?? null;
}

export async function insertAuditEvent(trx: Executor, row: AuditEventTable): Promise<void> {
  await trx.insertInto('audit_events').values(row).execute();
}

/** Filters of the audit event list. */
export interface AuditQuery {
  afterSeq?: number;
  beforeSeq?: number;
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
  limit: number;
}

/** Events newest first, filtered; `beforeSeq` pages backwards. */
export async function listAuditEvents(db: Executor, q: AuditQuery): Promise<AuditEventTable[]> {
  let query = db.selectFrom('audit_events').selectAll();
  if (q.beforeSeq !== undefined) query = query.where('seq', '<', q.beforeSeq);
  if (q.actorId) query = query.where('actor_id', '=', q.actorId);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.targetType) query = query.where('target_type', '=', q.targetType);
  if (q.targetId) query = query.where('target_id', '=', q.targetId);
  if (q.from) query = query.where('occurred_at', '>=', q.from);
  if (q.to) query = query.where('occurred_at', '<', q.to);
  return query.orderBy('seq', 'desc').limit(q.limit).execute();
}

/** Reads the whole chain in sequence order, a page at a time, in constant memory. */
export async function* streamAuditChain(db: Executor, pageSize = 2_000): AsyncGenerator<AuditEventTable> {
  let after = -1;
  for (;;) {
    const page = await db.selectFrom('audit_events').selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
    for (const row of page) yield row;
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    after = last.seq;
  }
}

/** The event at one sequence number, for checking an exported head hash. */
export async function findAuditEventBySeq(db: Executor, seq: number): Promise<{ id: string; hash: string } | null> {
  const row = await db.selectFrom('audit_events').select(['id', 'hash']).where('seq', '=', seq).executeTakeFirst();
  return row ?? null;
}
