import { hasPermission, type Permission, ROLES, seesAllBranches } from '../../../src/domain/roles';
import type { Role } from '../api/types';

export type { Permission };
// The server's role table is the one source of truth for what each role may do; it is pure data.
export { hasPermission, ROLES };

/** True when a user with these roles may open a page guarded by the permission (null: everyone). */
export function canSee(roles: readonly Role[], permission: Permission | null): boolean {
  return permission === null || hasPermission(roles, permission);
}

/**
 * True when the reader reaches the lead behind any case they may open: the branch's supervisors
 * and the head office's inspectors. Other staff reach only the leads they reported or were asked
 * to check, which a case does not tell, so their pages neither ask for the lead nor link to it.
 */
export function readsLeadsOfCases(roles: readonly Role[]): boolean {
  return hasPermission(roles, 'lead.read') && (hasPermission(roles, 'lead.verify') || seesAllBranches(roles));
}
