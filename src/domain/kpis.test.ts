import { describe, expect, it } from 'vitest';
import type { BusinessHours } from './business-hours.js';
import {
  alertContactedWithinTarget,
  ciLoans30dpd,
  dutiesOnTime,
  leadVerifiedOnTime,
  loansRestructured,
  type Period,
  rateKpi,
  type ServiceFact,
  serviceHandlingHoursMedian,
  serviceOverdueRate,
} from './kpis.js';

// November 2026 in Beijing (UTC+8): 2026-10-31T16:00Z to 2026-11-30T16:00Z; computed on 2026-11-20 12:00 local.
const NOV: Period = { fromInstant: '2026-10-31T16:00:00.000Z', untilInstant: '2026-11-30T16:00:00.000Z', asOf: '2026-11-20T04:00:00.000Z' };
const BH: BusinessHours = { openHour: 9, closeHour: 17, offsetMinutes: 480, holidays: new Set() };

const service = (over: Partial<ServiceFact>): ServiceFact => ({
  type: 'fee_relief',
  status: 'completed',
  requestedAt: '2026-11-02T01:00:00.000Z',
  dueAt: '2026-11-04T01:00:00.000Z',
  decidedAt: null,
  completedAt: null,
  cancelledAt: null,
  ...over,
});

describe('indicators (P8.2)', () => {
  it('P8.2 should answer null for a rate with no denominator, never 0', () => {
    expect(rateKpi('service_overdue_rate', 0, 0)).toEqual({
      id: 'service_overdue_rate',
      value: null,
      numerator: 0,
      denominator: 0,
      unit: 'ratio',
      gap: 'no_denominator',
    });
    expect(rateKpi('service_overdue_rate', 1, 3).value).toBe(0.3333);
  });

  it('P8.2.2 should count leads decided by their deadline, undecided ones late only once the deadline passed', () => {
    const leads = [
      { createdAt: '2026-11-02T02:00:00.000Z', dueAt: '2026-11-04T02:00:00.000Z', decidedAt: '2026-11-03T02:00:00.000Z' }, // on time
      { createdAt: '2026-11-05T02:00:00.000Z', dueAt: '2026-11-09T02:00:00.000Z', decidedAt: '2026-11-10T02:00:00.000Z' }, // late
      { createdAt: '2026-11-10T02:00:00.000Z', dueAt: '2026-11-12T02:00:00.000Z', decidedAt: null }, // undecided, overdue: late
      { createdAt: '2026-11-19T02:00:00.000Z', dueAt: '2026-11-23T02:00:00.000Z', decidedAt: null }, // not due yet: left out
      { createdAt: '2026-10-30T02:00:00.000Z', dueAt: '2026-11-03T02:00:00.000Z', decidedAt: '2026-11-02T02:00:00.000Z' }, // October
    ];
    expect(leadVerifiedOnTime(leads, NOV)).toMatchObject({ value: 0.3333, numerator: 1, denominator: 3 });
  });

  it('P8.2.2 should take the median of business hours from request to completion', () => {
    const done = [
      // Monday 09:00 → Monday 13:00 local: 4 h.
      service({ requestedAt: '2026-11-02T01:00:00.000Z', completedAt: '2026-11-02T05:00:00.000Z' }),
      // Monday 09:00 → Tuesday 11:00 local: 8 + 2 = 10 h.
      service({ requestedAt: '2026-11-02T01:00:00.000Z', completedAt: '2026-11-03T03:00:00.000Z' }),
      // Friday 16:00 → Monday 10:00 local: 1 + 1 = 2 h (the weekend does not count).
      service({ requestedAt: '2026-11-06T08:00:00.000Z', completedAt: '2026-11-09T02:00:00.000Z' }),
      service({ requestedAt: '2026-11-06T08:00:00.000Z', completedAt: null }),
    ];
    expect(serviceHandlingHoursMedian(done, NOV, BH)).toMatchObject({ value: 4, denominator: 3, unit: 'hours' });
    expect(serviceHandlingHoursMedian(done.slice(0, 2), NOV, BH).value).toBe(7);
    expect(serviceHandlingHoursMedian([], NOV, BH)).toMatchObject({ value: null, gap: 'no_data' });
  });

  it('P8.2.2 should count as late business the requests not completed by their due time, not loan arrears', () => {
    const requests = [
      service({ dueAt: '2026-11-04T01:00:00.000Z', completedAt: '2026-11-03T01:00:00.000Z' }), // on time
      service({ dueAt: '2026-11-04T01:00:00.000Z', completedAt: '2026-11-05T01:00:00.000Z' }), // late
      service({ dueAt: '2026-11-10T01:00:00.000Z', completedAt: null, status: 'in_progress' }), // open past due: late
      service({ dueAt: '2026-11-10T01:00:00.000Z', cancelledAt: '2026-11-05T01:00:00.000Z', status: 'cancelled' }), // left out
      service({ dueAt: '2026-11-25T01:00:00.000Z', completedAt: null, status: 'requested' }), // not due yet
    ];
    expect(serviceOverdueRate(requests, NOV)).toMatchObject({ value: 0.6667, numerator: 2, denominator: 3 });
  });

  it('P8.2.3 should count alerts contacted within the target, an uncontacted one late once the target passed', () => {
    const alerts = [
      { raisedAt: '2026-11-02T00:00:00.000Z', contactedAt: '2026-11-02T20:00:00.000Z' }, // 20 h: on time
      { raisedAt: '2026-11-03T00:00:00.000Z', contactedAt: '2026-11-04T01:00:00.000Z' }, // 25 h: late
      { raisedAt: '2026-11-18T00:00:00.000Z', contactedAt: null }, // target passed: late
      { raisedAt: '2026-11-20T00:00:00.000Z', contactedAt: null }, // within its target: left out
    ];
    expect(alertContactedWithinTarget(alerts, 24, NOV)).toMatchObject({ value: 0.3333, numerator: 1, denominator: 3 });
  });

  it('P8.2.2 should count duties done on or before their day, leaving out cancelled ones and those due today or later', () => {
    const tasks = [
      { dueOn: '2026-11-05', status: 'done' as const, completedOn: '2026-11-05' },
      { dueOn: '2026-11-06', status: 'done' as const, completedOn: '2026-11-09' },
      { dueOn: '2026-11-07', status: 'open' as const, completedOn: null },
      { dueOn: '2026-11-08', status: 'cancelled' as const, completedOn: null },
      { dueOn: '2026-11-20', status: 'open' as const, completedOn: null },
      { dueOn: '2026-10-31', status: 'done' as const, completedOn: '2026-10-31' },
    ];
    expect(dutiesOnTime(tasks, { from: '2026-11-01', to: '2026-11-30', asOfDay: '2026-11-20' })).toMatchObject({
      value: 0.3333,
      numerator: 1,
      denominator: 3,
    });
  });

  it('P8.2.3 should give the share of registered customers’ open loans 30+ days past due, and the restructurings approved', () => {
    const loans = [
      { daysPastDue: 0, status: 'performing' },
      { daysPastDue: 30, status: 'overdue' },
      { daysPastDue: 29, status: 'overdue' },
      { daysPastDue: 90, status: 'closed' },
    ];
    expect(ciLoans30dpd(loans)).toMatchObject({ value: 0.3333, numerator: 1, denominator: 3 });
    expect(ciLoans30dpd([]).value).toBeNull();
    const requests = [
      service({ type: 'restructuring', status: 'approved', decidedAt: '2026-11-05T01:00:00.000Z' }),
      service({ type: 'restructuring', status: 'rejected', decidedAt: '2026-11-05T01:00:00.000Z' }),
      service({ type: 'restructuring', status: 'completed', decidedAt: '2026-10-05T01:00:00.000Z' }),
      service({ type: 'fee_relief', status: 'approved', decidedAt: '2026-11-05T01:00:00.000Z' }),
    ];
    expect(loansRestructured(requests, NOV)).toEqual({ id: 'loans_restructured', value: 1, unit: 'count' });
  });
});
