import { isUtf8 } from 'node:buffer';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { inPart, rowErrorText } from '../../domain/analysis/row-errors.js';
import { type Channel, type ParsedRow, type RowError, type Transaction, toTransaction } from '../../domain/analysis/transaction.js';
import type { ReadCounters } from './csv.js';

/**
 * ISO 20022 camt.053 bank-to-customer statements (versions 001.02 to 001.08, matched on local
 * names so any namespace or prefix works), read from Buffer chunks in constant memory with the
 * saxes streaming parser, mapped to the transactions of API.md (docs/import-formats.md,
 * "camt.053 statements"). A bad entry becomes `{line, reason}` (the line where its `Ntry`
 * starts) and reading goes on; malformed XML ends reading with one error at its line. Nothing
 * here throws on any input.
 */

/** The longest text (one element's content) and the longest markup token, in characters. */
export const MAX_TEXT_CHARS = 1 << 20;
/** The longest entry (`<Ntry>` to `</Ntry>`), in characters. */
export const MAX_ENTRY_CHARS = 1 << 20;
/** Deeper nesting than any camt.053 has: refused, because the parser keeps every open element. */
export const MAX_DEPTH = 64;
/** How much decoded text the parser gets at once: the size checks run between slices. */
const SLICE_CHARS = 1 << 16;
/** A character reference is at most `&#x10FFFF;`; an entity name open longer than this is malformed. */
const MAX_ENTITY_CHARS = 32;
/** The key of an element inside an anchor (Stmt, Ntry, TxDtls) that leads to nothing the mapping reads. */
const IGNORED = '#';

/** ISO 4217 currencies whose minor unit is not the usual hundredth. */
const EXPONENTS = new Map<string, number>([
  ...['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'].map(
    (c): [string, number] => [c, 0],
  ),
  ...['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'].map((c): [string, number] => [c, 3]),
  ['CLF', 4],
  ['UYW', 4],
]);

/** The number of decimals of a currency's minor unit (ISO 4217; 2 unless listed otherwise). */
export function currencyExponent(currency: string): number {
  return EXPONENTS.get(currency) ?? 2;
}

/**
 * An xs:decimal amount as an integer count of minor units (a digit string, no floating point),
 * or why not. Trailing zeros beyond the currency's decimals are fine (`12.300` CNY is 1230).
 */
export function decimalToMinor(
  text: string,
  exponent: number,
):
  | string
  | { error: 'entry_amount_not_decimal' | 'entry_amount_zero' | 'entry_amount_too_large' }
  | { error: 'entry_amount_decimals'; decimals: number } {
  const m = /^\+?(\d*)(?:\.(\d*))?$/.exec(text);
  const whole = m?.[1] ?? '';
  const fraction = m?.[2] ?? '';
  if (!m || (whole === '' && fraction === '')) return { error: 'entry_amount_not_decimal' };
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > exponent) return { error: 'entry_amount_decimals', decimals: exponent };
  const digits = `${whole}${significant.padEnd(exponent, '0')}`.replace(/^0+/, '');
  if (digits === '') return { error: 'entry_amount_zero' };
  if (digits.length > 16 || !Number.isSafeInteger(Number(digits))) return { error: 'entry_amount_too_large' };
  return digits;
}

/** Bank transaction code of an entry or of its transaction details. */
interface TxCode {
  domain: string;
  family: string;
  subFamily: string;
  proprietary: string;
  issuer: string;
}

/** An amount as written: its text and the Ccy attribute. */
interface Money {
  value: string;
  currency: string;
}

interface TxDetails {
  ref: string;
  amount: Money | null;
  txAmount: Money | null;
  creditDebit: string;
  code: TxCode;
  debtorName: string;
  debtorAccount: string;
  creditorName: string;
  creditorAccount: string;
  /** The RmtInf/Ustrd lines, concatenated. */
  remittance: string;
  additionalInfo: string;
}

interface Entry {
  line: number;
  /** Stream position (characters) of its start, for the size limit. */
  start: number;
  /** Why the entry cannot be read (too long), or null. */
  bad: string | null;
  hasStatus: boolean;
  status: string;
  statusCode: string;
  statusProprietary: string;
  entryRef: string;
  servicerRef: string;
  amount: Money | null;
  creditDebit: string;
  bookedAt: string;
  bookedOn: string;
  code: TxCode;
  additionalInfo: string;
  details: TxDetails[];
}

