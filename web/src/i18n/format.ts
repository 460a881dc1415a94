import type { Money } from '../api/types';

const fractionDigitsCache = new Map<string, number>();

/** How many minor units a currency has (CNY 2, JPY 0), from the platform's ISO 4217 data. */
export function minorDigits(currency: string): number {
  let digits = fractionDigitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    fractionDigitsCache.set(currency, digits);
  }
  return digits;
}

/** Formats integer minor units for display; the division happens only here, never in sums. */
export function formatMinor(amountMinor: number, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amountMinor / 10 ** digits);
}

/** Formats a Money value of the API. */
export function formatMoney(money: Money, locale: string): string {
  return formatMinor(money.amountMinor, money.currency, locale);
}

/** Formats an interest rate in basis points as a percentage (435 → 4.35%). */
export function formatBasisPoints(bp: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(bp / 10_000);
}

/** Formats an ISO-8601 instant in the reader's time zone. */
export function formatInstant(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(date);
}

/** Formats a calendar day (`YYYY-MM-DD`) in the reader's language, without a time zone shift. */
export function formatDay(day: string, locale: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** Formats a whole number with the locale's grouping. */
export function formatCount(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}
