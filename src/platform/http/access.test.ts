import { describe, expect, it } from 'vitest';
import type { Role } from '../../domain/roles.js';
import { branchScope, canSeeBranch, visibleInBranch } from './access.js';
import type { Actor } from './context.js';
import { AppError } from './errors.js';

const actor = (roles: Role[], branchId = 'br-east'): Actor => ({
  id: 's1',
  username: 'u',
  displayName: 'U',
  roles,
  branchId,
  sessionId: 'x',
  sessionStage: 'full',
  mustChangePassword: false,
  ip: '127.0.0.1',
});

describe('branch scoping', () => {
  it('should limit branch staff to their own branch', () => {
    expect(branchScope(actor(['customer_manager']))).toBe('br-east');
    expect(canSeeBranch(actor(['supervisor']), 'br-west')).toBe(false);
    expect(canSeeBranch(actor(['supervisor']), 'br-east')).toBe(true);
  });

  it('should let inspectors see every branch', () => {
    expect(branchScope(actor(['inspector'], 'br-hq'))).toBeUndefined();
    expect(canSeeBranch(actor(['inspector'], 'br-hq'), 'br-west')).toBe(true);
  });

  it('should answer "not found" for another branch’s record and for a missing one alike', () => {
    const cm = actor(['customer_manager']);
    const west = { id: 'c1', branch_id: 'br-west' };
    const fail = (r: typeof west | undefined) => {
      try {
        visibleInBranch(cm, r, 'customer');
        return null;
      } catch (e) {
        return e instanceof AppError ? [e.code, e.message] : e;
      }
    };
    expect(fail(west)).toEqual(fail(undefined));
    expect(fail(west)).toEqual(['NOT_FOUND', 'no such customer']);
    expect(visibleInBranch(cm, { id: 'c2', branch_id: 'br-east' }, 'customer').id).toBe('c2');
  });
});