interface Statement {
  accountId: string;
  customerNumber: string;
}

/** Text being collected for an element of interest. */
interface Capture {
  key: string;
  depth: number;
  text: string;
  over: boolean;
  line: number;
}

const noCode = (): TxCode => ({ domain: '', family: '', subFamily: '', proprietary: '', issuer: '' });

/** The element paths (relative to Stmt, Ntry or TxDtls) whose text the mapping reads. */
const CAPTURED = new Set([
  'Stmt/Acct/Id/IBAN',
  'Stmt/Acct/Id/Othr/Id',
  'Stmt/Acct/Ownr/Id/OrgId/Othr/Id',
  'Stmt/Acct/Ownr/Id/PrvtId/Othr/Id',
  'Ntry/NtryRef',
  'Ntry/Amt',
  'Ntry/CdtDbtInd',
  'Ntry/Sts',
  'Ntry/Sts/Cd',
  'Ntry/Sts/Prtry',
  'Ntry/BookgDt/DtTm',
  'Ntry/BookgDt/Dt',
  'Ntry/AcctSvcrRef',
  'Ntry/BkTxCd/Domn/Cd',
  'Ntry/BkTxCd/Domn/Fmly/Cd',
  'Ntry/BkTxCd/Domn/Fmly/SubFmlyCd',
  'Ntry/BkTxCd/Prtry/Cd',
  'Ntry/BkTxCd/Prtry/Issr',
  'Ntry/AddtlNtryInf',
  'TxDtls/Refs/AcctSvcrRef',
  'TxDtls/Amt',
  'TxDtls/AmtDtls/TxAmt/Amt',
  'TxDtls/CdtDbtInd',
  'TxDtls/BkTxCd/Domn/Cd',
  'TxDtls/BkTxCd/Domn/Fmly/Cd',
  'TxDtls/BkTxCd/Domn/Fmly/SubFmlyCd',
  'TxDtls/BkTxCd/Prtry/Cd',
  'TxDtls/BkTxCd/Prtry/Issr',
  'TxDtls/RltdPties/Dbtr/Nm',
  'TxDtls/RltdPties/Dbtr/Pty/Nm',
  'TxDtls/RltdPties/DbtrAcct/Id/IBAN',
  'TxDtls/RltdPties/DbtrAcct/Id/Othr/Id',
  'TxDtls/RltdPties/Cdtr/Nm',
  'TxDtls/RltdPties/Cdtr/Pty/Nm',
  'TxDtls/RltdPties/CdtrAcct/Id/IBAN',
  'TxDtls/RltdPties/CdtrAcct/Id/Othr/Id',
  'TxDtls/RmtInf/Ustrd',
  'TxDtls/AddtlTxInf',
]);

/** Every path that leads to a captured one (and to the TxDtls anchor): the rest of a statement is skipped cheaply. */
const ON_PATH = new Set(['Ntry/NtryDtls']);
for (const path of CAPTURED) {
  const parts = path.split('/');
  for (let k = 2; k <= parts.length; k++) ON_PATH.add(parts.slice(0, k).join('/'));
}

/** The channel of an ISO bank transaction code (domain, family, sub-family), or null when it says nothing specific. */
export function domainChannel(domain: string, family: string, subFamily: string): Channel | null {
  if (domain !== 'PMNT') return null;
  switch (family) {
    case 'CCRD':
      return subFamily === 'CWDL' || subFamily === 'CDPT' ? 'atm' : 'card';
    case 'MCRD':
      return 'card';
    case 'CNTR':
    case 'ICHQ':
    case 'RCHQ':
      return 'counter';
    case 'IDDT':
    case 'RDDT':
      return 'direct_debit';
    case 'ICDT':
    case 'RCDT':
      return 'transfer';
    default:
      return null;
  }
}

