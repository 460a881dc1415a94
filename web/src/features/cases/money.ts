import type { Money } from '../../api/types';

// Up to 13 whole digits keep the fen amount far inside Number.MAX_SAFE_INTEGER (9.0e15).
const YUAN = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/**
 * Yuan as typed ("12,345.6") → integer fen, done on the digits of the string so that no binary
 * fraction ever enters (0.1 + 0.2 stays 30 fen). Empty → null; anything else → undefined (invalid).
 */
export function yuanToMinor(text: string): number | null | undefined {
  const cleaned = text.replace(/[\s,，_]/g, '');
  if (cleaned === '') return null;
  const m = YUAN.exec(cleaned);
  if (!m) return undefined;
  const whole = m[1] ?? '0';
  const fraction = (m[2] ?? '').padEnd(2, '0');
  return Number.parseInt(`${whole}${fraction}`, 10);
}

/** The same as Money in CNY, or null for an empty field; undefined when the text is not an amount. */
export function yuanToMoney(text: string): Money | null | undefined {
  const minor = yuanToMinor(text);
  return minor === null || minor === undefined ? minor : { amountMinor: minor, currency: 'CNY' };
}

/** Integer fen → the plain text an input shows ("1234.50"); the inverse of yuanToMinor. */
export function minorToYuanText(amountMinor: number): string {
  const sign = amountMinor < 0 ? '-' : '';
  const digits = String(Math.abs(amountMinor)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
