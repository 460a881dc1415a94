/**
 * Business-day arithmetic for deadlines (P2.3.2: a lead is verified within N business days).
 * Weekends are Saturday and Sunday; holidays are `YYYY-MM-DD` dates. Days are UTC calendar days
 * (docs/leads.md explains why and what that means for a bank in UTC+8).
 */

const DAY_MS = 86_400_000;

/** The `YYYY-MM-DD` UTC date of an instant. */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** True when the UTC day of the instant is neither a Saturday, a Sunday nor a holiday. */
export function isBusinessDay(instant: Date, holidays: ReadonlySet<string>): boolean {
  const weekday = instant.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(utcDate(instant));
}

function startOfUtcDay(instant: Date): number {
  return Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate());
}

// A calendar with nothing but holidays for years on end is a configuration error, not a deadline.
const MAX_SCAN_DAYS = 3_660;

/**
 * The instant `days` business days after `start`, at the same time of day. A start on a weekend
 * or holiday counts from the beginning of the next business day, so a report made on Saturday
 * gets as long as one made first thing on Monday.
 */
export function addBusinessDays(start: Date, days: number, holidays: ReadonlySet<string>): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError('days must be a non-negative integer');
  let t = start.getTime();
  let scanned = 0;
  if (!isBusinessDay(start, holidays)) {
    t = startOfUtcDay(start);
    do {
      t += DAY_MS;
      scanned += 1;
      if (scanned > MAX_SCAN_DAYS) throw new RangeError('no business day within ten years');
    } while (!isBusinessDay(new Date(t), holidays));
  }
  let left = days;
  while (left > 0) {
    t += DAY_MS;
    scanned += 1;
    if (scanned > MAX_SCAN_DAYS) throw new RangeError('no business day within ten years');
    if (isBusinessDay(new Date(t), holidays)) left -= 1;
  }
  return new Date(t);
}

/** The number of business days among the UTC days from `from` (inclusive) to `to` (exclusive). */
export function businessDaysBetween(from: Date, to: Date, holidays: ReadonlySet<string>): number {
  let count = 0;
  for (let t = startOfUtcDay(from); t < startOfUtcDay(to); t += DAY_MS) {
    if (isBusinessDay(new Date(t), holidays)) count += 1;
  }
  return count;
}