// A Map, not an object literal: a code such as "constructor" must not find a prototype member.
const PROPRIETARY_CHANNELS = new Map<string, Channel>([
  ['CARD', 'card'],
  ['POS', 'card'],
  ['ATM', 'atm'],
  ['CASH', 'counter'],
  ['COUNTER', 'counter'],
  ['CNTR', 'counter'],
  ['BRANCH', 'counter'],
  ['CHK', 'counter'],
  ['NCHK', 'counter'],
  ['ONLINE', 'online'],
  ['INTERNET', 'online'],
  ['MOBILE', 'online'],
  ['EBANKING', 'online'],
  ['DDT', 'direct_debit'],
  ['NDDT', 'direct_debit'],
  ['DIRECT_DEBIT', 'direct_debit'],
  ['TRF', 'transfer'],
  ['NTRF', 'transfer'],
  ['TRANSFER', 'transfer'],
  ['STO', 'transfer'],
  ['NSTO', 'transfer'],
]);

/** The channel of a proprietary bank transaction code (its first word, e.g. `NTRF` of `NTRF+166`), or null. */
export function proprietaryChannel(code: string): Channel | null {
  const word = /^[A-Z0-9_]*/.exec(code.trim().toUpperCase())?.[0] ?? '';
  return PROPRIETARY_CHANNELS.get(word) ?? null;
}

/** Whether a proprietary code's issuer names the merchant category code list (ISO 18245). */
function isMccIssuer(issuer: string): boolean {
  return issuer.replace(/[\s_-]/g, '').toUpperCase() === 'ISO18245';
}

/** A specific domain code wins; a proprietary code refines a generic transfer; unknown is a transfer. */
function channelOf(tx: TxCode | null, entry: TxCode): Channel {
  const domainCode = tx !== null && tx.domain !== '' ? tx : entry;
  const fromDomain = domainChannel(domainCode.domain, domainCode.family, domainCode.subFamily);
  if (fromDomain !== null && fromDomain !== 'transfer') return fromDomain;
  const proprietary = [tx, entry].find((c) => c !== null && c.proprietary !== '' && !isMccIssuer(c.issuer));
  const fromProprietary = proprietary ? proprietaryChannel(proprietary.proprietary) : null;
  return fromProprietary ?? fromDomain ?? 'transfer';
}

function mccOf(tx: TxCode | null, entry: TxCode): string {
  const code = [tx, entry].find((c) => c !== null && c.proprietary !== '' && isMccIssuer(c.issuer));
  return code ? code.proprietary : '';
}

/** BookgDt as the instant toTransaction() checks: a date is midnight UTC, a date-time without a zone is UTC. */
function bookingInstant(e: Entry): string | { error: string } {
  if (e.bookedAt !== '') return /(?:Z|[+-]\d{2}:\d{2})$/.test(e.bookedAt) ? e.bookedAt : `${e.bookedAt}Z`;
  if (e.bookedOn !== '') {
    const m = /^(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?$/.exec(e.bookedOn);
    if (!m) return { error: rowErrorText('booking_date_invalid') };
    return `${m[1]}T00:00:00${m[2] ?? 'Z'}`;
  }
  return { error: rowErrorText('booking_date_missing') };
}

/** The length of the part of buf that ends on a whole UTF-8 character (the rest waits for the next chunk). */
function completeLength(buf: Uint8Array): number {
  const n = buf.length;
  for (let k = 1; k <= Math.min(3, n); k++) {
    const b = buf[n - k] ?? 0;
    if ((b & 0xc0) === 0x80) continue;
    if (b < 0xc0) return n;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return k < need ? n - k : n;
  }
  return n;
}

/** The length of the valid UTF-8 prefix of buf (only called once buf is known to be invalid). */
function validUtf8Prefix(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i] ?? 0;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= n) return i;
    const c1 = b[i + 1] ?? 0;
    if (c1 < lo || c1 > hi) return i;
    for (let k = 2; k <= need; k++) {
      const ck = b[i + k] ?? 0;
      if (ck < 0x80 || ck > 0xbf) return i;
    }
    i += need + 1;
  }
  return n;
}

function decode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/**
 * Push-style camt.053 reader, the counterpart of NdjsonTransactionReader: push() chunks as they
 * come, end() at the end. Calls onRow for each booked transaction, onError for each bad entry
 * (and once for malformed XML, after which it reads nothing more).
 */
