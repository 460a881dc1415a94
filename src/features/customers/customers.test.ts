import { createReadStream } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, makeBranches, staffSession } from '../../../test/helpers/factories.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.service.js';
import type { TransactionTable } from '../../platform/db/tables/transactions.js';
import { storeTransactions } from '../transactions/transactions.service.js';
import { IMPORT_KINDS, importCsv } from './customers.import.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures');
const T1_NATIONAL_ID = '330106196804121236';
const T1_PHONE = '13957100001';
const T1_ADDRESS = '浙江省杭州市上城区解放路88号3幢2单元601室';

function txn(
  id: string,
  customerNumber: string,
  bookedAt: string,
  direction: 'debit' | 'credit',
  amount: number,
  mcc: string | null = null,
): TransactionTable {
  return {
    txn_id: id,
    account_id: '6217000000000011',
    customer_number: customerNumber,
    booked_at: bookedAt,
    amount_minor: amount,
    currency: 'CNY',
    direction,
    channel: direction === 'credit' ? 'transfer' : 'card',
    counterparty_name: null,
    counterparty_account: null,
    mcc,
    description: null,
    ingested_at: bookedAt,
  };
}

describeEachDialect('customers API', (dialect) => {
  let h: Harness;
  let cmEast: Session;
  let cmWest: Session;
  let insp: Session;
  let teller: Session;
  let admin: Session;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off' });
    await makeBranches(h);
    for (const kind of IMPORT_KINDS) {
      await importCsv(h.ctx, kind, createReadStream(path.join(FIXTURES, `${kind}.csv`)), SYSTEM_ACTOR);
    }
    await storeTransactions(h.db, [
      txn('X1', 'T0000001', '2026-11-27T03:00:00.000Z', 'credit', 1_500_000),
      txn('X2', 'T0000001', '2026-11-27T10:00:00.000Z', 'debit', 500_000, '8062'),
      txn('X3', 'T0000001', '2026-11-27T11:00:00.000Z', 'debit', 2_500, '5411'),
      txn('X4', 'T0000001', '2026-11-28T01:00:00.000Z', 'debit', 9_900, '5912'),
      txn('X5', 'T0000001', '2026-08-01T01:00:00.000Z', 'debit', 7_000),
      txn('X6', 'T0000002', '2026-11-27T01:00:00.000Z', 'debit', 1_000),
    ]);
    for (const c of await h.db.selectFrom('customers').select(['id', 'customer_number']).execute()) ids[c.customer_number] = c.id;
    cmEast = (await staffSession(h, { roles: ['customer_manager'], branch: 'EAST', username: 'cm.east' })).session;
    cmWest = (await staffSession(h, { roles: ['customer_manager'], branch: 'WEST', username: 'cm.west' })).session;
    insp = (await staffSession(h, { roles: ['inspector'], branch: 'HQ', username: 'insp' })).session;
    teller = (await staffSession(h, { roles: ['staff'], branch: 'EAST', username: 'teller.east' })).session;
    admin = (await staffSession(h, { roles: ['admin'], branch: 'HQ', username: 'admin' })).session;
  });
  afterAll(async () => {
    await h?.close();
  });

  const search = (s: Session, payload: Record<string, unknown>) => s.request({ method: 'POST', url: '/api/v1/customers/search', payload });
  const numbersOf = (res: { statusCode: number; body: string; json: () => { items: { customerNumber: string }[] } }) => {
    if (res.statusCode !== 200) throw new Error(`search answered ${res.statusCode} ${res.body}`);
    return res.json().items.map((i) => i.customerNumber);
  };

  describe('search', () => {
    it('should find by name fragment, name prefix and exact customer number', async () => {
      const byName = await search(insp, { query: '建华' });
      expect(byName.statusCode).toBe(200);
      expect(numbersOf(byName)).toEqual(['T0000001']);
      expect(byName.json()).toMatchObject({
        items: [
          {
            id: ids.T0000001,
            customerNumber: 'T0000001',
            name: '李建华',
            gender: 'M',
            dateOfBirth: '1968-04-12',
            branchCode: 'EAST',
            segment: 'affluent',
          },
        ],
        nextCursor: null,
      });
      expect(numbersOf(await search(insp, { query: 'anna' }))).toEqual(['T0000004']);
      expect(numbersOf(await search(insp, { query: 't0000003' }))).toEqual(['T0000003']);
      expect(numbersOf(await search(insp, { customerNumber: 'T0000005' }))).toEqual(['T0000005']);
      // LIKE wildcards are literal characters, not patterns.
      expect(numbersOf(await search(insp, { query: '%' }))).toEqual([]);
    });

    it('should find by national ID and phone whatever their spelling, through the blind index', async () => {
      expect(numbersOf(await search(insp, { nationalId: ` ${T1_NATIONAL_ID} ` }))).toEqual(['T0000001']);
      expect(numbersOf(await search(insp, { phone: '+86 139-5710-0001' }))).toEqual(['T0000001']);
      expect(numbersOf(await search(insp, { phone: '13957100002' }))).toEqual(['T0000002']);
      expect(numbersOf(await search(insp, { nationalId: '330106196804121237' }))).toEqual([]);
      // Criteria combine: all must match.
      expect(numbersOf(await search(insp, { nationalId: T1_NATIONAL_ID, customerNumber: 'T0000002' }))).toEqual([]);
    });

    it('should record an identifier search in the audit trail without the value', async () => {
      await search(cmEast, { nationalId: T1_NATIONAL_ID });
      const event = await h.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'customer.search_by_identifier')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      expect(event.actor_username).toBe('cm.east');
      expect(JSON.parse(event.detail)).toEqual({ by: ['nationalId'], results: 1 });
      expect(JSON.stringify(event)).not.toContain(T1_NATIONAL_ID);
    });

    it('should show a customer manager only customers of their branch', async () => {
      expect(numbersOf(await search(cmEast, { query: 'T0000002' }))).toEqual([]);
      expect(numbersOf(await search(cmWest, { query: 'T0000002' }))).toEqual(['T0000002']);
      expect(numbersOf(await search(cmWest, { nationalId: T1_NATIONAL_ID }))).toEqual([]);
    });

    it('should refuse a search without any criterion, or with unknown fields', async () => {
      for (const body of [{}, { limit: 5 }, { query: '   ' }, { query: 'x', url: 'y' }, { query: 'x', limit: 501 }]) {
        const res = await search(cmEast, body);
        expect(res.statusCode).toBe(400);
        expect(res.json().code).toBe('VALIDATION_FAILED');
      }
    });

    it('should refuse tellers and administrators', async () => {
      expect((await search(teller, { query: '李' })).statusCode).toBe(403);
      expect((await search(admin, { query: '李' })).statusCode).toBe(403);
    });

    it('should never answer 500, whatever the body', async () => {
      const value = fc.oneof(
        fc.string(),
        fc.string({ unit: 'binary' }),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.string()),
        fc.object(),
      );
      const body = fc.oneof(
        fc.record({ query: value, customerNumber: value, nationalId: value, phone: value, limit: value }, { requiredKeys: [] }),
        fc.anything(),
      );
      await fc.assert(
        fc.asyncProperty(body, async (b) => {
          const res = await cmEast.request({
            method: 'POST',
            url: '/api/v1/customers/search',
            headers: { 'content-type': 'application/json' },
            payload: JSON.stringify(b) ?? 'null',
          });
          return res.statusCode < 500;
        }),
        { numRuns: 150 },
      );
    });
  });

  describe('customer page', () => {
    it('P1.2 P5.1.1 should show master data with masked identifiers, accounts, loans, holdings and 90 days of cash flow', async () => {
      const res = await cmEast.request({ method: 'GET', url: `/api/v1/customers/${ids.T0000001}` });
      expect(res.statusCode).toBe(200);
      const page = res.json();
      expect(page.customer).toMatchObject({
        customerNumber: 'T0000001',
        branchCode: 'EAST',
        openedOn: '2008-03-15',
        nationalIdMasked: '3301**********1236',
        phoneMasked: '139****0001',
        addressMasked: '浙江省杭州市***',
      });
      expect(page.accounts).toEqual([
        expect.objectContaining({
          accountNumber: '6217000000000011',
          type: 'current',
          balance: { amountMinor: 12_345_678, currency: 'CNY' },
          status: 'active',
        }),
        expect.objectContaining({ accountNumber: '6217000000000012', type: 'time_deposit' }),
      ]);
      expect(page.loans).toEqual([
        expect.objectContaining({
          loanNumber: 'LN000000011',
          principal: { amountMinor: 150_000_000, currency: 'CNY' },
          outstanding: { amountMinor: 98_000_000, currency: 'CNY' },
          interestRateBp: 365,
          nextPaymentDate: '2026-12-20',
          daysPastDue: 0,
        }),
      ]);
      expect(page.holdings.map((x: { holdingRef: string }) => x.holdingRef)).toEqual(['H000000011', 'H000000012']);
      expect(page.holdings[1]).toMatchObject({
        riskLevel: 'R2',
        marketValue: { amountMinor: 30_000_000, currency: 'CNY' },
        maturityDate: '2027-01-15',
      });
      expect(page.cashflow).toHaveLength(90);
      expect(page.cashflow[0].date).toBe('2026-08-31');
      expect(page.cashflow.at(-1)).toEqual({ date: '2026-11-28', inflowMinor: 0, outflowMinor: 9_900 });
      expect(page.cashflow.at(-2)).toEqual({ date: '2026-11-27', inflowMinor: 1_500_000, outflowMinor: 502_500 });
      const total = page.cashflow.reduce((n: number, d: { outflowMinor: number }) => n + d.outflowMinor, 0);
      expect(total).toBe(512_400);
      expect(JSON.stringify(page)).not.toContain(T1_NATIONAL_ID);
    });

    it('should record the masked read in the audit trail', async () => {
      await cmEast.request({ method: 'GET', url: `/api/v1/customers/${ids.T0000001}` });
      const event = await h.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'sensitive.read')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      expect(event).toMatchObject({ actor_username: 'cm.east', target_type: 'customers', target_id: ids.T0000001 });
      expect(JSON.parse(event.detail)).toEqual({ fields: ['national_id_enc', 'phone_enc', 'address_enc'], purpose: 'masked' });
    });

    it('should answer 404 for another branch’s customer and for unknown ids, as if it did not exist', async () => {
      const other = await cmWest.request({ method: 'GET', url: `/api/v1/customers/${ids.T0000001}` });
      const unknown = await cmWest.request({ method: 'GET', url: '/api/v1/customers/no-such-id' });
      expect(other.statusCode).toBe(404);
      expect(unknown.statusCode).toBe(404);
      expect(other.json().detail).toBe(unknown.json().detail);
    });

    it('should let an inspector see every branch', async () => {
      for (const n of ['T0000001', 'T0000002', 'T0000003']) {
        expect((await insp.request({ method: 'GET', url: `/api/v1/customers/${ids[n]}` })).statusCode).toBe(200);
      }
      const bare = await insp.request({ method: 'GET', url: `/api/v1/customers/${ids.T0000005}` });
      expect(bare.json().customer).toMatchObject({ dateOfBirth: null, nationalIdMasked: null, phoneMasked: null, addressMasked: null });
      expect(bare.json().accounts).toEqual([]);
    });

    it('should never answer 500, whatever the id in the path', async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 80 }), async (id) => {
          const res = await cmEast.request({ method: 'GET', url: `/api/v1/customers/${encodeURIComponent(id).replaceAll('%2F', '/')}` });
          return res.statusCode < 500;
        }),
        { numRuns: 100 },
      );
      for (const raw of ['%00', '%ED%A0%80', '%FF', 'a%2Fb', `${'x'.repeat(300)}`]) {
        expect((await cmEast.request({ method: 'GET', url: `/api/v1/customers/${raw}` })).statusCode).toBeLessThan(500);
      }
    });

    it('should refuse tellers and administrators', async () => {
      expect((await teller.request({ method: 'GET', url: `/api/v1/customers/${ids.T0000001}` })).statusCode).toBe(403);
      expect((await admin.request({ method: 'GET', url: `/api/v1/customers/${ids.T0000001}` })).statusCode).toBe(403);
    });
  });

  describe('reveal', () => {
    const reveal = (s: Session, id: string | undefined, payload: Record<string, unknown>) =>
      s.request({ method: 'POST', url: `/api/v1/customers/${id}/reveal`, payload });

    it('should answer the full values and audit the read without them', async () => {
      const res = await reveal(cmEast, ids.T0000001, { fields: ['nationalId', 'phone', 'address'] });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ nationalId: T1_NATIONAL_ID, phone: T1_PHONE, address: T1_ADDRESS });
      const event = await h.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'sensitive.read')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(event.detail)).toEqual({ fields: ['national_id_enc', 'phone_enc', 'address_enc'], purpose: 'reveal' });
      const everything = JSON.stringify(await h.db.selectFrom('audit_events').selectAll().execute());
      expect(everything).not.toContain(T1_NATIONAL_ID);
      expect(everything).not.toContain(T1_PHONE);
      expect(everything).not.toContain('解放路');
    });

    it('should answer only the fields asked for, null where the customer has none', async () => {
      expect((await reveal(cmEast, ids.T0000004, { fields: ['phone'] })).json()).toEqual({ phone: null });
    });

    it('should make an inspector give a reason, and audit it', async () => {
      for (const payload of [{ fields: ['nationalId'] }, { fields: ['nationalId'], reason: 'why' }]) {
        const res = await reveal(insp, ids.T0000002, payload);
        expect(res.statusCode).toBe(400);
        expect(res.json().errors).toEqual([{ path: 'body.reason', message: 'at least 5 characters', reason: 'too_small', limit: 5 }]);
      }
      const ok = await reveal(insp, ids.T0000002, { fields: ['nationalId'], reason: '投诉复核 case review' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ nationalId: '330102197211032464' });
      const event = await h.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'sensitive.read')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(event.detail)).toEqual({ fields: ['national_id_enc'], purpose: 'reveal', reason: '投诉复核 case review' });
      expect(event.actor_username).toBe('insp');
    });

    it('should refuse bad field lists, other branches and roles without the permission', async () => {
      for (const payload of [
        { fields: [] },
        { fields: ['nationalId', 'nationalId'] },
        { fields: ['income'] },
        { fields: ['phone'], extra: 1 },
      ]) {
        expect((await reveal(cmEast, ids.T0000001, payload)).statusCode).toBe(400);
      }
      expect((await reveal(cmWest, ids.T0000001, { fields: ['phone'] })).statusCode).toBe(404);
      expect((await reveal(teller, ids.T0000001, { fields: ['phone'] })).statusCode).toBe(403);
      expect((await reveal(admin, ids.T0000001, { fields: ['phone'] })).statusCode).toBe(403);
    });
  });

  describe('storage', () => {
    it('P5.2.2 should never hold a national ID, phone or address in plaintext', async () => {
      const rows = JSON.stringify(await h.db.selectFrom('customers').selectAll().execute());
      for (const secret of [T1_NATIONAL_ID, '330102197211032464', T1_PHONE, '13957100002', '解放路', '星洲'])
        expect(rows).not.toContain(secret);
    });

    it('should still publish the OpenAPI document with the customer routes', async () => {
      const res = await h.app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(res.statusCode).toBe(200);
      expect(Object.keys(res.json().paths)).toEqual(
        expect.arrayContaining(['/api/v1/customers/search', '/api/v1/customers/{id}', '/api/v1/customers/{id}/reveal']),
      );
    });
  });
});
