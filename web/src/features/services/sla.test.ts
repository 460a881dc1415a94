import { describe, expect, it } from 'vitest';
import { slaParts, slaWords } from './sla';

describe('service time in business days and hours', () => {
  it('P6.2.2 should say the time left in business days and hours of the bank’s day', () => {
    expect(slaParts({ businessHoursLeft: 13.5, businessDayHours: 8, overdue: false })).toEqual({
      state: 'left',
      days: 1,
      hours: 5,
      underAnHour: false,
    });
    expect(slaWords(slaParts({ businessHoursLeft: 13.5, businessDayHours: 8, overdue: false }))).toEqual({
      key: 'services.sla.left',
      parts: [
        { key: 'services.sla.day', count: 1 },
        { key: 'services.sla.hours', count: 5 },
      ],
    });
  });

  it('P6.2.2 should say how late an overdue request is', () => {
    const p = slaParts({ businessHoursLeft: -17, businessDayHours: 8, overdue: true });
    expect(p).toEqual({ state: 'overdue', days: 2, hours: 1, underAnHour: false });
    expect(slaWords(p).key).toBe('services.sla.overdueBy');
    expect(slaWords(p).parts.map((x) => x.key)).toEqual(['services.sla.days', 'services.sla.hour']);
  });

  it('should trust the server’s overdue flag when no business hour has passed since the due time', () => {
    const p = slaParts({ businessHoursLeft: 0, businessDayHours: 8, overdue: true });
    expect(p.state).toBe('overdue');
    expect(slaWords(p).parts).toEqual([{ key: 'services.sla.underAnHour', count: 0 }]);
  });

  it('should say nothing of time for a finished request, and count whole hours without a day length', () => {
    expect(slaWords(slaParts({ businessHoursLeft: null, businessDayHours: 8, overdue: false }))).toEqual({
      key: 'services.sla.done',
      parts: [],
    });
    expect(slaParts({ businessHoursLeft: 30, businessDayHours: 0, overdue: false })).toEqual({
      state: 'left',
      days: 0,
      hours: 30,
      underAnHour: false,
    });
  });
});