export class Camt053TransactionReader implements ReadCounters {
  rows = 0;
  bad = 0;
  bytes = 0;
  private readonly parser: SaxesParser<{ xmlns: false }>;
  /** Results of the current slice, delivered after the parser returns (a callback never runs inside it). */
  private queue: ParsedRow[] = [];
  private stopped = false;
  private carry: Uint8Array = new Uint8Array(0);
  /** Decoded text not yet given to the parser: less than a slice. */
  private pending = '';
  /** Characters given to the parser, and characters dropped from an over-long text. */
  private fed = 0;
  private skippedChars = 0;
  private skippedLines = 0;
  private skipping = false;
  private skipAfterCr = false;
  private dropNextText = false;
  private lastEventAt = 0;
  private lastEventLine = 1;
  /** Whether the last event left the parser where text can follow (not inside a tag). */
  private textMayFollow = true;
  private markupSinceEvent = false;
  /** Parser position of an `&` not yet closed by `;`, or -1. */
  private openEntityAt = -1;
  private readonly keys: string[] = [];
  private readonly captures: Capture[] = [];
  private sawStatementList = false;
  private statement: Statement | null = null;
  private entry: Entry | null = null;
  private details: TxDetails | null = null;

  constructor(
    private readonly onRow: (txn: Transaction, line: number) => void,
    private readonly onError: (error: RowError) => void,
  ) {
    this.parser = new SaxesParser({ xmlns: false });
    const p = this.parser;
    // Few handlers on purpose: saxes adds each as a property of itself, and with ten of them it
    // ran 3–5 times slower here (the parser object apparently leaves V8's fast property mode).
    // Without an error handler saxes throws at the first error: pump() and end() report it.
    p.on('opentag', (tag) => {
      if (this.stopped) return;
      this.touch(true);
      if (this.keys.length === 0) this.checkEncoding();
      if (this.keys.length >= MAX_DEPTH) this.fatal(this.line(), rowErrorText('xml_too_deep', { max: MAX_DEPTH }));
      else this.open(tag);
    });
    p.on('closetag', () => {
      if (this.stopped) return;
      this.touch(true);
      this.close();
    });
    p.on('text', (text) => {
      if (this.stopped) return;
      this.touch(false);
      if (this.dropNextText) this.dropNextText = false;
      else this.append(text);
    });
    p.on('cdata', (text) => {
      if (this.stopped) return;
      this.touch(true);
      this.append(text);
    });
  }

