import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeBranches } from '../../../test/helpers/factories.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.service.js';
import { type ImportKind, ImportFormatError, importColumns, importCsv } from './customers.import.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures');
const fixture = (name: string) => createReadStream(path.join(FIXTURES, name));

describeEachDialect('master data import', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
    await makeBranches(h);
  });
  afterEach(async () => {
    await h.close();
  });

  const run = (kind: ImportKind, input: Readable, batchSize?: number) => importCsv(h.ctx, kind, input, SYSTEM_ACTOR, { batchSize });

  it('should load customers, accounts, loans and holdings and reject rows of unknown customers', async () => {
    expect(await run('customers', fixture('customers.csv'))).toMatchObject({ rows: 5, loaded: 5, updated: 0, rejected: 0 });
    const accounts = await run('accounts', fixture('accounts.csv'));
    expect(accounts).toMatchObject({ rows: 5, loaded: 4, rejected: 1 });
    expect(accounts.rejections).toEqual([{ line: 6, reason: 'unknown customer T9999999' }]);
    const loans = await run('loans', fixture('loans.csv'));
    expect(loans).toMatchObject({ rows: 3, loaded: 2, rejected: 1 });
    expect(loans.rejections).toEqual([{ line: 4, reason: 'maturity_date: before start_date' }]);
    const holdings = await run('holdings', fixture('holdings.csv'));
    expect(holdings).toMatchObject({ rows: 3, loaded: 2, rejected: 1 });
    expect(holdings.rejections[0]?.line).toBe(4);
    expect(holdings.rejections[0]?.reason).toContain('risk_level');

    const t4 = await h.db
      .selectFrom('customers')
      .innerJoin('branches', 'branches.id', 'customers.branch_id')
      .select(['branches.code', 'customers.name'])
      .where('customer_number', '=', 'T0000004')
      .executeTakeFirstOrThrow();
    expect(t4).toEqual({ code: 'EAST', name: 'Anna Müller' });
    const overdrawn = await h.db
      .selectFrom('accounts')
      .select('balance_minor')
      .where('account_number', '=', '6217000000000031')
      .executeTakeFirstOrThrow();
    expect(overdrawn.balance_minor).toBe(-50000);
  });

  it('should update on re-import instead of duplicating, keeping ids and bumping the version', async () => {
    await run('customers', fixture('customers.csv'));
    await run('accounts', fixture('accounts.csv'));
    const before = await h.db.selectFrom('customers').select(['id', 'customer_number', 'version']).orderBy('customer_number').execute();
    const again = await run('customers', fixture('customers.csv'));
    expect(again).toMatchObject({ rows: 5, loaded: 0, updated: 5, rejected: 0 });
    const update = await run('customers', fixture('customers-update.csv'));
    expect(update).toMatchObject({ rows: 3, loaded: 1, updated: 2, rejected: 0 });
    expect(await run('accounts', fixture('accounts.csv'))).toMatchObject({ loaded: 0, updated: 4, rejected: 1 });

    const after = await h.db
      .selectFrom('customers')
      .select(['id', 'customer_number', 'version', 'segment'])
      .orderBy('customer_number')
      .execute();
    expect(after).toHaveLength(6);
    expect((await h.db.selectFrom('accounts').select('id').execute()).length).toBe(4);
    const t1Before = before.find((c) => c.customer_number === 'T0000001');
    const t1After = after.find((c) => c.customer_number === 'T0000001');
    expect(t1After?.id).toBe(t1Before?.id);
    expect(t1After?.version).toBe(3);
    expect(t1After?.segment).toBe('private');
    // The re-encrypted phone still decrypts under the row's id, and the blind index follows it.
    const row = await h.db.selectFrom('customers').selectAll().where('customer_number', '=', 'T0000001').executeTakeFirstOrThrow();
    expect(h.ctx.cipher.decrypt(row.phone_enc ?? '', { table: 'customers', column: 'phone_enc', rowId: row.id })).toBe('13957100101');
    expect(row.phone_bidx).toBe(h.ctx.cipher.blindIndex('phone', '139 5710 0101'));
  });

  it('should report bad rows with their line numbers and load the good ones', async () => {
    const s = await run('customers', fixture('customers-bad.csv'));
    expect(s.loaded).toBe(3);
    expect(s.rejections.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 12]);
    const reasons = Object.fromEntries(s.rejections.map((r) => [r.line, r.reason]));
    expect(reasons[3]).toContain('gender');
    expect(reasons[4]).toContain('date_of_birth');
    expect(reasons[5]).toBe('unknown branch NORTH');
    expect(reasons[6]).toContain('check character');
    expect(reasons[7]).toBe('expected 10 fields, found 8');
    expect(reasons[12]).toContain('malformed CSV');
    expect(s).toMatchObject({ rows: 9, rejected: 6 });
    // Reasons name the fault, never the value (a rejected national ID must not reach a terminal or log).
    expect(JSON.stringify(s)).not.toContain('330106196804121237');
    const numbers = (await h.db.selectFrom('customers').select('customer_number').orderBy('customer_number').execute()).map(
      (c) => c.customer_number,
    );
    expect(numbers).toEqual(['B0000001', 'B0000007', 'B0000008']);
  });

  it('should count lines the same with CRLF line breaks, in small chunks, and in tiny batches', async () => {
    const text = (await import('node:fs')).readFileSync(path.join(FIXTURES, 'customers-bad.csv'), 'utf8').replaceAll('\n', '\r\n');
    const bytes = Buffer.from(`\uFEFF${text}`, 'utf8');
    // Seven-byte chunks split the CRLFs and the multi-byte characters.
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    const s = await run('customers', Readable.from(chunks), 1);
    expect(s.rejections.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 12]);
    expect(s.loaded).toBe(3);
    const multiLine = await h.db.selectFrom('customers').selectAll().where('customer_number', '=', 'B0000007').executeTakeFirstOrThrow();
    expect(h.ctx.cipher.decrypt(multiLine.address_enc ?? '', { table: 'customers', column: 'address_enc', rowId: multiLine.id })).toBe(
      '浙江省杭州市\n西湖区',
    );
    expect(
      (await h.db.selectFrom('customers').select('name').where('customer_number', '=', 'B0000001').executeTakeFirstOrThrow()).name,
    ).toBe('好客户');
  });

  it('should load a key repeated in one file once and then update it', async () => {
    const header = importColumns('customers').join(',');
    const csv = `${header}\nR1,甲,F,,,,,EAST,mass,\nR1,乙,F,,,,,EAST,mass,\n`;
    const s = await run('customers', Readable.from([csv]));
    expect(s).toMatchObject({ rows: 2, loaded: 1, updated: 1, rejected: 0 });
    expect((await h.db.selectFrom('customers').select('name').execute()).map((c) => c.name)).toEqual(['乙']);
  });

  it('should refuse a file whose header is not the format, and an empty file', async () => {
    await expect(run('accounts', fixture('customers.csv'))).rejects.toThrow(ImportFormatError);
    await expect(run('customers', Readable.from(['customer_number,name\nX,Y\n']))).rejects.toThrow(/missing column/);
    await expect(run('customers', Readable.from(['']))).rejects.toThrow(/empty/);
    expect(await h.db.selectFrom('customers').select('id').execute()).toEqual([]);
  });

  it('should record one audit event per run, with counts only', async () => {
    await run('customers', fixture('customers.csv'));
    await run('customers', fixture('customers-bad.csv'));
    const events = await h.db.selectFrom('audit_events').selectAll().where('action', '=', 'customer.import').orderBy('seq').execute();
    expect(events.map((e) => JSON.parse(e.detail))).toEqual([
      { kind: 'customers', rows: 5, loaded: 5, updated: 0, rejected: 0 },
      { kind: 'customers', rows: 9, loaded: 3, updated: 0, rejected: 6 },
    ]);
  });
});
