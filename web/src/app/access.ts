import { hasPermission, type Permission, ROLES } from '../../../src/domain/roles';
import type { Role } from '../api/types';

export type { Permission };
// The server's role table is the one source of truth for what each role may do; it is pure data.
export { hasPermission, ROLES };

/** True when a user with these roles may open a page guarded by the permission (null: everyone). */
export function canSee(roles: readonly Role[], permission: Permission | null): boolean {
  return permission === null || hasPermission(roles, permission);
}
