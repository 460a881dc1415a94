import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSACTION_COLUMNS } from '../../domain/analysis/transaction.js';
import { type Session, staffSession } from '../../../test/helpers/factories.js';
import { type Harness, createHarness, describeEachDialect } from '../../../test/helpers/harness.js';
import { camt053Document } from '../analysis/camt053-writer.js';
import { type GenRow, csvLine, generateCustomer, ndjsonLine } from '../analysis/generator.js';
import { correctStoredRows } from '../../platform/db/migrations/0011_structured_texts.js';
import { rebuildAnalysisState } from './rebuild.service.js';
import { parserFor } from '../analysis/formats.service.js';
import { type BatchProgress, ingestStream } from './ingest.service.js';

const HEADER = `${TRANSACTION_COLUMNS.join(',')}\n`;

let nextCustomer = 0;

/** Generated rows of a few customers not used before in this file (their numbers make the ids), in booking order. */
function rows(accounts: number, seed: number, days = 60): GenRow[] {
  const all: GenRow[] = [];
  const first = nextCustomer;
  nextCustomer += accounts;
  for (let i = first; i < first + accounts; i++) all.push(...generateCustomer({ accounts: 1000, days, seed, rate: 1 }, i).rows);
  return all.sort((a, b) => a.atMs - b.atMs || (a.txnId < b.txnId ? -1 : 1));
}

async function* bytesOf(text: string, piece = 4096): AsyncGenerator<Uint8Array> {
  const buf = Buffer.from(text, 'utf8');
  for (let i = 0; i < buf.length; i += piece) yield buf.subarray(i, i + piece);
}

interface Batch {
  id: string;
  status: string;
  rows: number;
  inserted: number;
  duplicates: number;
  badRows: number;
  percent: number | null;
  bytesRead: number;
  bytesTotal: number | null;
}

