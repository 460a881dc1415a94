/**
 * Pure rules of the case file (P2.3.3, P5.2–P5.3): closing reasons, periodic-update reminders,
 * the retention cut-off, case numbers and the field-level diff that versioning records.
 * Dates are `YYYY-MM-DD` UTC calendar days, as in the leads feature (docs/cases.md, "Decisions").
 */

/** P2.1 no longer met, recovery, death, or the customer's own request. */
export const CLOSE_REASONS = ['recovered', 'deceased', 'customer_request', 'no_longer_eligible'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** True when `value` is one of the closing reasons. */
export function isCloseReason(value: unknown): value is CloseReason {
  return typeof value === 'string' && (CLOSE_REASONS as readonly string[]).includes(value);
}

/** Vulnerability severity of the registration form. */
export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A case's life: active until closed; a closed case's sensitive fields are purged after retention. */
export const CASE_STATUSES = ['active', 'closed', 'purged'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Where the reminder of the periodic update stands. */
export type UpdateState = 'ok' | 'due' | 'overdue';

/** A case is `due` this many days before its update date (and on the day itself). */
export const DUE_SOON_DAYS = 3;

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayNumber(date: string): number {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

/**
 * The `YYYY-MM-DD` calendar day of an instant on a clock `offsetMinutes` east of UTC: the bank's
 * day when given its offset (a waiver valid from the 1st is in force at 07:00 Beijing time on the
 * 1st, when it is still the 30th in UTC); the UTC day without one.
 */
export function dayOf(instant: Date, offsetMinutes = 0): string {
  return new Date(instant.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** The date `days` calendar days after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/**
 * The date of the next periodic update (P5.3.1): `intervalDays` after the last update, or the
 * review date the supervisor set when that comes first. A review date on or before the last
 * update has been met by it and no longer counts.
 */
export function nextUpdateDue(input: { lastUpdateOn: string; reviewOn: string; intervalDays: number }): string {
  const periodic = addDays(input.lastUpdateOn, input.intervalDays);
  if (daysBetween(input.lastUpdateOn, input.reviewOn) <= 0) return periodic;
  return daysBetween(input.reviewOn, periodic) > 0 ? input.reviewOn : periodic;
}

/** `overdue` after the due date, `due` from DUE_SOON_DAYS before it through the day itself, else `ok`. */
export function updateState(dueOn: string, today: string): UpdateState {
  const left = daysBetween(today, dueOn);
  if (left < 0) return 'overdue';
  return left <= DUE_SOON_DAYS ? 'due' : 'ok';
}

/**
 * The latest closing instant whose case is past retention at `now`: `years` calendar years
 * earlier (29 February falls back to 28 February).
 */
export function retentionCutoff(now: Date, years: number): Date {
  if (!Number.isInteger(years) || years < 1) throw new RangeError('years must be a positive integer');
  const y = now.getUTCFullYear() - years;
  const m = now.getUTCMonth();
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      y,
      m,
      Math.min(now.getUTCDate(), lastDay),
      now.getUTCHours(),
      now.getUTCMinutes(),
      now.getUTCSeconds(),
      now.getUTCMilliseconds(),
    ),
  );
}

/** True when a case closed at `closedAt` is past its retention period at `now`. */
export function isPastRetention(closedAt: Date, now: Date, years: number): boolean {
  return closedAt.getTime() <= retentionCutoff(now, years).getTime();
}

/** `CI-2026-000042`: the year of registration and a sequence within it. */
export function formatCaseNumber(year: number, sequence: number): string {
  return `CI-${year}-${String(sequence).padStart(6, '0')}`;
}

/** The sequence part of a case number of that year, or null for anything else. */
export function caseNumberSequence(caseNumber: string, year: number): number | null {
  const m = /^CI-(\d{4})-(\d{6,})$/.exec(caseNumber);
  return m && Number(m[1]) === year ? Number(m[2]) : null;
}

/** One changed field of a case version: its dotted name and the values before and after. */
export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * The fields that differ between two versions of the editable sections, one level into objects
 * (`condition.description`, `financialImpact.debts`), absent and null counting as equal.
 */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[key];
    const b = after[key];
    if (isPlainObject(a) || isPlainObject(b)) {
      const oa = isPlainObject(a) ? a : {};
      const ob = isPlainObject(b) ? b : {};
      for (const sub of new Set([...Object.keys(oa), ...Object.keys(ob)])) {
        if (!same(oa[sub], ob[sub])) changes.push({ field: `${key}.${sub}`, old: oa[sub] ?? null, new: ob[sub] ?? null });
      }
    } else if (!same(a, b)) {
      changes.push({ field: key, old: a ?? null, new: b ?? null });
    }
  }
  return changes;
}

/** The part of a consent record the withdrawal flag depends on. */
export interface ConsentState {
  kind: string;
  partner_id: string | null;
  status: 'active' | 'withdrawn';
  recorded_at: string;
  withdrawn_at: string | null;
}

/**
 * A case is flagged while a withdrawn consent has not been given again: no active consent of the
 * same kind (and partner) recorded after the withdrawal. A legal basis is not a consent.
 */
export function consentWithdrawnFlag(records: readonly ConsentState[]): boolean {
  return records.some(
    (w) =>
      w.status === 'withdrawn' &&
      w.kind !== 'legal_basis' &&
      !records.some(
        (a) =>
          a.status === 'active' &&
          a.kind === w.kind &&
          a.partner_id === w.partner_id &&
          (w.withdrawn_at === null || a.recorded_at >= w.withdrawn_at),
      ),
  );
}
