import { rowErrorText } from './row-errors.js';

/**
 * The transaction record of API.md ("Transactions") as the analysis engine sees it, and the byte
 * hashing both parsers share so that state built from CSV and from NDJSON agree.
 */

/** The CSV header of API.md, column by column, in order. */
export const TRANSACTION_COLUMNS = [
  'txn_id',
  'account_id',
  'customer_number',
  'booked_at',
  'amount_minor',
  'currency',
  'direction',
  'channel',
  'counterparty_name',
  'counterparty_account',
  'mcc',
  'description',
] as const;

export const CHANNELS = ['card', 'transfer', 'atm', 'counter', 'online', 'direct_debit'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A channel's position in CHANNELS: the engine keeps channels as small numbers (a bit mask of them). */
export type ChannelCode = 0 | 1 | 2 | 3 | 4 | 5;

/** One parsed, valid transaction. */
export interface Transaction {
  txnId: string;
  accountId: string;
  customerNumber: string;
  bookedAt: string;
  /** booked_at as milliseconds since the epoch (UTC). */
  atMs: number;
  amountMinor: number;
  currency: string;
  direction: 'debit' | 'credit';
  channel: Channel;
  counterpartyName: string;
  counterpartyAccount: string;
  /** The 4-digit merchant category code, or '' when there is none. */
  mcc: string;
  description: string;
}

/** A row that could not be read: its (1-based, physical) line number and why. */
export interface RowError {
  line: number;
  reason: string;
}

/** What a parser yields: a transaction or the error of one row. */
export type ParsedRow = { ok: true; line: number; txn: Transaction } | { ok: false; error: RowError };

/**
 * What the engine needs of one transaction. The CSV reader fills one reusable object straight
 * from its input buffer (no strings for fields the rules do not look at); text fields are
 * decoded only when a rule asks for them.
 */
export interface TxnInput {
  /** The UTF-8 bytes of the customer number are keyBuf[keyStart, keyEnd). */
  keyBuf: Uint8Array;
  keyStart: number;
  keyEnd: number;
  accountHash: number;
  atMs: number;
  amountMinor: number;
  debit: boolean;
  channel: ChannelCode;
  /** The merchant category code as a number, -1 when there is none. */
  mcc: number;
  /** Hash of the counterparty name (hashText), computed on demand. */
  counterpartyNameHash(): number;
  /** 0 when there is no counterparty account. */
  counterpartyAccountHash: number;
  txnId(): string;
  counterpartyName(): string;
  description(): string;
}

/** The channel code of a channel name, or -1. */
export function channelCode(name: string): ChannelCode | -1 {
  switch (name) {
    case 'card':
      return 0;
    case 'transfer':
      return 1;
    case 'atm':
      return 2;
    case 'counter':
      return 3;
    case 'online':
      return 4;
    case 'direct_debit':
      return 5;
    default:
      return -1;
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a (32 bit) over bytes [start, end), as a signed 32-bit integer (what an Int32Array holds,
 * so stored and fresh hashes compare equal); 0 is never answered, so it can mean "none".
 */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) {
    h ^= buf[i] ?? 0;
    h = Math.imul(h, FNV_PRIME);
  }
  return h | 0 || 1;
}

/** hashBytes of the UTF-8 encoding of a text, computed without encoding it; '' hashes to 0 ("none"). */
export function hashText(text: string): number {
  if (text.length === 0) return 0;
  let h = FNV_OFFSET;
  const add = (byte: number) => {
    h ^= byte;
    h = Math.imul(h, FNV_PRIME);
  };
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    }
    // Lone surrogates encode as U+FFFD, as Buffer.from(text) does.
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) add(c);
    else if (c < 0x800) {
      add(0xc0 | (c >> 6));
      add(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      add(0xe0 | (c >> 12));
      add(0x80 | ((c >> 6) & 0x3f));
      add(0x80 | (c & 0x3f));
    } else {
      add(0xf0 | (c >> 18));
      add(0x80 | ((c >> 12) & 0x3f));
      add(0x80 | ((c >> 6) & 0x3f));
      add(0x80 | (c & 0x3f));
    }
  }
  return h | 0 || 1;
}

