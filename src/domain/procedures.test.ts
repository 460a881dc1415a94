import { describe, expect, it } from 'vitest';
import {
  checkProcedure,
  defaultProcedures,
  MAKER_CHECKER_TYPES,
  mayCompleteStep,
  openSteps,
  type ProcedureStep,
  procedureComplete,
  versionInForce,
} from './procedures.js';
import { SERVICE_CODES } from './service-catalogue.js';

const steps: ProcedureStep[] = [
  { code: 'enter', zh: '录入', en: 'Enter', role: 'operations', control: false, checks: null },
  { code: 'check', zh: '复核', en: 'Check', role: 'operations', control: true, checks: 'enter' },
];
const ops = (id: string) => ({ id, roles: ['operations' as const] });

describe('procedures', () => {
  it('P7.3.1 should give every catalogue type a valid default procedure, with a maker–checker control for money and identity types', () => {
    const all = defaultProcedures();
    expect(all.map((p) => p.typeCode)).toEqual([...SERVICE_CODES]);
    for (const p of all) {
      expect(checkProcedure(p.steps), p.typeCode).toEqual([]);
      expect(
        p.steps.some((s) => s.control),
        p.typeCode,
      ).toBe(MAKER_CHECKER_TYPES.includes(p.typeCode));
    }
  });

  it('P7.3.1 should let only a holder of the step’s role complete it', () => {
    expect(mayCompleteStep(steps, [], 'enter', { id: 'a', roles: ['customer_manager'] })).toEqual({ ok: false, reason: 'wrong_role' });
    expect(mayCompleteStep(steps, [], 'enter', ops('a'))).toEqual({ ok: true });
  });

  it('P7.3.1 should refuse the control step to the staff member who completed the step it checks', () => {
    const done = [{ code: 'enter', by: 'a' }];
    expect(mayCompleteStep(steps, done, 'check', ops('a'))).toEqual({ ok: false, reason: 'same_as_maker' });
    expect(mayCompleteStep(steps, done, 'check', ops('b'))).toEqual({ ok: true });
  });

  it('P7.3.1 should take the steps in order, once each, and refuse unknown steps', () => {
    expect(mayCompleteStep(steps, [], 'check', ops('b'))).toEqual({ ok: false, reason: 'out_of_order' });
    expect(mayCompleteStep(steps, [{ code: 'enter', by: 'a' }], 'enter', ops('a'))).toEqual({ ok: false, reason: 'already_done' });
    expect(mayCompleteStep(steps, [], 'nope', ops('a'))).toEqual({ ok: false, reason: 'unknown_step' });
  });

  it('P7.3.1 should let the request complete only when every step is done', () => {
    expect(procedureComplete(steps, [])).toBe(false);
    expect(procedureComplete(steps, [{ code: 'enter', by: 'a' }])).toBe(false);
    expect(openSteps(steps, [{ code: 'enter', by: 'a' }]).map((s) => s.code)).toEqual(['check']);
    expect(
      procedureComplete(steps, [
        { code: 'enter', by: 'a' },
        { code: 'check', by: 'b' },
      ]),
    ).toBe(true);
  });

  it('P7.3.1 should refuse a procedure whose control step checks no earlier maker step, or with duplicate codes', () => {
    expect(checkProcedure([])).toEqual([{ path: 'steps', reason: 'too_small' }]);
    expect(checkProcedure([steps[1] as ProcedureStep, steps[0] as ProcedureStep]).map((p) => p.path)).toEqual(['steps.0.checks']);
    expect(checkProcedure([steps[0] as ProcedureStep, steps[0] as ProcedureStep]).map((p) => p.reason)).toEqual(['not_allowed']);
    expect(checkProcedure([{ ...(steps[0] as ProcedureStep), checks: 'x' }]).map((p) => p.path)).toEqual(['steps.0.checks']);
    expect(checkProcedure([{ ...(steps[0] as ProcedureStep), code: 'Bad Code' }]).map((p) => p.reason)).toEqual(['invalid_format']);
  });

  it('P7.3.1 should keep a request on the version in force when it was made', () => {
    const versions = [
      { version: 1, publishedAt: '2026-01-01T00:00:00.000Z' },
      { version: 2, publishedAt: '2026-06-01T00:00:00.000Z' },
    ];
    expect(versionInForce(versions, '2025-12-31T23:59:59.999Z')).toBeUndefined();
    expect(versionInForce(versions, '2026-03-01T00:00:00.000Z')?.version).toBe(1);
    expect(versionInForce(versions, '2026-06-01T00:00:00.000Z')?.version).toBe(2);
  });
});
