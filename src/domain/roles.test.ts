import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, hasPermission, requiresMfa, seesAllBranches } from './roles.js';

describe('roles and permissions', () => {
  it('should let every role record a lead (P2.3.1)', () => {
    for (const role of ROLES) expect(hasPermission([role], 'lead.create')).toBe(true);
  });

  it('should keep customer data away from plain staff and admins', () => {
    expect(hasPermission(['staff'], 'customer.read')).toBe(false);
    expect(hasPermission(['admin'], 'customer.read')).toBe(false);
    expect(hasPermission(['staff', 'customer_manager'], 'customer.read')).toBe(true);
  });

  it('should give staff administration to admins only', () => {
    for (const role of ROLES) expect(hasPermission([role], 'staff.admin')).toBe(role === 'admin');
  });

  it('should require a second factor for admin, supervisor and inspector only', () => {
    expect(ROLES.filter((r) => requiresMfa([r]))).toEqual(['supervisor', 'inspector', 'admin']);
  });

  it('P8.1.2 should let only inspectors and admins see every branch', () => {
    expect(ROLES.filter((r) => seesAllBranches([r]))).toEqual(['inspector', 'admin']);
  });

  it('should name only known roles in the permission table', () => {
    for (const roles of Object.values(PERMISSIONS)) for (const r of roles) expect(ROLES).toContain(r);
  });
});
