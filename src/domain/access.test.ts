import { describe, expect, it } from 'vitest';
import {
  type AccessFacts,
  type AccessReader,
  agreementValidOn,
  breakGlassExpiry,
  caseAccess,
  grantInForce,
  mayBreakGlass,
} from './access.js';
import type { Role } from './roles.js';

const reader = (roles: Role[], branchId = 'east', agreementValid = true): AccessReader => ({ id: 'r1', roles, branchId, agreementValid });
const facts = (over: Partial<AccessFacts> = {}): AccessFacts => ({
  caseBranchId: 'east',
  onTeam: false,
  maintainer: false,
  breakGlass: false,
  ...over,
});

describe('caseAccess', () => {
  it('should give the active team full access', () => {
    expect(caseAccess(reader(['customer_manager']), facts({ onTeam: true }))).toEqual({ access: 'full' });
  });

  it('P1.3.2 should give other case workers of the branch basic access only', () => {
    expect(caseAccess(reader(['wealth_manager']), facts())).toEqual({ access: 'basic', restricted: 'not_entitled' });
  });

  it('should give the branch’s supervisors full access and other branches’ none', () => {
    expect(caseAccess(reader(['supervisor']), facts()).access).toBe('full');
    expect(caseAccess(reader(['supervisor'], 'west'), facts()).access).toBe('none');
    expect(caseAccess(reader(['customer_manager'], 'west'), facts()).access).toBe('none');
  });

  it('should give inspectors full access only with a reason', () => {
    expect(caseAccess(reader(['inspector'], 'hq'), facts())).toEqual({ access: 'basic', restricted: 'not_entitled' });
    expect(caseAccess(reader(['inspector'], 'hq'), facts({ reason: 'abc' })).access).toBe('basic');
    expect(caseAccess(reader(['inspector'], 'hq'), facts({ reason: '季度质检抽查' })).access).toBe('full');
  });

  it('should give a break-glass grant full access', () => {
    expect(caseAccess(reader(['service_agent']), facts({ breakGlass: true })).access).toBe('full');
  });

  it('should count the file’s maintainer of the branch as entitled', () => {
    expect(caseAccess(reader(['operations']), facts({ maintainer: true })).access).toBe('full');
  });

  it('should withhold the sensitive sections without a valid agreement', () => {
    expect(caseAccess(reader(['supervisor'], 'east', false), facts())).toEqual({ access: 'basic', restricted: 'no_agreement' });
  });

  it('should give staff and admins without case roles nothing', () => {
    expect(caseAccess(reader(['staff']), facts()).access).toBe('none');
    expect(caseAccess(reader(['admin'], 'hq'), facts()).access).toBe('none');
  });

  it('should let only the not entitled break the glass', () => {
    const r = reader(['customer_manager']);
    expect(mayBreakGlass(r, caseAccess(r, facts()))).toBe(true);
    expect(mayBreakGlass(r, caseAccess(r, facts({ onTeam: true })))).toBe(false);
    const noAgreement = reader(['customer_manager'], 'east', false);
    expect(mayBreakGlass(noAgreement, caseAccess(noAgreement, facts()))).toBe(false);
  });
});

describe('grants and agreements', () => {
  it('should expire a grant after its hours', () => {
    const from = new Date('2026-11-28T09:00:00Z');
    const expiresAt = breakGlassExpiry(from, 4).toISOString();
    expect(expiresAt).toBe('2026-11-28T13:00:00.000Z');
    expect(grantInForce({ expiresAt }, new Date('2026-11-28T12:59:59Z'))).toBe(true);
    expect(grantInForce({ expiresAt }, new Date('2026-11-28T13:00:00Z'))).toBe(false);
  });

  it('should hold an agreement valid from its signing day to its expiry day', () => {
    const a = { signedOn: '2026-01-01', expiresOn: '2026-12-31' };
    expect(agreementValidOn(a, '2026-01-01')).toBe(true);
    expect(agreementValidOn(a, '2026-12-31')).toBe(true);
    expect(agreementValidOn(a, '2027-01-01')).toBe(false);
    expect(agreementValidOn(a, '2025-12-31')).toBe(false);
  });
});
