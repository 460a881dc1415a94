import { createHash } from 'node:crypto';
import { renderServiceSummary, type SummaryLocale } from '../../domain/service-summary.js';
import type { Executor } from '../../platform/db/database.js';
import type { ServiceRequestTable } from '../../platform/db/tables/services.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError, deniedAsNotFound } from '../../platform/http/errors.js';
import { type CaseFacts, type CaseVerdict, caseFactsByIds, caseForAccess } from '../case-access/case-access.service.js';
import { customerAccounts, customerHoldings } from '../customers/customers.service.js';
import { type ServiceType, serviceType } from './catalogue.service.js';
import { detailsOf } from './requests.service.js';
import { documentsOf, findRequest } from './services.repository.js';

// Who may open or work on a request's documents and signatures, its checklist, and the summary a
// customer signs (P6.1.1, P6.1.2): shared by documents.service.ts and signatures.service.ts.

const CLOSED: readonly ServiceRequestTable['status'][] = ['rejected', 'completed', 'cancelled'];

/** A request and its case with the reader's need-to-know verdict; a request of a case the reader may not see is a 404. */
export async function requestWithCase(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
): Promise<{ r: ServiceRequestTable; facts: CaseFacts; decision: CaseVerdict }> {
  const r = await findRequest(db, id);
  if (!r) throw new AppError('NOT_FOUND', 'no such service request');
  try {
    return { r, ...(await caseForAccess(ctx, db, actor, r.case_id)) };
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw deniedAsNotFound('service_request', id);
    throw err;
  }
}

/** A request a reader may open in full: the case's team, its branch's supervisors, the entitled (403 for the rest of the branch). */
export async function requestInFull(ctx: AppContext, db: Executor, actor: Actor, id: string) {
  const found = await requestWithCase(ctx, db, actor, id);
  if (found.decision.access !== 'full') {
    if (found.decision.restricted === 'no_agreement') throw new AppError('AGREEMENT_REQUIRED');
    throw new AppError('FORBIDDEN', 'only the case’s entitled readers open its documents and signatures');
  }
  return found;
}

/** A request to work on: opened in full by one who may work on services, on an active case, and still open. */
export async function requestToWorkOn(ctx: AppContext, db: Executor, actor: Actor, id: string) {
  const found = await requestInFull(ctx, db, actor, id);
  if (found.facts.status !== 'active') throw new AppError('CONFLICT', `the case is ${found.facts.status}`);
  if (CLOSED.includes(found.r.status)) throw new AppError('CONFLICT', `the request is ${found.r.status}`);
  return found;
}

/**
 * The checklist of a request (P6.1.1): the type's reduced list for a registered customer, the
 * standard one otherwise. A request is always made on a case, so its customer is registered and
 * the reduced list applies; the parameter keeps the rule visible for the day that changes.
 */
export function checklistOf(t: ServiceType, registered: boolean) {
  return registered ? t.documentsReduced : t.documentsStandard;
}

/** The checklist with its ticks, as the summary renders it (provided = ticked). */
export async function checklistWithTicks(db: Executor, r: ServiceRequestTable) {
  const t = await serviceType(db, r.type_code);
  const docs = await documentsOf(db, r.id);
  return { t, docs, items: checklistOf(t, true).map((d) => ({ ...d, doc: docs.find((x) => x.item_code === d.code) })) };
}

/** The summary of a request as it is now, in a language, with its SHA-256 (hex) (P6.1.2). */
export async function currentSummary(db: Executor, r: ServiceRequestTable, locale: SummaryLocale) {
  const { t, items } = await checklistWithTicks(db, r);
  const [facts] = await caseFactsByIds(db, [r.case_id]);
  const text = renderServiceSummary(
    {
      typeName: { zh: t.nameZh, en: t.nameEn },
      customerName: facts?.customerName ?? '',
      caseNumber: facts?.caseNumber ?? '',
      requestedAt: r.requested_at,
      details: await readableDetails(db, r.customer_id, detailsOf(r)),
      documents: items.map((i) => ({ zh: i.zh, en: i.en, provided: i.doc !== undefined })),
    },
    locale,
  );
  return { locale, text, sha256: sha256Hex(text) };
}

/**
 * The details as the customer reads them: an account by its number and a holding by its product,
 * never the system's ids (the customer signs what they recognise).
 */
async function readableDetails(db: Executor, customerId: string, details: Record<string, unknown>): Promise<Record<string, unknown>> {
  const out = { ...details };
  if (typeof details.accountId === 'string') {
    const account = (await customerAccounts(db, customerId)).find((a) => a.id === details.accountId);
    if (account) out.accountId = account.accountNumber;
  }
  if (Array.isArray(details.moves)) {
    const holdings = new Map((await customerHoldings(db, customerId)).map((h) => [h.id, h.productName]));
    out.moves = details.moves.map((m: unknown) =>
      typeof m === 'object' && m !== null && 'holdingId' in m && typeof m.holdingId === 'string'
        ? { ...m, holdingId: holdings.get(m.holdingId) ?? m.holdingId }
        : m,
    );
  }
  return out;
}

/** The SHA-256 of a text's UTF-8 bytes, in hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A request by its id, without a reader (a system with an API key records a booking on it); undefined if there is none. */
export async function serviceRequestById(db: Executor, id: string): Promise<ServiceRequestTable | undefined> {
  return findRequest(db, id);
}