/** The longest customer number the engine keys state by, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 64;

/** A TxnInput over a parsed transaction (the NDJSON path and tests; CSV has its own, faster one). */
export function transactionInput(t: Transaction): TxnInput {
  const key = Buffer.from(t.customerNumber, 'utf8');
  return {
    keyBuf: key,
    keyStart: 0,
    keyEnd: key.length,
    accountHash: hashText(t.accountId),
    atMs: t.atMs,
    amountMinor: t.amountMinor,
    debit: t.direction === 'debit',
    channel: channelCodeOf(t.channel),
    mcc: t.mcc === '' ? -1 : Number(t.mcc),
    counterpartyNameHash: () => hashText(t.counterpartyName),
    counterpartyAccountHash: hashText(t.counterpartyAccount),
    txnId: () => t.txnId,
    counterpartyName: () => t.counterpartyName,
    description: () => t.description,
  };
}

function channelCodeOf(channel: Channel): ChannelCode {
  const code = channelCode(channel);
  return code === -1 ? 0 : code;
}

// ISO-8601 with a date, a time and a zone (Z or ±hh:mm); fractions of a second allowed.
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a civil date (proleptic Gregorian), by integer arithmetic. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Whether a year, month (1–12) and day form a real date. */
export function isRealDate(y: number, m: number, d: number): boolean {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return m >= 1 && m <= 12 && d >= 1 && d <= (m === 2 && leap ? 29 : (DAYS_IN_MONTH[m - 1] ?? 0));
}

/** Milliseconds since the epoch of an ISO-8601 instant with a zone, or NaN if it is not one; sub-millisecond digits are cut off. */
export function parseInstant(s: string): number {
  const m = ISO_INSTANT.exec(s);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, sec = '0', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const dayOfMonth = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(sec);
  if (!isRealDate(year, month, dayOfMonth) || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  const ms = Number(`${frac}00`.slice(0, 3));
  let offset = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return daysFromCivil(year, month, dayOfMonth) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + ms - offset;
}

// NUL and other C0 controls (tab aside) never belong in an identifier or a name.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/**
 * Checks the fields of one row (as texts, in TRANSACTION_COLUMNS order) and builds the
 * transaction, or answers why not. Shared by both parsers: the same row is valid in both formats.
 */
export function toTransaction(f: readonly string[]): Transaction | string {
  const [
    txnId = '',
    accountId = '',
    customerNumber = '',
    bookedAt = '',
    amount = '',
    currency = '',
    direction = '',
    channel = '',
    counterpartyName = '',
    counterpartyAccount = '',
    mcc = '',
    description = '',
  ] = f;
  if (txnId === '' || txnId.length > 128 || CONTROL.test(txnId)) return rowErrorText('txn_id_invalid');
  if (accountId === '' || accountId.length > 64 || CONTROL.test(accountId)) return rowErrorText('account_id_invalid');
  if (customerNumber === '' || Buffer.byteLength(customerNumber) > MAX_KEY_BYTES || CONTROL.test(customerNumber))
    return rowErrorText('customer_number_invalid', { max: MAX_KEY_BYTES });
  const atMs = parseInstant(bookedAt);
  if (Number.isNaN(atMs)) return rowErrorText('booked_at_invalid');
  if (!/^[1-9]\d{0,15}$/.test(amount) || !Number.isSafeInteger(Number(amount))) return rowErrorText('amount_invalid');
  if (!/^[A-Z]{3}$/.test(currency)) return rowErrorText('currency_invalid');
  if (direction !== 'debit' && direction !== 'credit') return rowErrorText('direction_invalid');
  const code = channelCode(channel);
  if (code === -1) return rowErrorText('channel_invalid', { channels: CHANNELS.join(', ') });
  if (mcc !== '' && !/^\d{4}$/.test(mcc)) return rowErrorText('mcc_invalid');
  if (!storableText(counterpartyName) || !storableText(counterpartyAccount) || !storableText(description))
    return rowErrorText('text_unstorable');
  return {
    txnId,
    accountId,
    customerNumber,
    bookedAt,
    atMs,
    amountMinor: Number(amount),
    currency,
    direction,
    channel: CHANNELS[code],
    counterpartyName,
    counterpartyAccount,
    mcc,
    description,
  };
}

// NUL cannot be stored in PostgreSQL text and lone surrogates are not Unicode: a row holding either
// would fail its whole chunk there, so it is a bad row on every database alike.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find the NUL character
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when a free text can be stored as it is by both databases. */
export function storableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}
