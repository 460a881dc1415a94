import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedRow } from '../../domain/analysis/transaction.js';
import { parseTransactionsNdjson } from './ndjson.js';

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(input: string | Uint8Array, size = 16): Promise<ParsedRow[]> {
  const out: ParsedRow[] = [];
  for await (const r of parseTransactionsNdjson(chunks(typeof input === 'string' ? Buffer.from(input) : input, size))) out.push(r);
  return out;
}

const good = {
  txn_id: 'T1',
  account_id: 'A1',
  customer_number: 'C1',
  booked_at: '2025-06-01T08:00:00+08:00',
  amount_minor: 500,
  currency: 'CNY',
  direction: 'credit',
  channel: 'transfer',
  counterparty_name: '水滴筹',
  counterparty_account: null,
  mcc: null,
  description: '筹款提现 🙏',
};

describe('the transactions NDJSON reader', () => {
  it('should read objects and report bad lines by number without stopping', async () => {
    const text = [
      JSON.stringify(good),
      '{not json',
      JSON.stringify({ ...good, amount_minor: 1.5 }),
      '',
      JSON.stringify({ ...good, txn_id: 'T2' }),
    ].join('\n');
    const out = await collect(text);
    expect(out.map((r) => (r.ok ? r.txn.txnId : r.error.line))).toEqual(['T1', 2, 3, 'T2']);
    expect(out[0]?.ok && out[0].txn.atMs).toBe(Date.parse('2025-06-01T00:00:00Z'));
  });

  it('should never throw on arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 40 }), async (bytes, size) => {
        const out = await collect(bytes, size);
        for (const r of out) if (!r.ok) expect(r.error.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });
});