describeEachDialect('transaction batches', (dialect) => {
  let h: Harness;
  let ops: Session;
  let cm: Session;

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off' });
    ops = (await staffSession(h, { roles: ['operations'] })).session;
    cm = (await staffSession(h, { roles: ['customer_manager'] })).session;
  });
  afterAll(async () => h.close());

  const upload = (s: Session, body: string, type: string, name?: string) =>
    s.request({
      method: 'POST',
      url: `/api/v1/transactions/batches${name ? `?name=${encodeURIComponent(name)}` : ''}`,
      headers: { 'content-type': type },
      payload: body,
    });

  const count = async () =>
    Number(
      (
        await h.db
          .selectFrom('transactions')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('should store an uploaded CSV file, report its bad rows by line and keep the good ones', async () => {
    const good = rows(3, 1);
    const lines = good.map(csvLine);
    // Line 1 is the header, so rows start at line 2; two broken rows in the middle.
    lines.splice(5, 0, 'broken,row\n');
    lines.splice(10, 0, `x1,A1,C1,2025-13-01T00:00:00Z,100,CNY,debit,card,,,,\n`);
    const res = await upload(ops, HEADER + lines.join(''), 'text/csv', 'day-1.csv');
    expect(res.statusCode, res.body).toBe(201);
    const batch = res.json<Batch>();
    expect(batch).toMatchObject({ status: 'done', rows: good.length + 2, inserted: good.length, duplicates: 0, badRows: 2, percent: 100 });
    expect(await count()).toBeGreaterThanOrEqual(good.length);
    const errors = await ops.request({ method: 'GET', url: `/api/v1/transactions/batches/${batch.id}/errors` });
    expect(errors.json<{ items: { line: number; reason: string }[] }>().items.map((e) => e.line)).toEqual([7, 12]);
    expect(errors.json<{ items: { line: number; reason: string }[] }>().items[1]?.reason).toMatch(/booked_at/);
    // The same reasons as codes with parameters, for the page to say in the reader's language.
    expect(errors.json<{ items: { code: string; params: Record<string, string> }[] }>().items).toMatchObject([
      { code: 'field_count', params: { expected: '12', found: '2' } },
      { code: 'booked_at_invalid', params: {} },
    ]);
  });

  it('should count every row read as new, duplicate or bad, in the answer, the list and the audit event', async () => {
    const [seen, ...fresh] = rows(1, 7).slice(0, 4);
    if (!seen) throw new Error('the generator made no rows');
    await upload(ops, HEADER + csvLine(seen), 'text/csv');
    // The report of issue 10: three new rows, one seen before, one broken.
    const res = await upload(ops, `${HEADER + [...fresh, seen].map(csvLine).join('')}broken,row\n`, 'text/csv', 'mixed.csv');
    const batch = res.json<Batch>();
    expect(batch).toMatchObject({ rows: 5, inserted: 3, duplicates: 1, badRows: 1 });
    const listed = (await ops.request({ method: 'GET', url: '/api/v1/transactions/batches?limit=5' }))
      .json<{ items: Batch[] }>()
      .items.find((b) => b.id === batch.id);
    expect(listed).toMatchObject({ rows: 5, inserted: 3, duplicates: 1, badRows: 1 });
    const event = await h.db
      .selectFrom('audit_events')
      .select('detail')
      .where('action', '=', 'transactions.batch_ingested')
      .where('target_id', '=', batch.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.detail)).toMatchObject({ rows: 5, inserted: 3, duplicates: 1, badRows: 1 });
  });

  it('should correct the row counts of batches stored before issue 10, which left the bad rows out (migration 0011)', async () => {
    const res = await upload(ops, `${HEADER + rows(1, 8).slice(0, 2).map(csvLine).join('')}broken,row\n`, 'text/csv', 'old.csv');
    const batch = res.json<Batch>();
    await h.db.updateTable('transaction_batches').set({ rows: 2 }).where('id', '=', batch.id).execute();
    await correctStoredRows(h.db);
    await correctStoredRows(h.db);
    const one = await ops.request({ method: 'GET', url: `/api/v1/transactions/batches/${batch.id}` });
    expect(one.json<Batch>()).toMatchObject({ rows: 3, inserted: 2, duplicates: 0, badRows: 1 });
  });

  it('P2.2.3 should take a row the database cannot store (a NUL byte) as a bad row with its line, and keep every good row', async () => {
    const good = rows(80, 11);
    expect(good.length).toBeGreaterThan(4000);
    const lines = good.map(csvLine);
    // Past the first committed chunks of 2,000 rows: line 1 is the header, so this row is line 3,002.
    const nul = `nul-${dialect},A1,C1,2025-06-01T00:00:00Z,100,CNY,debit,card,\u0000坏,,,\u0000\n`;
    lines.splice(3000, 0, nul);
    const res = await upload(ops, HEADER + lines.join(''), 'text/csv', 'with-nul.csv');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Batch>()).toMatchObject({ status: 'done', inserted: good.length, badRows: 1 });
    const errors = await ops.request({ method: 'GET', url: `/api/v1/transactions/batches/${res.json<Batch>().id}/errors` });
    expect(errors.json<{ items: { line: number }[] }>().items.map((e) => e.line)).toEqual([3002]);
  });

  it('should count a replayed file as duplicates and store nothing twice', async () => {
    const body = HEADER + rows(2, 2).map(csvLine).join('');
    const first = (await upload(ops, body, 'text/csv')).json<Batch>();
    const before = await count();
    const second = await upload(ops, body, 'text/csv');
    expect(second.json<Batch>()).toMatchObject({ rows: first.rows, inserted: 0, duplicates: first.rows });
    expect(await count()).toBe(before);
  });

  it('should read NDJSON uploads the same way', async () => {
    const good = rows(2, 3);
    const res = await upload(ops, `${good.map(ndjsonLine).join('')}{"txn_id":\n`, 'application/x-ndjson');
    expect(res.json<Batch>()).toMatchObject({ status: 'done', inserted: good.length, badRows: 1 });
  });

  it('should read ISO 20022 camt.053 statements uploaded as XML', async () => {
    const good = rows(2, 5);
    const res = await upload(ops, camt053Document(good, '2025-06-30T23:59:59Z'), 'application/xml', 'statement.xml');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Batch>()).toMatchObject({ status: 'done', inserted: good.length, badRows: 0 });
    const stored = await h.db
      .selectFrom('transactions')
      .select('txn_id')
      .where(
        'txn_id',
        'in',
        good.map((r) => r.txnId),
      )
      .execute();
    expect(stored).toHaveLength(good.length);
  });

  it('should take a file from another bank system with an ingest-scoped API key, and refuse other keys', async () => {
    const admin = (await staffSession(h, { roles: ['admin'], branch: 'HQ' })).session;
    const keyOf = async (name: string, scopes: string[]) => {
      const client = await admin.request({ method: 'POST', url: '/api/v1/admin/api-clients', payload: { name, scopes } });
      expect(client.statusCode, client.body).toBe(201);
      const issued = await admin.request({ method: 'POST', url: `/api/v1/admin/api-clients/${client.json<{ id: string }>().id}/keys` });
      return issued.json<{ key: string }>().key;
    };
    const send = (key: string, body: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/transactions/batches?name=core-banking.csv',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
        payload: body,
      });
    const good = rows(2, 6);
    const ingest = await keyOf(`核心系统-${dialect}`, ['transactions:ingest']);
    const res = await send(ingest, HEADER + good.map(csvLine).join(''));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Batch & { clientId: string | null; createdBy: string | null }>()).toMatchObject({
      inserted: good.length,
      createdBy: null,
    });
    expect(res.json<{ clientId: string | null }>().clientId).not.toBeNull();
    const decideOnly = await keyOf(`支付系统-${dialect}`, ['transactions:decide']);
    expect((await send(decideOnly, HEADER)).statusCode).toBe(401);
  });

  it('should list batches newest first and show one with its progress', async () => {
    const list = await ops.request({ method: 'GET', url: '/api/v1/transactions/batches?limit=2' });
    expect(list.statusCode).toBe(200);
    const page = list.json<{ items: Batch[]; nextCursor: string | null }>();
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).not.toBeNull();
    const next = await ops.request({ method: 'GET', url: `/api/v1/transactions/batches?limit=2&cursor=${page.nextCursor}` });
    expect(next.json<{ items: Batch[] }>().items[0]?.id).not.toBe(page.items[0]?.id);
    const one = await ops.request({ method: 'GET', url: `/api/v1/transactions/batches/${page.items[0]?.id}` });
    expect(one.json<Batch>().bytesRead).toBe(one.json<Batch>().bytesTotal);
    expect((await ops.request({ method: 'GET', url: '/api/v1/transactions/batches/nope' })).statusCode).toBe(404);
  });

  it('should refuse other content types with 415 and staff without the permission with 403', async () => {
    const json = await upload(ops, '{"a":1}', 'application/json');
    expect(json.statusCode).toBe(415);
    expect(json.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await upload(ops, 'x', 'image/png')).statusCode).toBe(415);
    expect((await upload(cm, HEADER, 'text/csv')).statusCode).toBe(403);
    expect((await cm.request({ method: 'GET', url: '/api/v1/transactions/batches' })).statusCode).toBe(403);
  });

  it('should answer any uploaded bytes with a finished batch, never a server error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
        ),
        async (body) => {
          const res = await upload(ops, HEADER + body, 'text/csv');
          expect(res.statusCode, res.body).toBe(201);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('should commit fixed-size chunks with progress, and rebuild the same engine state from the stored transactions', async () => {
    const all = rows(4, 4, 90);
    const half = Math.floor(all.length / 2);
    const seen: BatchProgress[] = [];
    const ingest = (part: GenRow[], name: string) =>
      ingestStream(
        h.ctx,
        bytesOf(HEADER + part.map(csvLine).join('')),
        parserFor('csv'),
        { source: 'file', name, format: 'csv' },
        {
          chunkRows: 100,
          onProgress: (p) => seen.push(p),
        },
      );
    await ingest(all.slice(0, half), 'first.csv');
    const second = await ingest(all.slice(half), 'second.csv');
    expect(second.inserted).toBe(all.length - half);
    expect(seen.length).toBeGreaterThan(all.length / 100);
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1], seen[i]];
      if (a && b && a.batchId === b.batchId) expect(b.rows).toBeGreaterThan(a.rows);
    }
    const customers = [...new Set(all.map((r) => r.customerNumber))];
    const records = async () =>
      new Map(
        (
          await h.db.selectFrom('analysis_states').select(['customer_number', 'record']).where('customer_number', 'in', customers).execute()
        ).map((r) => [r.customer_number, Buffer.from(r.record).toString('hex')]),
      );
    const incremental = await records();
    expect(incremental.size).toBe(customers.length);
    await rebuildAnalysisState(h.ctx);
    expect(await records()).toEqual(incremental);
  });
});

describe('upload content types', () => {
  it('should name the formats by content type', async () => {
    const { formatOfContentType } = await import('../analysis/formats.service.js');
    expect(formatOfContentType('text/csv; charset=utf-8')).toBe('csv');
    expect(formatOfContentType('application/x-ndjson')).toBe('ndjson');
    expect(formatOfContentType('application/xml')).toBe('camt053');
    expect(formatOfContentType(undefined)).toBeUndefined();
  });
});