  /** Reads a chunk; keeps an incomplete last character, and less than a slice of text, for the next one. */
  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    if (this.stopped) return;
    let buf = chunk;
    if (this.carry.length > 0) {
      buf = new Uint8Array(this.carry.length + chunk.length);
      buf.set(this.carry);
      buf.set(chunk, this.carry.length);
    }
    const whole = buf.subarray(0, completeLength(buf));
    if (isUtf8(whole)) {
      // A copy: a view would pin the whole chunk in memory.
      this.carry = Uint8Array.from(buf.subarray(whole.length));
      this.pending += decode(whole);
      this.pump(false);
    } else {
      this.pending += decode(whole.subarray(0, validUtf8Prefix(whole)));
      this.pump(true);
      this.fatal(this.line(), rowErrorText('not_utf8'));
    }
    this.deliver();
  }

  /** Finishes the document: checks that it is complete and a camt.053 statement. */
  end(): void {
    if (!this.stopped) {
      this.pump(true);
      if (this.carry.length > 0) this.fatal(this.line(), rowErrorText('not_utf8'));
      if (!this.stopped) {
        try {
          this.parser.close();
        } catch (err) {
          this.malformed(err);
        }
      }
      if (!this.stopped && !this.sawStatementList) this.fatal(1, rowErrorText('not_camt053'));
      this.stopped = true;
    }
    this.carry = new Uint8Array(0);
    this.pending = '';
    this.deliver();
  }

  private checkEncoding(): void {
    const encoding = this.parser.xmlDecl.encoding ?? 'UTF-8';
    if (!/^utf-?8$/i.test(encoding)) this.fatal(1, rowErrorText('encoding_unsupported', { encoding }));
  }

  /** The report of an error saxes threw, without the position it puts in front. */
  private malformed(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.fatal(this.line(), rowErrorText('xml_malformed', { message: message.replace(/^\d+:\d+: /, '') }));
  }

  private line(): number {
    return this.parser.line + this.skippedLines;
  }

  /** The stream position (in characters) of the parser's current event: only right inside its handlers. */
  private position(): number {
    return this.parser.position + this.skippedChars;
  }

  private fatal(line: number, reason: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.queue.push({ ok: false, error: { line, reason } });
  }

  private fail(line: number, reason: string): void {
    this.queue.push({ ok: false, error: { line, reason } });
  }

  private deliver(): void {
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    for (const r of batch) {
      if (r.ok) {
        this.rows++;
        this.onRow(r.txn, r.line);
      } else {
        this.bad++;
        this.onError(r.error);
      }
    }
  }

  /**
   * Gives the pending text to the parser in slices that end at the same stream positions however
   * the input was chunked (so that every event, error and line number is the same), checking
   * between slices that no token grows past the limits. Less than a slice waits for more input
   * unless final.
   */
  private pump(final: boolean): void {
    const text = this.pending;
    let i = 0;
    while (i < text.length && !this.stopped) {
      if (this.skipping) {
        const lt = text.indexOf('<', i);
        const end = lt < 0 ? text.length : lt;
        this.skip(text, i, end);
        i = end;
        if (lt >= 0) this.skipping = false;
        continue;
      }
      // Never past the point where the token since the last event gets too long: the check trips there.
      const room = this.lastEventAt + MAX_TEXT_CHARS + 1 - (this.fed + this.skippedChars);
      const want = Math.min(SLICE_CHARS, Math.max(room, 1));
      if (text.length - i < want && !final) break;
      const end = Math.min(text.length, i + want);
      const slice = text.slice(i, end);
      const before = this.fed;
      this.fed += slice.length;
      try {
        this.parser.write(slice);
      } catch (err) {
        this.malformed(err);
      }
      i = end;
      if (!this.stopped) this.watch(slice, before);
      this.deliver();
    }
    this.pending = i === 0 ? text : text.slice(i);
  }

  /** Drops text[from, to) of an over-long text node, counting its lines so that later line numbers stay right. */
  private skip(text: string, from: number, to: number): void {
    let lines = 0;
    let afterCr = this.skipAfterCr;
    for (let k = from; k < to; k++) {
      const c = text.charCodeAt(k);
      if (c === 0x0a) {
        if (!afterCr) lines++;
        afterCr = false;
      } else if (c === 0x0d) {
        lines++;
        afterCr = true;
      } else afterCr = false;
    }
    this.skipAfterCr = afterCr;
    this.skippedLines += lines;
    this.skippedChars += to - from;
  }

  /** After a slice: has the parser been buffering one token for too long? */
  private watch(slice: string, before: number): void {
    const fromEvent = this.lastEventAt - this.skippedChars - before;
    const from = Math.max(fromEvent, 0);
    if (slice.indexOf('<', from) >= 0) this.markupSinceEvent = true;
    const amp = slice.lastIndexOf('&');
    const semi = slice.lastIndexOf(';');
    if (amp >= from && amp > semi) this.openEntityAt = before + amp;
    else if (fromEvent >= 0 || semi >= from) this.openEntityAt = -1;
    const now = this.fed;
    if (now + this.skippedChars - this.lastEventAt <= MAX_TEXT_CHARS) return;
    if (!this.textMayFollow || this.markupSinceEvent) {
      this.fatal(this.lastEventLine, rowErrorText('markup_too_long', { max: MAX_TEXT_CHARS }));
      return;
    }
    if (this.openEntityAt >= 0) {
      // Let the parser finish the entity reference first; a long one is malformed.
      if (now - this.openEntityAt > MAX_ENTITY_CHARS)
        this.fatal(this.line(), rowErrorText('xml_malformed', { message: 'an entity reference is not closed' }));
      return;
    }
    // A text node too long to keep: drop the rest of it up to the next markup.
    this.skipping = true;
    this.skipAfterCr = false;
    this.dropNextText = true;
    this.overflow(this.lastEventLine);
    const cap = this.captures.at(-1);
    if (cap && cap.depth === this.keys.length) cap.over = true;
  }

  /** Records that the parser has just reported an event (and where). */
  private touch(textMayFollow: boolean): void {
    const at = this.position();
    this.lastEventAt = at;
    this.lastEventLine = this.line();
    this.textMayFollow = textMayFollow;
    this.markupSinceEvent = false;
    this.openEntityAt = -1;
    const e = this.entry;
    if (e && e.bad === null && at - e.start > MAX_ENTRY_CHARS) {
      e.bad = rowErrorText('entry_too_long', { max: MAX_ENTRY_CHARS });
      e.details = [];
      this.details = null;
    }
  }

  /** A text longer than MAX_TEXT_CHARS: its entry is bad, or (outside entries) it is reported and ignored. */
  private overflow(line: number): void {
    if (this.entry) this.entry.bad ??= rowErrorText('entry_text_too_long', { max: MAX_TEXT_CHARS });
    else this.fail(line, rowErrorText('text_too_long', { max: MAX_TEXT_CHARS }));
  }

  private open(tag: SaxesTagPlain): void {
    const name = localName(tag.name);
    const parent = this.keys.at(-1) ?? '';
    let key: string;
    if (name === 'BkToCstmrStmt' && this.statement === null) {
      key = name;
      this.sawStatementList = true;
    } else if (name === 'Stmt' && parent === 'BkToCstmrStmt') {
      key = name;
      this.statement = { accountId: '', customerNumber: '' };
    } else if (name === 'Ntry' && parent === 'Stmt') {
      key = name;
      this.entry = {
        line: this.line(),
        start: this.position(),
        bad: null,
        hasStatus: false,
        status: '',
        statusCode: '',
        statusProprietary: '',
        entryRef: '',
        servicerRef: '',
        amount: null,
        creditDebit: '',
        bookedAt: '',
        bookedOn: '',
        code: noCode(),
        additionalInfo: '',
        details: [],
      };
    } else if (name === 'TxDtls' && parent === 'Ntry/NtryDtls') {
      key = name;
      this.details = {
        ref: '',
        amount: null,
        txAmount: null,
        creditDebit: '',
        code: noCode(),
        debtorName: '',
        debtorAccount: '',
        creditorName: '',
        creditorAccount: '',
        remittance: '',
        additionalInfo: '',
      };
    } else if (parent === '' || parent === IGNORED) key = parent;
    else {
      const path = `${parent}/${name}`;
      key = ON_PATH.has(path) ? path : IGNORED;
    }
    this.keys.push(key);
    if (key === 'Ntry/Sts' && this.entry) this.entry.hasStatus = true;
    if (CAPTURED.has(key)) {
      this.captures.push({ key, depth: this.keys.length, text: '', over: false, line: this.line() });
      if (key.endsWith('Amt')) this.openAmount(key, tag.attributes.Ccy ?? '');
    }
  }

  private openAmount(key: string, currency: string): void {
    const money = { value: '', currency: currency.trim() };
    if (key === 'Ntry/Amt') {
      if (this.entry && this.entry.amount === null) this.entry.amount = money;
    } else if (this.details) {
      if (key === 'TxDtls/Amt') this.details.amount ??= money;
      else this.details.txAmount ??= money;
    }
  }

  private append(text: string): void {
    const cap = this.captures.at(-1);
    if (!cap || cap.depth !== this.keys.length || cap.over) return;
    if (cap.text.length + text.length > MAX_TEXT_CHARS) {
      cap.over = true;
      cap.text = '';
      this.overflow(cap.line);
    } else cap.text += text;
  }

  private close(): void {
    const depth = this.keys.length;
    const key = this.keys.pop() ?? '';
    const cap = this.captures.at(-1);
    if (cap && cap.depth === depth) {
      this.captures.pop();
      if (!cap.over) this.store(key, cap.text);
    }
    if (key === 'TxDtls') {
      if (this.details && this.entry && this.entry.bad === null) this.entry.details.push(this.details);
      this.details = null;
    } else if (key === 'Ntry') {
      const e = this.entry;
      this.entry = null;
      this.details = null;
      if (e) this.finish(e);
    } else if (key === 'Stmt') this.statement = null;
  }

  /** Keeps the text of an element of interest (the first one wins where the mapping takes one). */
  private store(key: string, raw: string): void {
    // Ustrd lines are continuations: kept as they are, trimmed only as a whole.
    const value = key === 'TxDtls/RmtInf/Ustrd' ? raw : raw.trim();
    const s = this.statement;
    if (key.startsWith('Stmt/')) {
      if (!s) return;
      if (key.startsWith('Stmt/Acct/Id/')) s.accountId ||= value;
      else s.customerNumber ||= value;
      return;
    }
    const e = this.entry;
    if (!e) return;
    if (e.bad !== null) {
      // Only the status is still wanted: a pending entry is skipped however long it is.
      if (key === 'Ntry/Sts') e.status ||= value;
      else if (key === 'Ntry/Sts/Cd') e.statusCode ||= value;
      else if (key === 'Ntry/Sts/Prtry') e.statusProprietary ||= value;
      return;
    }
    const t = this.details;
    switch (key) {
      case 'Ntry/NtryRef':
        e.entryRef ||= value;
        break;
      case 'Ntry/Amt':
        if (e.amount && e.amount.value === '') e.amount.value = value;
        break;
      case 'Ntry/CdtDbtInd':
        e.creditDebit ||= value;
        break;
      case 'Ntry/Sts':
        e.status ||= value;
        break;
      case 'Ntry/Sts/Cd':
        e.statusCode ||= value;
        break;
      case 'Ntry/Sts/Prtry':
        e.statusProprietary ||= value;
        break;
      case 'Ntry/BookgDt/DtTm':
        e.bookedAt ||= value;
        break;
      case 'Ntry/BookgDt/Dt':
        e.bookedOn ||= value;
        break;
      case 'Ntry/AcctSvcrRef':
        e.servicerRef ||= value;
        break;
      case 'Ntry/AddtlNtryInf':
        e.additionalInfo ||= value;
        break;
      case 'TxDtls/Refs/AcctSvcrRef':
        if (t) t.ref ||= value;
        break;
      case 'TxDtls/Amt':
        if (t?.amount && t.amount.value === '') t.amount.value = value;
        break;
      case 'TxDtls/AmtDtls/TxAmt/Amt':
        if (t?.txAmount && t.txAmount.value === '') t.txAmount.value = value;
        break;
      case 'TxDtls/CdtDbtInd':
        if (t) t.creditDebit ||= value;
        break;
      case 'TxDtls/RltdPties/Dbtr/Nm':
      case 'TxDtls/RltdPties/Dbtr/Pty/Nm':
        if (t) t.debtorName ||= value;
        break;
      case 'TxDtls/RltdPties/DbtrAcct/Id/IBAN':
      case 'TxDtls/RltdPties/DbtrAcct/Id/Othr/Id':
        if (t) t.debtorAccount ||= value;
        break;
      case 'TxDtls/RltdPties/Cdtr/Nm':
      case 'TxDtls/RltdPties/Cdtr/Pty/Nm':
        if (t) t.creditorName ||= value;
        break;
      case 'TxDtls/RltdPties/CdtrAcct/Id/IBAN':
      case 'TxDtls/RltdPties/CdtrAcct/Id/Othr/Id':
        if (t) t.creditorAccount ||= value;
        break;
      case 'TxDtls/RmtInf/Ustrd':
        if (t) t.remittance += value;
        break;
      case 'TxDtls/AddtlTxInf':
        if (t) t.additionalInfo ||= value;
        break;
      default:
        this.storeCode(key, value);
    }
  }

  private storeCode(key: string, value: string): void {
    const slash = key.indexOf('/');
    const owner = key.slice(0, slash);
    const code = owner === 'Ntry' ? this.entry?.code : this.details?.code;
    if (!code) return;
    switch (key.slice(slash + 1)) {
      case 'BkTxCd/Domn/Cd':
        code.domain ||= value;
        break;
      case 'BkTxCd/Domn/Fmly/Cd':
        code.family ||= value;
        break;
      case 'BkTxCd/Domn/Fmly/SubFmlyCd':
        code.subFamily ||= value;
        break;
      case 'BkTxCd/Prtry/Cd':
        code.proprietary ||= value;
        break;
      case 'BkTxCd/Prtry/Issr':
        code.issuer ||= value;
        break;
    }
  }

  /** A closed entry: skipped unless booked, else one transaction (or one per TxDtls of a split entry). */
  private finish(e: Entry): void {
    const status = e.statusCode || (e.statusProprietary !== '' ? `Prtry ${e.statusProprietary}` : e.status);
    if (e.hasStatus && status !== 'BOOK') return;
    const context = entryContext(e, this.statement);
    if (typeof context === 'string') {
      this.fail(e.line, context);
      return;
    }
    const parts: [TxDetails | null, number][] = e.details.length > 1 ? e.details.map((t, k) => [t, k + 1]) : [[e.details[0] ?? null, 0]];
    for (const [t, part] of parts) {
      const txn = mapTransaction(context.statement, e, context.bookedAt, t, part);
      if (typeof txn === 'string') this.fail(e.line, inPart(part, txn));
      else this.queue.push({ ok: true, line: e.line, txn });
    }
  }
}

