import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SERVICE_CATALOGUE, SERVICE_CODES, validateServiceDetails, waiverInForce } from './service-catalogue.js';

const relief = {
  accountId: 'ACC-1',
  feeType: 'account_management',
  kind: 'percent',
  percent: 50,
  validFrom: '2026-12-01',
  validUntil: '2027-05-31',
};

describe('the service catalogue', () => {
  it('P4.1.1 P4.2.1 P4.3.1 P4.4.1 P4.5.1 should hold every service of the policy, each with both handling times', () => {
    expect(SERVICE_CATALOGUE.map((d) => d.code)).toEqual([...SERVICE_CODES]);
    for (const d of SERVICE_CATALOGUE) {
      expect(d.priorityHours, d.code).toBeGreaterThan(0);
      // P6.2.2: the priority time is the shorter, so the gain is measurable.
      expect(d.priorityHours, d.code).toBeLessThanOrEqual(d.standardHours);
    }
  });

  it('P6.1.1 should ask critical-illness customers for no more documents than the standard list, and fewer overall', () => {
    let fewer = 0;
    for (const d of SERVICE_CATALOGUE) {
      const standard = new Set(d.documentsStandard.map((x) => x.code));
      expect(d.documentsReduced.length, d.code).toBeLessThanOrEqual(d.documentsStandard.length);
      for (const x of d.documentsReduced)
        if (x.code !== 'home_visit_consent') expect(standard.has(x.code), `${d.code} ${x.code}`).toBe(true);
      if (d.documentsReduced.length < d.documentsStandard.length) fewer += 1;
    }
    expect(fewer).toBeGreaterThanOrEqual(10);
  });
});

describe('request details', () => {
  it('P4.2.1 should take fee relief as a percent, an amount or the whole fee, within forward validity dates', () => {
    expect(validateServiceDetails('fee_relief', relief)).toEqual([]);
    expect(validateServiceDetails('fee_relief', { ...relief, kind: 'full', percent: undefined })).toEqual([]);
    expect(validateServiceDetails('fee_relief', { ...relief, kind: 'amount', percent: undefined, amountMinor: 1500 })).toEqual([]);
    const mixed = validateServiceDetails('fee_relief', { ...relief, kind: 'amount' });
    expect(mixed).toHaveLength(2);
    expect(mixed).toEqual(
      expect.arrayContaining([
        { path: 'amountMinor', reason: 'required' },
        { path: 'percent', reason: 'not_allowed' },
      ]),
    );
    expect(validateServiceDetails('fee_relief', { ...relief, percent: 100 })).toEqual([{ path: 'percent', reason: 'range' }]);
    expect(validateServiceDetails('fee_relief', { ...relief, validUntil: '2026-11-30' })).toEqual([
      { path: 'validUntil', reason: 'order' },
    ]);
    expect(validateServiceDetails('fee_relief', { ...relief, validFrom: '2026-02-30' })).toEqual([
      { path: 'validFrom', reason: 'invalid' },
    ]);
    expect(validateServiceDetails('fee_relief', { ...relief, extra: 1 })).toEqual([{ path: 'extra', reason: 'not_allowed' }]);
  });

  it('P4.3.1 should take a re-plan as moves out of holdings into conservative risk levels', () => {
    const moves = [{ holdingId: 'H1', amountMinor: 100_000_00, toRiskLevel: 'R1' }];
    expect(validateServiceDetails('wealth_replan', { moves, rationale: '降低风险' })).toEqual([]);
    expect(validateServiceDetails('wealth_replan', { moves: [{ ...moves[0], toRiskLevel: 'R5' }], rationale: 'x' })).toEqual([
      { path: 'moves.0.toRiskLevel', reason: 'invalid' },
    ]);
  });

  it('should never throw on any details, for any type (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SERVICE_CODES), fc.dictionary(fc.string({ maxLength: 12 }), fc.anything()), (code, details) => {
        expect(Array.isArray(validateServiceDetails(code, details))).toBe(true);
      }),
    );
  });
});

describe('fee waivers in force', () => {
  it('P4.2.1 should be in force from the first to the last day, and not after the case closed', () => {
    const w = { validFrom: '2026-12-01', validUntil: '2027-05-31' };
    expect(waiverInForce(w, '2026-11-30')).toBe(false);
    expect(waiverInForce(w, '2026-12-01')).toBe(true);
    expect(waiverInForce(w, '2027-05-31')).toBe(true);
    expect(waiverInForce(w, '2027-06-01')).toBe(false);
    expect(waiverInForce({ ...w, endedOn: '2027-01-15' }, '2027-01-15')).toBe(true);
    expect(waiverInForce({ ...w, endedOn: '2027-01-15' }, '2027-01-16')).toBe(false);
  });
});
