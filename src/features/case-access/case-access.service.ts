import { type AccessDecision, caseAccess } from '../../domain/access.js';
import type { Executor } from '../../platform/db/database.js';
import type { CaseTable } from '../../platform/db/tables/case-access.js';
import type { CaseTeamMemberTable } from '../../platform/db/tables/case-access.js';
import { visibleInBranch } from '../../platform/http/access.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError, deniedAsNotFound } from '../../platform/http/errors.js';
import { customerRefsByIds } from '../customers/customers.service.js';
import {
  findActiveCaseOfCustomer,
  findActiveCaseRows,
  findCaseRow,
  findCaseRows,
  findGrantInForce,
  insertMember,
  isActiveMember,
  listActiveCaseCustomerIds,
  listActiveCasesWithTeam,
  listActiveMembers,
  listActiveMembersOfCases,
  listActiveMembershipsOf,
  listCaseIdsOfMember,
  markMembersRemoved,
} from './case-access.repository.js';

// "May this person see this case, and how much of it" (docs/access.md): one module below every
// feature that needs the answer. It asks no feature above it.

/** The plain facts of a case that every feature may use once access is decided: nothing sensitive. */
export interface CaseFacts {
  id: string;
  caseNumber: string;
  branchId: string;
  status: 'active' | 'closed' | 'purged';
  customerId: string;
  customerName: string;
  nextUpdateDue: string;
  maintainerId: string | null;
}

/** The need-to-know verdict for one reader, with the break-glass grant that gave it, if any. */
export type CaseVerdict = AccessDecision & { grant?: { id: string; reason: string; expiresAt: string } };

async function factsOf(db: Executor, rows: readonly CaseTable[]): Promise<CaseFacts[]> {
  const customers = await customerRefsByIds(
    db,
    rows.map((c) => c.customer_id),
  );
  return rows.map((c) => ({
    id: c.id,
    caseNumber: c.case_number,
    branchId: c.branch_id,
    status: c.status,
    customerId: c.customer_id,
    customerName: customers.get(c.customer_id)?.name ?? '',
    nextUpdateDue: c.next_update_due,
    maintainerId: c.maintainer_id,
  }));
}

/** The staff member's break-glass grant for the case that is in force now, if any. */
async function breakGlassInForce(ctx: AppContext, db: Executor, caseId: string, staffId: string) {
  const g = await findGrantInForce(db, caseId, staffId, ctx.now().toISOString());
  return g ? { id: g.id, reason: g.reason, expiresAt: g.expires_at } : undefined;
}

/**
 * Need-to-know (domain/access.ts): the team, the branch's supervisors, the file's maintainer,
 * inspectors with a reason and break-glass grants see the sensitive sections. Asked afresh on
 * every request, so a removal from the team counts at once.
 */
export async function verdictFor(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  c: { id: string; branchId: string; maintainerId: string | null },
  reason?: string,
): Promise<CaseVerdict> {
  const grant = await breakGlassInForce(ctx, db, c.id, actor.id);
  const decision = caseAccess(actor, {
    caseBranchId: c.branchId,
    onTeam: await isActiveMember(db, c.id, actor.id),
    maintainer: actor.id === c.maintainerId,
    breakGlass: grant !== undefined,
    reason,
  });
  return { ...decision, ...(grant ? { grant } : {}) };
}

/** The case if the actor may see its branch (404 otherwise), with its need-to-know verdict for the actor. */
export async function caseForAccess(ctx: AppContext, db: Executor, actor: Actor, id: string, reason?: string) {
  const row = visibleInBranch(actor, await findCaseRow(db, id), 'case');
  const [facts] = await factsOf(db, [row]);
  if (!facts) throw new AppError('NOT_FOUND', 'no such case');
  const decision = await verdictFor(ctx, db, actor, facts, reason);
  if (decision.access === 'none') throw deniedAsNotFound('case', facts.id);
  return { facts, decision };
}

const CHUNK = 500;

/** The facts of cases by id, without any access check (the caller has done it); unknown ids are skipped. */
export async function caseFactsByIds(db: Executor, ids: Iterable<string>): Promise<CaseFacts[]> {
  const all = [...new Set(ids)];
  const rows: CaseTable[] = [];
  for (let i = 0; i < all.length; i += CHUNK) rows.push(...(await findCaseRows(db, all.slice(i, i + CHUNK))));
  return factsOf(db, rows);
}

