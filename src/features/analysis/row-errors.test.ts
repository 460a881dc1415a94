import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyRowError, inPart, ROW_ERROR_CODES, ROW_ERRORS, type RowErrorCode } from '../../domain/analysis/row-errors.js';
import { type ParsedRow, TRANSACTION_COLUMNS } from '../../domain/analysis/transaction.js';
import { camt053Document } from './camt053-writer.js';
import { parserFor } from './formats.service.js';
import { generateCustomer } from './generator.js';

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function reasons(format: 'csv' | 'ndjson' | 'camt053', text: string | Uint8Array): Promise<string[]> {
  const out: string[] = [];
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  for await (const r of parserFor(format)(once(bytes)) as AsyncIterable<ParsedRow>) if (!r.ok) out.push(r.error.reason);
  return out;
}

const HEADER = TRANSACTION_COLUMNS.join(',');
const GOOD = ['T1', 'A1', 'C1', '2025-06-01T08:00:00Z', '12345', 'CNY', 'debit', 'card', '医院', '', '8062', '医疗费'];
const csvRow = (k: number, value: string) => GOOD.map((v, i) => (i === k ? value : v)).join(',');
const ndjsonRow = (k: number, value: unknown) =>
  JSON.stringify(Object.fromEntries(TRANSACTION_COLUMNS.map((c, i) => [c, i === k ? value : GOOD[i]])));

describe('the reasons of bad rows', () => {
  it('should read every template back into its code and parameters, a split entry’s part too', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<RowErrorCode>(...ROW_ERROR_CODES),
        fc.stringMatching(/^[A-Za-z0-9_/. -]{1,20}$/),
        fc.nat(5),
        (code, value, part) => {
          const names = [...ROW_ERRORS[code].matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
          const params = Object.fromEntries(names.map((n) => [n, value]));
          const text = inPart(
            part,
            ROW_ERRORS[code].replace(/\{(\w+)\}/g, () => value),
          );
          const read = classifyRowError(text);
          // Two templates may share a shape only if they differ in the fixed words: the code must come back.
          expect(read.code).toBe(code);
          expect(read.params).toEqual({ ...params, ...(part > 0 ? { part: String(part) } : {}) });
        },
      ),
    );
  });

  it('should name a text no template made `other`, keeping the text', () => {
    expect(classifyRowError('the printer is on fire')).toEqual({ code: 'other', params: { reason: 'the printer is on fire' } });
  });

  it('should give every reason the three parsers write a code of the catalogue', async () => {
    const csv = [
      HEADER,
      ...GOOD.map((_, k) => csvRow(k, k === 8 || k === 9 || k === 11 ? 'x' : 'bad\u0001')).filter((_, k) => ![8, 9, 11].includes(k)),
      csvRow(10, '12'),
      csvRow(4, '0'),
      csvRow(3, 'yesterday'),
      csvRow(5, 'cny'),
      csvRow(6, 'out'),
      csvRow(7, 'pigeon'),
      'T9,A1',
      '"T10,A1',
    ].join('\n');
    const ndjson = [
      'not json',
      '[1]',
      ndjsonRow(4, -5),
      ndjsonRow(4, 'x'),
      ndjsonRow(0, 7),
      ndjsonRow(3, 'soon'),
      ndjsonRow(7, 'pigeon'),
    ].join('\n');
    const rows = generateCustomer({ accounts: 10, days: 5, seed: 1, rate: 1 }, 1).rows.slice(0, 3);
    const doc = camt053Document(rows, '2025-06-30T23:59:59Z');
    const camt = [
      doc.replace(/<Ownr>[\s\S]*?<\/Ownr>/, '').replace(/<camt:Ownr>[\s\S]*?<\/camt:Ownr>/, ''),
      doc.replace(/Ccy="CNY"/, 'Ccy="cny"'),
      doc.replace(/>(\d+)\.(\d\d)</, '>$1.$25<'),
      doc.replace(/<CdtDbtInd>(DBIT|CRDT)<\/CdtDbtInd>/, '<CdtDbtInd>X</CdtDbtInd>'),
      '<Document><BkToCstmrNtfctn/></Document>',
      doc.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'),
      doc.slice(0, doc.length / 2),
    ];
    const all = [
      ...(await reasons('csv', csv)),
      ...(await reasons('csv', 'a,b\n1,2\n')),
      ...(await reasons('csv', Buffer.from([...Buffer.from(`${HEADER}\n`), 0xff, 0x2c, 0x0a]))),
      ...(await reasons('ndjson', ndjson)),
      ...(await Promise.all(camt.map((d) => reasons('camt053', d)))).flat(),
    ];
    expect(all.length).toBeGreaterThan(25);
    const codes = new Set(all.map((r) => classifyRowError(r).code));
    expect(all.filter((r) => classifyRowError(r).code === 'other')).toEqual([]);
    expect(codes.size).toBeGreaterThan(15);
  });
});
