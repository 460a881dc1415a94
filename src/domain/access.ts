import type { Role } from './roles.js';

/** How much of a case a reader sees: everything, the non-sensitive sections, or nothing (404). */
export type CaseAccess = 'full' | 'basic' | 'none';

/** Why a reader who could otherwise see the sensitive sections does not. */
export type Restriction = 'no_agreement' | 'not_entitled';

/** The minimum length of an inspector's stated reason for opening a case's sensitive sections. */
export const INSPECTOR_REASON_MIN = 5;
/** The minimum length of a break-glass reason (P5.4.1). */
export const BREAK_GLASS_REASON_MIN = 20;

/** What the rule needs to know about the reader. */
export interface AccessReader {
  id: string;
  roles: readonly Role[];
  branchId: string;
  /** False when the reader has no valid confidentiality agreement on file (P5.4.2). */
  agreementValid?: boolean;
}

/** What the rule needs to know about the case and the reader's relation to it. */
export interface AccessFacts {
  caseBranchId: string;
  /** The reader is an active (not removed) member of the case's team. */
  onTeam: boolean;
  /** The reader is the file's designated maintainer (P5.3.2), named by a supervisor of the branch. */
  maintainer: boolean;
  /** The reader holds a break-glass grant for this case that has not expired. */
  breakGlass: boolean;
  /** The reason an inspector states with the request, if any. */
  reason?: string;
}

/** The verdict: the access level and, when the sensitive sections are withheld, why. */
export interface AccessDecision {
  access: CaseAccess;
  restricted?: Restriction;
}

const CASE_WORKER_ROLES: readonly Role[] = [
  'customer_manager',
  'wealth_manager',
  'risk_officer',
  'operations',
  'service_agent',
  'supervisor',
];

/**
 * Need-to-know (P1.3.2, P5.4.1; docs/access.md): full for the case's active team (and its file's maintainer), the supervisors
 * of its branch, inspectors who state a reason and holders of a valid break-glass grant; basic for
 * the other case workers of the branch; none for everyone else. Without a valid confidentiality
 * agreement (P5.4.2) full becomes basic. The file's designated maintainer (P5.3.2) counts as the team.
 */
export function caseAccess(reader: AccessReader, facts: AccessFacts): AccessDecision {
  const sameBranch = reader.branchId === facts.caseBranchId;
  const inspector = reader.roles.includes('inspector');
  const supervisor = sameBranch && reader.roles.includes('supervisor');
  const inspecting = inspector && (facts.reason ?? '').trim().length >= INSPECTOR_REASON_MIN;
  const full = facts.onTeam || (sameBranch && facts.maintainer) || supervisor || inspecting || facts.breakGlass;
  const seesCase = full || inspector || (sameBranch && reader.roles.some((r) => CASE_WORKER_ROLES.includes(r)));
  if (!seesCase) return { access: 'none' };
  if (full && reader.agreementValid === false) return { access: 'basic', restricted: 'no_agreement' };
  return full ? { access: 'full' } : { access: 'basic', restricted: 'not_entitled' };
}

/** True when the reader may ask for break-glass access: a case worker or inspector who sees the case but not its sensitive sections. */
export function mayBreakGlass(reader: AccessReader, decision: AccessDecision): boolean {
  const eligible = reader.roles.includes('inspector') || reader.roles.some((r) => CASE_WORKER_ROLES.includes(r));
  return eligible && reader.agreementValid !== false && decision.access === 'basic' && decision.restricted === 'not_entitled';
}

/** The end of a break-glass grant given at `from` for `hours`. */
export function breakGlassExpiry(from: Date, hours: number): Date {
  return new Date(from.getTime() + hours * 3_600_000);
}

/** True while a grant is in force at `now`. */
export function grantInForce(grant: { expiresAt: string }, now: Date): boolean {
  return Date.parse(grant.expiresAt) > now.getTime();
}

/** True when an agreement signed and expiring on these days (YYYY-MM-DD) is valid on `today`. */
export function agreementValidOn(agreement: { signedOn: string; expiresOn: string }, today: string): boolean {
  return agreement.signedOn <= today && today <= agreement.expiresOn;
}
