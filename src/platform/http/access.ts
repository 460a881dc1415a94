import { seesAllBranches } from '../../domain/roles.js';
import type { Actor } from './context.js';
import { AppError, deniedAsNotFound } from './errors.js';

/** The branch an actor's reads are limited to, or undefined for those who see every branch. */
export function branchScope(actor: Actor): string | undefined {
  return seesAllBranches(actor.roles) ? undefined : actor.branchId;
}

/** True when the actor may see records of the branch. */
export function canSeeBranch(actor: Actor, branchId: string): boolean {
  return seesAllBranches(actor.roles) || actor.branchId === branchId;
}

/**
 * Returns the record when the actor may see its branch; otherwise answers 404 "not found", so a
 * record of another branch cannot be told apart from one that does not exist.
 */
export function visibleInBranch<T extends { id: string; branch_id: string }>(actor: Actor, record: T | undefined, what: string): T {
  if (!record) throw new AppError('NOT_FOUND', `no such ${what}`);
  if (!canSeeBranch(actor, record.branch_id)) throw deniedAsNotFound(what, record.id);
  return record;
}
