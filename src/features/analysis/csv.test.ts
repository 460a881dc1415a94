import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ParsedRow, TRANSACTION_COLUMNS, toTransaction } from '../../domain/analysis/transaction.js';
import { CsvTransactionReader, csvField, parseTransactionsCsv } from './csv.js';
import { parseTransactionsNdjson } from './ndjson.js';

const HEADER = `${TRANSACTION_COLUMNS.join(',')}\n`;

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(gen: AsyncGenerator<ParsedRow>): Promise<ParsedRow[]> {
  const out: ParsedRow[] = [];
  for await (const r of gen) out.push(r);
  return out;
}

const row = (over: Partial<Record<(typeof TRANSACTION_COLUMNS)[number], string>> = {}) => {
  const base: Record<string, string> = {
    txn_id: 'T1',
    account_id: 'A1',
    customer_number: 'C1',
    booked_at: '2025-06-01T08:00:00Z',
    amount_minor: '12345',
    currency: 'CNY',
    direction: 'debit',
    channel: 'card',
    counterparty_name: '西湖人民医院',
    counterparty_account: '',
    mcc: '8062',
    description: '住院医疗费',
    ...over,
  };
  return TRANSACTION_COLUMNS.map((c) => csvField(base[c] ?? '')).join(',');
};

describe('the transactions CSV reader', () => {
  it('should read good rows and report bad ones with their line, going on after them', async () => {
    const text = `${HEADER}${row()}\n${row({ amount_minor: '-5' })}\n${row({ txn_id: 'T3', channel: 'pigeon' })}\n"T4",A1\n${row({ txn_id: 'T5' })}\r\n`;
    const out = await collect(parseTransactionsCsv(chunks(Buffer.from(text), 7)));
    expect(out.filter((r) => r.ok).map((r) => (r.ok ? r.txn.txnId : ''))).toEqual(['T1', 'T5']);
    expect(out.filter((r) => !r.ok).map((r) => (r.ok ? 0 : r.error.line))).toEqual([3, 4, 5]);
  });

  it('should refuse a file whose header is not the one of API.md', async () => {
    const out = await collect(parseTransactionsCsv(chunks(Buffer.from(`txn_id,amount\n${row()}\n`), 64)));
    expect(out).toEqual([{ ok: false, error: { line: 1, reason: expect.stringContaining('header') } }]);
  });

  it('should count lines inside quoted fields and accept a missing final line end', async () => {
    const text = `${HEADER}${row({ description: 'a\nb' })}\n${row({ txn_id: 'T2', amount_minor: 'x' })}`;
    const out = await collect(parseTransactionsCsv(chunks(Buffer.from(text), 5)));
    expect(out[0]?.ok && out[0].txn.description).toBe('a\nb');
    expect(!out[1]?.ok && out[1]?.error.line).toBe(4);
  });

  it('should never throw on arbitrary bytes, after the header or instead of it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 400 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        async (bytes, withHeader, size) => {
          const input = withHeader ? Buffer.concat([Buffer.from(HEADER), bytes]) : Buffer.from(bytes);
          const out = await collect(parseTransactionsCsv(chunks(input, size)));
          for (const r of out) if (!r.ok) expect(r.error.line).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  const text = fc.string({ unit: fc.constantFrom('a', 'Z', ',', '"', '\n', '\r\n', ' ', '医', '院', '😀', '\t', "'"), maxLength: 20 });
  const txn = fc.record({
    txn_id: fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/),
    customer_number: fc.stringMatching(/^[A-Z0-9]{1,12}$/),
    booked_at: fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    amount_minor: fc.integer({ min: 1, max: 10 ** 12 }).map(String),
    direction: fc.constantFrom('debit', 'credit'),
    channel: fc.constantFrom('card', 'transfer', 'atm', 'counter', 'online', 'direct_debit'),
    counterparty_name: text,
    counterparty_account: text,
    mcc: fc.constantFrom('', '8062', '5912', '0000'),
    description: text,
  });

  it('should give back generated rows with commas, quotes, line ends and emoji exactly, in CSV and NDJSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(txn, { maxLength: 15 }), fc.integer({ min: 1, max: 50 }), async (txns, size) => {
        const csv = HEADER + txns.map((t) => `${row(t)}\n`).join('');
        const ndjson = txns
          .map((t) =>
            JSON.stringify({ ...Object.fromEntries(TRANSACTION_COLUMNS.map((c) => [c, ''])), account_id: 'A1', currency: 'CNY', ...t }),
          )
          .join('\n');
        for (const out of [
          await collect(parseTransactionsCsv(chunks(Buffer.from(csv), size))),
          await collect(parseTransactionsNdjson(chunks(Buffer.from(ndjson), size))),
        ]) {
          expect(out.every((r) => r.ok)).toBe(true);
          expect(
            out.map((r) => (r.ok ? [r.txn.txnId, r.txn.counterpartyName, r.txn.counterpartyAccount, r.txn.description, r.txn.atMs] : [])),
          ).toEqual(txns.map((t) => [t.txn_id, t.counterparty_name, t.counterparty_account, t.description, Date.parse(t.booked_at)]));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('should accept and refuse exactly what the shared validator does (fast byte checks agree with it)', async () => {
    const field = fc.oneof(
      fc.constantFrom(
        '',
        '0',
        '12',
        'debit',
        'credit',
        'card',
        'CNY',
        'cny',
        '2025-02-29T00:00:00Z',
        '2024-02-29T23:59:59.5+08:00',
        '2025-01-01T00:00Z',
        '8062',
      ),
      fc.string({ maxLength: 8 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(field, { minLength: 12, maxLength: 12 }), async (fields) => {
        const good = row();
        const mixed = good.split(',').map((f, k) => (k === 0 || k % 3 === 0 ? f : (fields[k] ?? f)));
        const csv = `${HEADER}${mixed.map(csvField).join(',')}\n`;
        let accepted = false;
        const reader = new CsvTransactionReader(
          () => {
            accepted = true;
          },
          () => {},
        );
        reader.push(Buffer.from(csv));
        reader.end();
        expect(accepted).toBe(typeof toTransaction(mixed) !== 'string');
      }),
      { numRuns: 500 },
    );
  });
});
