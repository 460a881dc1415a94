import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from './case-rules.js';
import {
  contactReachedCustomer,
  dutiesOfRole,
  earlierDue,
  followUpAfterService,
  isContactDuty,
  nextDutyDue,
  RECURRING_KINDS,
  roleOfKind,
  TASK_DUE_SOON_DAYS,
  taskDueState,
} from './duties.js';
import { TEAM_ROLES } from './roles.js';

const INTERVALS = { contactDays: 14, wealthReviewDays: 90, riskReviewDays: 30, followUpDays: 30 };
const day = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('duties', () => {
  it('should give each team role its recurring duties with the configured intervals', () => {
    expect(dutiesOfRole('customer_manager', INTERVALS)).toEqual([{ kind: 'contact', intervalDays: 14 }]);
    expect(dutiesOfRole('wealth_manager', INTERVALS)).toEqual([{ kind: 'wealth_review', intervalDays: 90 }]);
    expect(dutiesOfRole('risk_officer', INTERVALS)).toEqual([{ kind: 'risk_review', intervalDays: 30 }]);
    expect(dutiesOfRole('service_agent', INTERVALS)).toEqual([{ kind: 'follow_up_call', intervalDays: 30 }]);
    expect(dutiesOfRole('operations', INTERVALS)).toEqual([]);
  });

  it('should map every recurring kind back to the role that carries it', () => {
    for (const kind of RECURRING_KINDS) {
      expect(dutiesOfRole(roleOfKind(kind), INTERVALS).map((d) => d.kind)).toContain(kind);
    }
    for (const role of TEAM_ROLES) for (const d of dutiesOfRole(role, INTERVALS)) expect(roleOfKind(d.kind)).toBe(role);
  });

  it('should date the next duty from the last time it was done, else from the start', () => {
    expect(nextDutyDue({ lastDoneOn: null, startOn: '2026-11-28', intervalDays: 14 })).toBe('2026-12-12');
    expect(nextDutyDue({ lastDoneOn: '2026-12-30', startOn: '2026-11-28', intervalDays: 14 })).toBe('2027-01-13');
    expect(nextDutyDue({ lastDoneOn: '2028-02-15', startOn: '2026-01-01', intervalDays: 14 })).toBe('2028-02-29');
  });

  it('should put the next duty exactly interval days after its base (property)', () => {
    fc.assert(
      fc.property(fc.option(day, { nil: null }), day, fc.integer({ min: 1, max: 365 }), (lastDoneOn, startOn, intervalDays) => {
        const due = nextDutyDue({ lastDoneOn, startOn, intervalDays });
        expect(daysBetween(lastDoneOn ?? startOn, due)).toBe(intervalDays);
        expect(due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }),
    );
  });

  it('should date the follow-up call after a service and never bring a task later (property)', () => {
    expect(followUpAfterService('2026-12-31', 3)).toBe('2027-01-03');
    fc.assert(
      fc.property(day, day, (a, b) => {
        const e = earlierDue(a, b);
        expect([a, b]).toContain(e);
        expect(daysBetween(e, a)).toBeGreaterThanOrEqual(0);
        expect(daysBetween(e, b)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('should classify due dates as overdue, due or upcoming around today (property)', () => {
    expect(taskDueState('2026-11-27', '2026-11-28')).toBe('overdue');
    expect(taskDueState('2026-11-28', '2026-11-28')).toBe('due');
    expect(taskDueState(addDays('2026-11-28', TASK_DUE_SOON_DAYS), '2026-11-28')).toBe('due');
    expect(taskDueState(addDays('2026-11-28', TASK_DUE_SOON_DAYS + 1), '2026-11-28')).toBe('upcoming');
    fc.assert(
      fc.property(day, fc.integer({ min: -400, max: 400 }), (today, offset) => {
        const state = taskDueState(addDays(today, offset), today);
        expect(state).toBe(offset < 0 ? 'overdue' : offset <= TASK_DUE_SOON_DAYS ? 'due' : 'upcoming');
      }),
    );
  });
});

describe('contact duties', () => {
  it('P3.2.1 should count a contact only when it reached the customer', () => {
    expect(contactReachedCustomer('reached')).toBe(true);
    expect(contactReachedCustomer('need_raised')).toBe(true);
    expect(contactReachedCustomer('follow_up_needed')).toBe(true);
    expect(contactReachedCustomer('not_reached')).toBe(false);
    expect(contactReachedCustomer('anything else')).toBe(false);
  });

  it('P3.2.5 should make the regular contact and the follow-up call the duties done by a contact', () => {
    expect(RECURRING_KINDS.filter(isContactDuty)).toEqual(['contact', 'follow_up_call']);
    expect(isContactDuty('ad_hoc')).toBe(false);
  });
});
