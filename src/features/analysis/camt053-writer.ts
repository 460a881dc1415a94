import type { Channel } from '../../domain/analysis/transaction.js';
import { currencyExponent } from './camt053.js';
import type { GenRow } from './generator.js';

/**
 * Generated transactions as ISO 20022 camt.053 statements, the counterpart of csvLine() and
 * ndjsonLine() (for tests and `lifeline gen-transactions --format camt053`). Pieces, so that a
 * caller can stream a document of any size: header, per account a statement start, its entries
 * and a statement end, then the footer. Written so that Camt053TransactionReader reads back
 * exactly the transactions the CSV gives (docs/import-formats.md, "camt.053 statements").
 */

/** The two message versions written: 001.02 (the oldest the reader takes) and 001.08. */
export type Camt053Version = '02' | '08';

/** Options shared by the pieces. */
export interface Camt053Options {
  /** Message version (default 08). */
  version?: Camt053Version;
  /** ISO 4217 currency of the amounts (default CNY, as the generator's rows are). */
  currency?: string;
}

/** One statement: the account, its owner's customer number and the statement's identity. */
export interface Camt053Statement {
  statementId: string;
  accountId: string;
  customerNumber: string;
  /** ISO date-time the statement was created. */
  createdAt: string;
  /** Opening and closing booked balances in minor units (negative when overdrawn), if known. */
  openingMinor?: number;
  closingMinor?: number;
  /** ISO date of the balances. */
  balanceDate?: string;
}

/** Unstructured remittance lines hold at most 140 characters. */
const USTRD_CHARS = 140;

