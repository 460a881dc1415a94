/**
 * Why a row of a transaction file was refused, as a stable code with parameters (issue 10): the
 * parsers write the English reason from this catalogue (API.md's `reason`, `lifeline ingest` and
 * `scan` print it), and the same text is read back into its code and parameters, so the web page
 * says it in the reader's language (`batches.reasons.<code>`) — for rows stored before the codes
 * existed too, since their texts came from the same templates.
 */
export const ROW_ERRORS = {
  txn_id_invalid: 'txn_id must be 1–128 characters without control characters',
  account_id_invalid: 'account_id must be 1–64 characters without control characters',
  customer_number_invalid: 'customer_number must be 1–{max} bytes without control characters',
  booked_at_invalid: 'booked_at must be an ISO-8601 instant with a zone',
  amount_invalid: 'amount_minor must be a positive integer',
  currency_invalid: 'currency must be an ISO 4217 code',
  direction_invalid: 'direction must be debit or credit',
  channel_invalid: 'channel must be one of {channels}',
  mcc_invalid: 'mcc must be 4 digits or empty',
  /** Written by the validator of issue 10, item 8 (NUL or lone surrogates in a text field). */
  text_unstorable: 'text fields must not hold NUL characters or broken Unicode',
  quote_not_closed: 'a quoted field is not closed',
  text_after_quote: 'text after a closing quote',
  row_too_long: 'row longer than {max} bytes',
  header_missing: 'missing header: expected {header}',
  header_wrong: 'the header must be exactly: {header}',
  field_count: 'expected {expected} fields, found {found}',
  not_utf8: 'not valid UTF-8',
  line_too_long: 'line longer than {max} bytes',
  not_json: 'not valid JSON',
  not_object: 'not a JSON object',
  amount_not_number: 'amount_minor must be a whole number',
  field_not_text: '{field} must be a string',
  xml_too_deep: 'elements nested deeper than {max}',
  not_camt053: 'not a camt.053 statement: no BkToCstmrStmt element',
  encoding_unsupported: 'only UTF-8 is read, the document declares {encoding}',
  xml_malformed: 'malformed XML: {message}',
  markup_too_long: 'a tag, comment, CDATA section or other markup longer than {max} characters',
  entry_too_long: 'the entry is longer than {max} characters',
  entry_text_too_long: 'a text in the entry is longer than {max} characters',
  text_too_long: 'a text longer than {max} characters is ignored',
  entry_no_status: 'the entry has no status (Sts)',
  statement_no_account: 'the statement has no account id (Acct/Id/IBAN or Acct/Id/Othr/Id)',
  statement_no_owner: "the statement's account has no owner id (Acct/Ownr/Id/OrgId/Othr/Id or Acct/Ownr/Id/PrvtId/Othr/Id)",
  booking_date_invalid: 'BookgDt/Dt must be a date (YYYY-MM-DD)',
  booking_date_missing: 'the entry has no booking date (BookgDt/DtTm or BookgDt/Dt)',
  entry_no_reference: 'no reference for the txn_id (AcctSvcrRef or NtryRef)',
  entry_no_amount: 'no amount ({path})',
  entry_currency_missing: '{path} needs a Ccy attribute with an ISO 4217 code',
  entry_amount_not_decimal: '{path} must be a positive decimal number ({currency})',
  entry_amount_decimals: '{path} has more than {decimals} decimals ({currency})',
  entry_amount_zero: '{path} must be more than zero ({currency})',
  entry_amount_too_large: '{path} is too large ({currency})',
  credit_debit_invalid: 'CdtDbtInd must be CRDT or DBIT',
} as const;

export type RowErrorCode = keyof typeof ROW_ERRORS;
/** A reason no template makes (none today; a text stored by a future or foreign writer). */
export type RowErrorKind = RowErrorCode | 'other';

export const ROW_ERROR_CODES = Object.keys(ROW_ERRORS) as RowErrorCode[]; // Object.keys loses the key type; these are exactly its keys.

type Names<S extends string> = S extends `${string}{${infer N}}${infer Rest}` ? N | Names<Rest> : never;
/** The parameters a code's template names. */
export type RowErrorParams<C extends RowErrorCode> = Record<Names<(typeof ROW_ERRORS)[C]>, string | number>;

/** A split camt.053 entry's bad part is reported as `TxDtls <n>: <reason>`. */
const PART = /^TxDtls (\d+): /;

/** The English reason of a code with its parameters; `part` (a split camt.053 entry's TxDtls) prefixes it. */
export function rowErrorText<C extends RowErrorCode>(
  code: C,
  ...args: Names<(typeof ROW_ERRORS)[C]> extends never ? [] : [RowErrorParams<C>]
): string {
  const params: Record<string, string | number> = args[0] ?? {};
  return ROW_ERRORS[code].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

/** The reason of one TxDtls of a split camt.053 entry. */
export function inPart(part: number, reason: string): string {
  return part > 0 ? `TxDtls ${part}: ${reason}` : reason;
}

const MATCHERS = ROW_ERROR_CODES.map((code) => {
  const names: string[] = [];
  const pattern = ROW_ERRORS[code]
    .split(/(\{\w+\})/)
    .map((piece) => {
      const name = /^\{(\w+)\}$/.exec(piece)?.[1];
      if (name === undefined) return piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return '(.+?)';
    })
    .join('');
  return { code, names, re: new RegExp(`^${pattern}$`, 's') };
});

/** A stored reason read back into its code and parameters (`other` with the text when no template made it). */
export function classifyRowError(reason: string): { code: RowErrorKind; params: Record<string, string> } {
  const part = PART.exec(reason);
  const rest = part ? reason.slice(part[0].length) : reason;
  const extra: Record<string, string> = part?.[1] !== undefined ? { part: part[1] } : {};
  for (const m of MATCHERS) {
    const found = m.re.exec(rest);
    if (found) return { code: m.code, params: { ...Object.fromEntries(m.names.map((n, k) => [n, found[k + 1] ?? ''])), ...extra } };
  }
  return { code: 'other', params: { reason, ...extra } };
}