/**
 * The case for work only its team and its branch's supervisors do (its services, discussion,
 * collection): 404 for those who may not see it, 403 with `refusal` for those who see only its
 * plain facts, AGREEMENT_REQUIRED without a confidentiality agreement (P5.4.2).
 */
export async function caseForTeamWork(ctx: AppContext, db: Executor, actor: Actor, caseId: string, refusal: string) {
  const { facts, decision } = await caseForAccess(ctx, db, actor, caseId);
  if (decision.access !== 'full') {
    if (decision.restricted === 'no_agreement') throw new AppError('AGREEMENT_REQUIRED');
    throw new AppError('FORBIDDEN', refusal);
  }
  return facts;
}

/** The active case of a customer, if any (the leads feature links duplicates to it). */
export async function activeCaseForCustomer(db: Executor, customerId: string): Promise<{ id: string; caseNumber: string } | undefined> {
  const row = await findActiveCaseOfCustomer(db, customerId);
  return row ? { id: row.id, caseNumber: row.case_number } : undefined;
}

/** The facts of the active (registered) cases, of one branch or of all, without any access check (the caller has done it). */
export async function activeCaseFacts(db: Executor, branchId?: string): Promise<CaseFacts[]> {
  return factsOf(db, await findActiveCaseRows(db, branchId));
}

/** Customers with an active case, by customer number, with their branch (P7.2: the protected ones). */
export async function activeCaseCustomers(db: Executor): Promise<Map<string, { branchId: string }>> {
  const customers = await customerRefsByIds(db, await listActiveCaseCustomerIds(db));
  return new Map([...customers.values()].map((c) => [c.customerNumber, { branchId: c.branchId }]));
}

// ---------------------------------------------------------------------------------------------
// Team membership (P3.1): read by everyone who routes work, written by the teams feature
// ---------------------------------------------------------------------------------------------

/** A member of a case's service team. */
export interface TeamMember {
  staffId: string;
  role: CaseTeamMemberTable['role'];
  primary: boolean;
}

/** The current service team of a case (P3.1). */
export async function activeTeam(db: Executor, caseId: string): Promise<TeamMember[]> {
  return (await listActiveMembers(db, caseId)).map((m) => ({ staffId: m.staff_id, role: m.role, primary: m.is_primary === 1 }));
}

/** The current teams of several cases, by case id. */
export async function activeTeams(db: Executor, caseIds: readonly string[]): Promise<Map<string, TeamMember[]>> {
  const out = new Map<string, TeamMember[]>();
  for (const m of await listActiveMembersOfCases(db, caseIds)) {
    const team = out.get(m.case_id) ?? [];
    team.push({ staffId: m.staff_id, role: m.role, primary: m.is_primary === 1 });
    out.set(m.case_id, team);
  }
  return out;
}

/** The cases whose team the staff member is on now. */
export async function casesOfMember(db: Executor, staffId: string): Promise<string[]> {
  return listCaseIdsOfMember(db, staffId);
}

/** The active cases that have a team now (the daily duty run). */
export async function activeCasesWithTeam(db: Executor): Promise<string[]> {
  return listActiveCasesWithTeam(db);
}

/** True when the staff member is on the case's team now (asked per request: no caching). */
export async function isOnTeam(db: Executor, caseId: string, staffId: string): Promise<boolean> {
  return isActiveMember(db, caseId, staffId);
}

/** The membership rows of a case's current team, with their assignment data. */
export async function activeMemberships(db: Executor, caseId: string): Promise<CaseTeamMemberTable[]> {
  return listActiveMembers(db, caseId);
}

/** The active memberships of these staff members (the workload view). */
export async function activeMembershipsOf(db: Executor, staffIds: readonly string[]): Promise<CaseTeamMemberTable[]> {
  return listActiveMembershipsOf(db, staffIds);
}

/** Adds a membership row (the teams feature has checked it). */
export async function addMembership(db: Executor, row: CaseTeamMemberTable): Promise<void> {
  await insertMember(db, row);
}

/** Marks memberships removed as of `at`; the rows stay as the team's history. */
export async function endMemberships(db: Executor, ids: readonly string[], at: string, by: string): Promise<void> {
  await markMembersRemoved(db, ids, at, by);
}