/** What every transaction of a booked entry needs (its statement's account, its booking time), or why it is missing. */
function entryContext(e: Entry, s: Statement | null): { statement: Statement; bookedAt: string } | string {
  if (e.bad !== null) return e.bad;
  if (!e.hasStatus) return rowErrorText('entry_no_status');
  if (!s || s.accountId === '') return rowErrorText('statement_no_account');
  if (s.customerNumber === '') return rowErrorText('statement_no_owner');
  const bookedAt = bookingInstant(e);
  return typeof bookedAt === 'string' ? { statement: s, bookedAt } : bookedAt.error;
}

/**
 * Maps one entry (part 0) or one TxDtls of a split entry (part ≥ 1) to the API.md fields and
 * validates them with toTransaction(), so that CSV, NDJSON and camt.053 accept the same values.
 */
function mapTransaction(s: Statement, e: Entry, bookedAt: string, t: TxDetails | null, part: number): Transaction | string {
  const entryRef = e.servicerRef || e.entryRef;
  const txnId = part > 0 ? t?.ref || (entryRef === '' ? '' : `${entryRef}/${part}`) : e.servicerRef || t?.ref || e.entryRef;
  if (txnId === '') return rowErrorText('entry_no_reference');
  const money = part > 0 ? (t?.amount ?? t?.txAmount ?? null) : e.amount;
  const amountPath = part > 0 ? 'TxDtls/Amt' : 'Amt';
  if (money === null || money.value === '')
    return rowErrorText('entry_no_amount', { path: part > 0 ? 'TxDtls/Amt or TxDtls/AmtDtls/TxAmt/Amt' : 'Amt' });
  if (!/^[A-Z]{3}$/.test(money.currency)) return rowErrorText('entry_currency_missing', { path: amountPath });
  const minor = decimalToMinor(money.value, currencyExponent(money.currency));
  if (typeof minor !== 'string')
    return minor.error === 'entry_amount_decimals'
      ? rowErrorText(minor.error, { path: amountPath, decimals: minor.decimals, currency: money.currency })
      : rowErrorText(minor.error, { path: amountPath, currency: money.currency });
  const indicator = (part > 0 ? t?.creditDebit : '') || e.creditDebit;
  if (indicator !== 'DBIT' && indicator !== 'CRDT') return rowErrorText('credit_debit_invalid');
  const debit = indicator === 'DBIT';
  const code = t?.code ?? null;
  return toTransaction([
    txnId,
    s.accountId,
    s.customerNumber,
    bookedAt,
    minor,
    money.currency,
    debit ? 'debit' : 'credit',
    channelOf(code, e.code),
    (debit ? t?.creditorName : t?.debtorName) ?? '',
    (debit ? t?.creditorAccount : t?.debtorAccount) ?? '',
    mccOf(code, e.code),
    (t?.remittance || t?.additionalInfo || e.additionalInfo).trim(),
  ]);
}

/** Parses a camt.053 stream into typed transactions and per-entry errors, in order, in constant memory. */
export async function* parseTransactionsCamt053(source: AsyncIterable<Uint8Array>): AsyncGenerator<ParsedRow> {
  let out: ParsedRow[] = [];
  const reader = new Camt053TransactionReader(
    (txn, line) => out.push({ ok: true, line, txn }),
    (error) => out.push({ ok: false, error }),
  );
  for await (const chunk of source) {
    reader.push(chunk);
    const batch = out;
    out = [];
    yield* batch;
  }
  reader.end();
  yield* out;
}
