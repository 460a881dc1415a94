/**
 * Business-hour arithmetic for service times (P6.2.2: standard and priority handling times in
 * business hours). A business day is a weekday that is not a holiday, open from `openHour` to
 * `closeHour` on the bank's local clock (`offsetMinutes` east of UTC; China is +480). Holidays are
 * local `YYYY-MM-DD` dates, the same calendar as the lead deadlines (LIFELINE_HOLIDAYS).
 */
export interface BusinessHours {
  openHour: number;
  closeHour: number;
  offsetMinutes: number;
  holidays: ReadonlySet<string>;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
// A calendar with nothing but holidays for years on end is a configuration error, not a deadline.
const MAX_SCAN_DAYS = 3_660;

/** The local calendar day (`YYYY-MM-DD`) and the instant its local midnight falls on. */
function localDay(t: number, offsetMinutes: number): { date: string; midnight: number; weekday: number } {
  const local = new Date(t + offsetMinutes * 60_000);
  const midnightLocal = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  return { date: local.toISOString().slice(0, 10), midnight: midnightLocal - offsetMinutes * 60_000, weekday: local.getUTCDay() };
}

function isOpenDay(day: { date: string; weekday: number }, bh: BusinessHours): boolean {
  return day.weekday !== 0 && day.weekday !== 6 && !bh.holidays.has(day.date);
}

/**
 * The instant `hours` business hours after `start`: time outside opening hours, on weekends and
 * on holidays does not count. A request made after closing starts counting at the next opening.
 */
export function addBusinessHours(start: Date, hours: number, bh: BusinessHours): Date {
  if (!(hours >= 0) || !Number.isFinite(hours)) throw new RangeError('hours must be a non-negative number');
  if (!(bh.openHour >= 0 && bh.openHour < bh.closeHour && bh.closeHour <= 24)) throw new RangeError('opening hours must lie within a day');
  let left = hours * HOUR_MS;
  let t = start.getTime();
  for (let scanned = 0; scanned <= MAX_SCAN_DAYS; scanned += 1) {
    const day = localDay(t, bh.offsetMinutes);
    const open = day.midnight + bh.openHour * HOUR_MS;
    const close = day.midnight + bh.closeHour * HOUR_MS;
    if (isOpenDay(day, bh) && t < close) {
      const from = Math.max(t, open);
      if (from + left <= close) return new Date(from + left);
      left -= close - from;
    }
    t = day.midnight + DAY_MS;
  }
  throw new RangeError('no business hours within ten years');
}

/** The business hours that passed between two instants (0 when `to` is not after `from`). */
export function businessHoursBetween(from: Date, to: Date, bh: BusinessHours): number {
  let total = 0;
  let t = from.getTime();
  const end = to.getTime();
  for (let scanned = 0; t < end && scanned <= MAX_SCAN_DAYS * 2; scanned += 1) {
    const day = localDay(t, bh.offsetMinutes);
    const open = day.midnight + bh.openHour * HOUR_MS;
    const close = day.midnight + bh.closeHour * HOUR_MS;
    if (isOpenDay(day, bh)) total += Math.max(0, Math.min(close, end) - Math.max(open, t));
    t = day.midnight + DAY_MS;
  }
  return total / HOUR_MS;
}
