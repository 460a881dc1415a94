import { describe, expect, it } from 'vitest';
import { checkContact, GENTLE_TREATMENT, inQuietHours, STANDARD_TREATMENT } from './collection.js';

const CHINA = 480;
/** A local (UTC+8) time as the instant it is. */
const local = (iso: string) => new Date(`${iso}+08:00`);

describe('gentle collection rules', () => {
  it('P7.1.2 should refuse a contact while paused, on a channel not allowed, in quiet hours, or past the weekly number', () => {
    const t = { ...GENTLE_TREATMENT, pausedUntil: '2026-12-10' };
    const at = (iso: string, channel: 'sms' | 'phone' = 'sms', contactsInPastWeek = 0) =>
      checkContact(t, { channel, at: local(iso), contactsInPastWeek }, CHINA);
    expect(at('2026-12-10T10:00:00')).toBe('paused');
    expect(at('2026-12-11T10:00:00')).toBeNull();
    expect(at('2026-12-11T10:00:00', 'phone')).toBe('channel');
    expect(at('2026-12-11T20:00:00')).toBe('quiet_hours');
    expect(at('2026-12-12T08:59:00')).toBe('quiet_hours');
    expect(at('2026-12-12T09:00:00')).toBeNull();
    expect(at('2026-12-11T10:00:00', 'sms', 1)).toBe('weekly_limit');
  });

  it('should read quiet hours on the bank’s clock, wrapping past midnight or not', () => {
    expect(inQuietHours({ from: '22:00', to: '08:00' }, 23 * 60)).toBe(true);
    expect(inQuietHours({ from: '22:00', to: '08:00' }, 7 * 60 + 59)).toBe(true);
    expect(inQuietHours({ from: '22:00', to: '08:00' }, 8 * 60)).toBe(false);
    expect(inQuietHours({ from: '12:00', to: '14:00' }, 13 * 60)).toBe(true);
    expect(inQuietHours({ from: '12:00', to: '14:00' }, 14 * 60)).toBe(false);
    expect(inQuietHours({ from: '00:00', to: '00:00' }, 0)).toBe(false);
    // 21:30 in Beijing is 13:30 UTC: the standard night rest has not begun.
    expect(
      checkContact(STANDARD_TREATMENT, { channel: 'phone', at: new Date('2026-12-11T13:30:00Z'), contactsInPastWeek: 0 }, CHINA),
    ).toBeNull();
    expect(checkContact(STANDARD_TREATMENT, { channel: 'phone', at: new Date('2026-12-11T14:30:00Z'), contactsInPastWeek: 0 }, CHINA)).toBe(
      'quiet_hours',
    );
  });
});
