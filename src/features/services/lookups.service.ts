import { waiverInForce } from '../../domain/service-catalogue.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import type { Db, Executor } from '../../platform/db/database.js';
import { ReadCache } from '../../platform/db/read-cache.js';
import { type Actor, type AppContext, bankDay } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { activeCaseForCustomer, caseForAccess } from '../case-access/case-access.service.js';
import { customerIdByNumber } from '../customers/customers.service.js';
import {
  endWaiversOfCase,
  findAccommodations,
  requestTimings,
  saveAccommodations,
  waiversOfCase,
  waiversOfCustomer,
} from './services.repository.js';
import { ACCOMMODATIONS } from './services.schemas.js';

// What other bank systems read of a customer's care (P4.2.1, P6.2.1), by customer number and API
// key: never a condition, a diagnosis, a case number or a note (docs/services.md).

type Accommodation = (typeof ACCOMMODATIONS)[number];

function codesOf(json: string): Accommodation[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? ACCOMMODATIONS.filter((a) => parsed.includes(a)) : [];
}

/** The waivers in force today for a customer, as core banking applies them (scope `waivers:read`). */
export async function feeWaiversInForce(ctx: AppContext, db: Executor, customerNumber: string) {
  const customerId = await customerIdByNumber(db, customerNumber);
  const today = bankDay(ctx);
  const rows = customerId ? await waiversOfCustomer(db, customerId, today) : [];
  return {
    customerNumber: customerNumber.toUpperCase(),
    items: rows
      .filter((w) => waiverInForce({ validFrom: w.valid_from, validUntil: w.valid_until, endedOn: w.ended_on }, today))
      .map((w) => ({
        accountId: w.account_id,
        feeType: w.fee_type,
        kind: w.kind,
        ...(w.percent !== null ? { percent: Number(w.percent) } : {}),
        ...(w.amount_minor !== null ? { amountMinor: Number(w.amount_minor) } : {}),
        validFrom: w.valid_from,
        validUntil: w.ended_on !== null && w.ended_on < w.valid_until ? w.ended_on : w.valid_until,
      })),
  };
}

/**
 * The branch queue's question (P6.2.1, scope `priority:read`): does this customer go to the
 * priority window, and what does the counter do for them. True while they have an active case.
 * A number the bank does not know is simply not a priority customer.
 */
export async function priorityOf(db: Db, customerNumber: string) {
  let cache = priorityCaches.get(db);
  if (!cache) {
    cache = new ReadCache(PRIORITY_CACHE_MS, PRIORITY_CACHE_ENTRIES);
    priorityCaches.set(db, cache);
  }
  const key = customerNumber.toUpperCase();
  return cache.get(key, () => readPriority(db, key));
}

/**
 * The branch queue asks at every ticket, thousands of times a second across a bank: answers are
 * kept while nothing is written (ReadCache), at most this long, which bounds how late another
 * Lifeline process's change shows.
 */
const PRIORITY_CACHE_MS = 2_000;
const PRIORITY_CACHE_ENTRIES = 20_000;
const priorityCaches = new WeakMap<Db, ReadCache<Priority>>();
type Priority = Awaited<ReturnType<typeof readPriority>>;

async function readPriority(db: Executor, customerNumber: string) {
  const customerId = await customerIdByNumber(db, customerNumber);
  const active = customerId ? await activeCaseForCustomer(db, customerId) : undefined;
  const acc = active ? await findAccommodations(db, active.id) : undefined;
  return {
    customerNumber: customerNumber.toUpperCase(),
    priority: active !== undefined,
    accommodations: active && acc ? codesOf(acc.codes) : [],
  };
}

/** The accommodations recorded on a case. */
export async function caseAccommodations(ctx: AppContext, db: Executor, actor: Actor, caseId: string) {
  const { facts } = await caseForAccess(ctx, db, actor, caseId);
  const acc = await findAccommodations(db, facts.id);
  return { caseId: facts.id, codes: acc ? codesOf(acc.codes) : [], updatedAt: acc?.updated_at ?? null };
}

/** Records what the branch does for the customer at the counter (the case's team and supervisors). */
export async function setAccommodations(ctx: AppContext, db: Executor, actor: Actor, caseId: string, codes: readonly Accommodation[]) {
  const { facts, decision } = await caseForAccess(ctx, db, actor, caseId);
  if (decision.access !== 'full')
    throw new AppError('FORBIDDEN', 'only the case’s team and its branch’s supervisors record its accommodations');
  const at = ctx.now().toISOString();
  await saveAccommodations(db, { case_id: facts.id, codes: JSON.stringify([...new Set(codes)]), updated_at: at, updated_by: actor.id });
  await recordAudit(
    db,
    actor,
    { action: 'case.accommodations_set', target: { type: 'case', id: facts.id }, branchId: facts.branchId, detail: { codes } },
    ctx.now(),
  );
  return caseAccommodations(ctx, db, actor, caseId);
}

/** The waivers of a case, for its page. */
export async function caseWaivers(ctx: AppContext, db: Executor, actor: Actor, caseId: string) {
  const { facts } = await caseForAccess(ctx, db, actor, caseId);
  const today = bankDay(ctx);
  return {
    items: (await waiversOfCase(db, facts.id)).map((w) => ({
      requestId: w.request_id,
      accountId: w.account_id,
      feeType: w.fee_type,
      kind: w.kind,
      percent: w.percent === null ? null : Number(w.percent),
      amountMinor: w.amount_minor === null ? null : Number(w.amount_minor),
      validFrom: w.valid_from,
      validUntil: w.valid_until,
      endedOn: w.ended_on,
      inForce: waiverInForce({ validFrom: w.valid_from, validUntil: w.valid_until, endedOn: w.ended_on }, today),
    })),
  };
}

/**
 * Ends a closing case's waivers on the day its supervisor confirms (P4.2.1: relief lasts while the
 * customer is in the programme). Called by the case file as it closes the case; audited there.
 */
export async function endCaseWaivers(db: Executor, caseId: string, endOn: string): Promise<number> {
  return endWaiversOfCase(db, caseId, endOn);
}

/** The times of the requests open in a period, for the indicators (P8.2.2, P7.1.1); no details, no texts. */
export async function serviceTimingFacts(db: Executor, q: { fromInstant: string; untilInstant: string; branchId: string | null }) {
  return (await requestTimings(db, q)).map((r) => ({
    type: r.type_code,
    status: r.status,
    requestedAt: r.requested_at,
    dueAt: r.due_at,
    decidedAt: r.decided_at,
    completedAt: r.completed_at,
    cancelledAt: r.cancelled_at,
  }));
}