/** Escapes a text for XML content or a double-quoted attribute. */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** A positive amount in minor units as an xs:decimal of the currency (no floating point). */
export function minorToDecimal(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const digits = String(Math.abs(Math.trunc(minor))).padStart(exponent + 1, '0');
  return exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** The domain codes (PMNT family / sub-family) of a channel and direction, as the account holder's bank books them. */
const DOMAIN: Record<Channel, { debit: [string, string]; credit: [string, string] }> = {
  card: { debit: ['CCRD', 'POSD'], credit: ['CCRD', 'POSD'] },
  atm: { debit: ['CCRD', 'CWDL'], credit: ['CCRD', 'CDPT'] },
  counter: { debit: ['CNTR', 'CWDL'], credit: ['CNTR', 'CDPT'] },
  direct_debit: { debit: ['RDDT', 'OTHR'], credit: ['IDDT', 'OTHR'] },
  transfer: { debit: ['ICDT', 'DMCT'], credit: ['RCDT', 'DMCT'] },
  online: { debit: ['ICDT', 'DMCT'], credit: ['RCDT', 'DMCT'] },
};

/** Code points, not UTF-16 units: a line must not end inside a surrogate pair. */
function ustrdLines(text: string): string[] {
  const chars = [...text];
  const lines: string[] = [];
  for (let k = 0; k < chars.length; k += USTRD_CHARS) lines.push(chars.slice(k, k + USTRD_CHARS).join(''));
  return lines;
}

function party(version: Camt053Version, role: 'Dbtr' | 'Cdtr', name: string, account: string): string {
  let xml = '';
  if (name !== '') {
    const nm = `<Nm>${xmlEscape(name)}</Nm>`;
    xml += version === '08' ? `<${role}><Pty>${nm}</Pty></${role}>` : `<${role}>${nm}</${role}>`;
  }
  if (account !== '') xml += `<${role}Acct><Id><Othr><Id>${xmlEscape(account)}</Id></Othr></Id></${role}Acct>`;
  return xml;
}

/** The XML declaration, Document and group header of a statement message. */
export function camt053Header(messageId: string, createdAt: string, opts: Camt053Options = {}): string {
  const version = opts.version ?? '08';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n` +
    `<BkToCstmrStmt>\n<GrpHdr><MsgId>${xmlEscape(messageId)}</MsgId><CreDtTm>${xmlEscape(createdAt)}</CreDtTm></GrpHdr>\n`
  );
}

function balance(code: string, minor: number, date: string, currency: string): string {
  return (
    `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="${currency}">${minorToDecimal(minor, currency)}</Amt>` +
    `<CdtDbtInd>${minor < 0 ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>\n`
  );
}

/** The start of one account's statement, up to its entries. */
export function camt053StatementStart(stmt: Camt053Statement, opts: Camt053Options = {}): string {
  const currency = opts.currency ?? 'CNY';
  const date = stmt.balanceDate ?? stmt.createdAt.slice(0, 10);
  let xml =
    `<Stmt>\n<Id>${xmlEscape(stmt.statementId)}</Id><CreDtTm>${xmlEscape(stmt.createdAt)}</CreDtTm>\n` +
    `<Acct><Id><Othr><Id>${xmlEscape(stmt.accountId)}</Id></Othr></Id><Ccy>${currency}</Ccy>` +
    `<Ownr><Id><PrvtId><Othr><Id>${xmlEscape(stmt.customerNumber)}</Id><SchmeNm><Prtry>CUST</Prtry></SchmeNm></Othr></PrvtId></Id></Ownr></Acct>\n`;
  if (stmt.openingMinor !== undefined) xml += balance('OPBD', stmt.openingMinor, date, currency);
  if (stmt.closingMinor !== undefined) xml += balance('CLBD', stmt.closingMinor, date, currency);
  return xml;
}

/** One generated row as a booked entry (`<Ntry>`): the txn_id goes in AcctSvcrRef, seq (if given) in NtryRef. */
export function camt053Entry(row: GenRow, seq?: number, opts: Camt053Options = {}): string {
  const version = opts.version ?? '08';
  const currency = opts.currency ?? 'CNY';
  const debit = row.direction === 'debit';
  const amount = `<Amt Ccy="${currency}">${minorToDecimal(row.amountMinor, currency)}</Amt>`;
  const indicator = `<CdtDbtInd>${debit ? 'DBIT' : 'CRDT'}</CdtDbtInd>`;
  const bookedAt = new Date(row.atMs).toISOString();
  const [family, subFamily] = DOMAIN[row.channel][debit ? 'debit' : 'credit'];
  const online = row.channel === 'online' ? '<Prtry><Cd>ONLINE</Cd><Issr>LIFELINE</Issr></Prtry>' : '';
  let details = '<Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>';
  details += version === '08' ? `${amount}${indicator}` : `<AmtDtls><TxAmt>${amount}</TxAmt></AmtDtls>`;
  if (row.mcc !== '') details += `<BkTxCd><Prtry><Cd>${xmlEscape(row.mcc)}</Cd><Issr>ISO 18245</Issr></Prtry></BkTxCd>`;
  const parties = debit
    ? party(version, 'Cdtr', row.counterpartyName, row.counterpartyAccount)
    : party(version, 'Dbtr', row.counterpartyName, row.counterpartyAccount);
  if (parties !== '') details += `<RltdPties>${parties}</RltdPties>`;
  if (row.description !== '')
    details += `<RmtInf>${ustrdLines(row.description)
      .map((line) => `<Ustrd>${xmlEscape(line)}</Ustrd>`)
      .join('')}</RmtInf>`;
  return (
    `<Ntry>${seq === undefined ? '' : `<NtryRef>${seq}</NtryRef>`}${amount}${indicator}` +
    (version === '08' ? '<Sts><Cd>BOOK</Cd></Sts>' : '<Sts>BOOK</Sts>') +
    `<BookgDt><DtTm>${bookedAt}</DtTm></BookgDt><ValDt><Dt>${bookedAt.slice(0, 10)}</Dt></ValDt>` +
    `<AcctSvcrRef>${xmlEscape(row.txnId)}</AcctSvcrRef>` +
    `<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>${family}</Cd><SubFmlyCd>${subFamily}</SubFmlyCd></Fmly></Domn>${online}</BkTxCd>` +
    `<NtryDtls><TxDtls>${details}</TxDtls></NtryDtls></Ntry>\n`
  );
}

/** The end of a statement. */
export function camt053StatementEnd(): string {
  return '</Stmt>\n';
}

/** The end of the message. */
export function camt053Footer(): string {
  return '</BkToCstmrStmt>\n</Document>\n';
}

/**
 * The statements of some rows, one per account in order of first appearance, with balances
 * (opening 0). Holds the rows given: for one customer's rows at a time, not a whole data set.
 */
export function camt053Statements(rows: readonly GenRow[], createdAt: string, opts: Camt053Options = {}): string {
  const byAccount = new Map<string, GenRow[]>();
  for (const row of rows) {
    const list = byAccount.get(row.accountId);
    if (list) list.push(row);
    else byAccount.set(row.accountId, [row]);
  }
  let xml = '';
  for (const [accountId, list] of byAccount) {
    const first = list[0];
    if (!first) continue;
    const closing = list.reduce((sum, r) => sum + (r.direction === 'debit' ? -r.amountMinor : r.amountMinor), 0);
    xml += camt053StatementStart(
      {
        statementId: `STMT-${accountId}`,
        accountId,
        customerNumber: first.customerNumber,
        createdAt,
        openingMinor: 0,
        closingMinor: closing,
      },
      opts,
    );
    list.forEach((row, k) => {
      xml += camt053Entry(row, k + 1, opts);
    });
    xml += camt053StatementEnd();
  }
  return xml;
}

/** A whole camt.053 message of some rows (small data sets and tests). */
export function camt053Document(rows: readonly GenRow[], createdAt: string, opts: Camt053Options = {}): string {
  return `${camt053Header(`MSG-${createdAt}`, createdAt, opts)}${camt053Statements(rows, createdAt, opts)}${camt053Footer()}`;
}
