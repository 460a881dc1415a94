import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeBranches, makeStaff } from '../../../test/helpers/factories.js';
import { type Harness, createHarness, describeEachDialect } from '../../../test/helpers/harness.js';
import { ENCRYPTED_COLUMNS } from '../db/encrypted-columns.js';
import { FieldCipher, keyVersionOf } from './field-cipher.js';
import { reconcileKeyMetadata } from './key-metadata.js';
import { KeyError, createKeyFile, generateKeys, loadKeys } from './keyring.js';
import { replaceCiphertext } from './rotation.repository.js';
import { keyStatus, rotateKeys } from './rotation.js';

const CUSTOMER_COLUMNS = ['national_id_enc', 'phone_enc', 'address_enc'] as const;
type CustomerColumn = (typeof CUSTOMER_COLUMNS)[number];

describeEachDialect('key rotation', (dialect) => {
  let h: Harness;
  let source: { file: string };
  /** What each encrypted value must still decrypt to: `table|column|id` → plaintext. */
  let plain: Map<string, string>;

  beforeEach(async () => {
    h = await createHarness(dialect);
    source = { file: path.join(h.dataDir, 'keys.json') };
    createKeyFile(source.file, h.keys, false);
    plain = new Map();
  });
  afterEach(async () => {
    await h.close();
  });

  async function seedCustomers(count: number): Promise<string[]> {
    const branches = await makeBranches(h);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = `cust-${String(i).padStart(4, '0')}`;
      const values: Record<CustomerColumn, string | null> = {
        national_id_enc: `11010519900101${String(1000 + i)}`,
        phone_enc: i % 3 === 0 ? null : `1380013${String(8000 + i)}`,
        address_enc: `北京市东城区 ${i} 号 🏠`,
      };
      const enc = (column: CustomerColumn) => {
        const value = values[column];
        if (value === null) return null;
        plain.set(`customers|${column}|${id}`, value);
        return h.ctx.cipher.encrypt(value, { table: 'customers', column, rowId: id });
      };
      await h.db
        .insertInto('customers')
        .values({
          id,
          customer_number: `C${String(i).padStart(6, '0')}`,
          name: `客户 ${i}`,
          gender: 'U',
          date_of_birth: null,
          national_id_enc: enc('national_id_enc'),
          national_id_bidx: null,
          phone_enc: enc('phone_enc'),
          phone_bidx: null,
          address_enc: enc('address_enc'),
          branch_id: branches.EAST,
          segment: 'retail',
          opened_on: null,
          created_at: h.clock.now().toISOString(),
          updated_at: h.clock.now().toISOString(),
          version: 1,
        })
        .execute();
      ids.push(id);
    }
    for (const n of [1, 2]) {
      const secret = `JBSWY3DPEHPK3PX${n}`;
      const staff = await makeStaff(h, { roles: ['supervisor'], totpSecret: secret });
      plain.set(`staff|totp_secret_enc|${staff.id}`, secret);
    }
    return ids;
  }

  /** Every stored ciphertext with where it lives. */
  async function allCiphertexts() {
    const out: { key: string; table: string; column: string; rowId: string; value: string }[] = [];
    const customers = await h.db
      .selectFrom('customers')
      .select(['id', ...CUSTOMER_COLUMNS])
      .execute();
    for (const row of customers) {
      for (const column of CUSTOMER_COLUMNS) {
        const value = row[column];
        if (value !== null) out.push({ key: `customers|${column}|${row.id}`, table: 'customers', column, rowId: row.id, value });
      }
    }
    const staff = await h.db.selectFrom('staff').select(['id', 'totp_secret_enc']).execute();
    for (const row of staff) {
      if (row.totp_secret_enc !== null) {
        out.push({
          key: `staff|totp_secret_enc|${row.id}`,
          table: 'staff',
          column: 'totp_secret_enc',
          rowId: row.id,
          value: row.totp_secret_enc,
        });
      }
    }
    return out;
  }

  async function expectAllUnder(version: number): Promise<void> {
    const cipher = new FieldCipher(loadKeys(source, false).keys);
    const stored = await allCiphertexts();
    expect(stored).toHaveLength(plain.size);
    for (const c of stored) {
      expect(keyVersionOf(c.value)).toBe(version);
      expect(cipher.decrypt(c.value, c)).toBe(plain.get(c.key));
    }
  }

  it('should count the values under each key version per column', async () => {
    await seedCustomers(6);
    const status = await keyStatus(h.db, h.ctx.cipher);
    expect(status).toMatchObject({ activeVersion: 1, indexKeyVersion: 1, pending: 0 });
    expect(status.columns.map((c) => `${c.table}.${c.column}`)).toEqual(ENCRYPTED_COLUMNS.map((c) => `${c.table}.${c.column}`));
    expect(status.columns.find((c) => c.column === 'phone_enc')).toMatchObject({ total: 4, byVersion: { 1: 4 }, unknown: 0 });
    expect(status.columns.find((c) => c.column === 'totp_secret_enc')).toMatchObject({ total: 2, byVersion: { 1: 2 }, unknown: 0 });
  });

  it('should finish a rotation stopped half-way when run again, every value under the new key', async () => {
    await seedCustomers(25);
    const stop = new AbortController();
    let batches = 0;
    const first = await rotateKeys(h.db, source, {
      batchSize: 4,
      settleMs: 0,
      signal: stop.signal,
      onProgress: () => {
        batches += 1;
        // As if the operator pressed Ctrl-C, or the machine died, after three batches.
        if (batches === 3) stop.abort();
      },
    });
    expect(first).toMatchObject({ version: 2, added: true, completed: false });
    const midway = await keyStatus(h.db, new FieldCipher(loadKeys(source, false).keys));
    expect(midway.activeVersion).toBe(2);
    expect(midway.pending).toBeGreaterThan(0);
    expect(midway.columns[0]?.byVersion).toMatchObject({ 2: 12, 1: 13 });

    const progress: string[] = [];
    const second = await rotateKeys(h.db, source, {
      batchSize: 4,
      settleMs: 0,
      onProgress: (p) => {
        progress.push(`${p.table}.${p.column} ${p.done}/${p.total}`);
      },
    });
    expect(second).toMatchObject({ version: 2, added: false, completed: true });
    expect(second.columns.every((c) => c.failed.length === 0)).toBe(true);
    expect(progress).toContain('customers.national_id_enc 13/13');
    expect(progress).toContain('staff.totp_secret_enc 2/2');
    await expectAllUnder(2);
    expect((await keyStatus(h.db, new FieldCipher(loadKeys(source, false).keys))).pending).toBe(0);

    const metadata = await h.db
      .selectFrom('encryption_keys')
      .select(['purpose', 'version', 'status'])
      .orderBy('purpose')
      .orderBy('version')
      .execute();
    expect(metadata).toEqual([
      { purpose: 'data', version: 1, status: 'retired' },
      { purpose: 'data', version: 2, status: 'active' },
      { purpose: 'index', version: 1, status: 'active' },
    ]);

    // Nothing left under an older key: the next run is a new rotation.
    const third = await rotateKeys(h.db, source, { settleMs: 0 });
    expect(third).toMatchObject({ version: 3, added: true, completed: true });
    await expectAllUnder(3);
  });

  it('should keep a value a running server writes meanwhile, and sweep it under the new key', async () => {
    const [firstId] = await seedCustomers(10);
    const stale = new FieldCipher(h.keys);
    const ctx = { table: 'customers', column: 'address_enc', rowId: firstId ?? '' };
    let written = false;
    const report = await rotateKeys(h.db, source, {
      batchSize: 3,
      settleMs: 0,
      onProgress: async (p) => {
        if (written || p.column !== 'address_enc') return;
        written = true;
        // A server that has not yet noticed the new key writes under the old one, behind the sweep.
        await h.db
          .updateTable('customers')
          .set({ address_enc: stale.encrypt('新地址', ctx) })
          .where('id', '=', ctx.rowId)
          .execute();
        plain.set(`customers|address_enc|${ctx.rowId}`, '新地址');
      },
    });
    expect(report.completed).toBe(true);
    await expectAllUnder(2);
  });

  it('should update a row only while it still holds the ciphertext that was read', async () => {
    const [id = ''] = await seedCustomers(1);
    const column = ENCRYPTED_COLUMNS.find((c) => c.column === 'address_enc');
    if (!column) throw new Error('address_enc is not registered');
    const row = await h.db.selectFrom('customers').select('address_enc').where('id', '=', id).executeTakeFirstOrThrow();
    const read = row.address_enc ?? '';
    expect(await replaceCiphertext(h.db, column, id, 'enc:v1:something-else', 'enc:v2:new')).toBe(false);
    expect(await replaceCiphertext(h.db, column, id, read, 'enc:v2:new')).toBe(true);
    expect(await replaceCiphertext(h.db, column, id, read, 'enc:v2:newer')).toBe(false);
  });

  it('should let a server on the old key file read and write after the rotation', async () => {
    const [id = ''] = await seedCustomers(3);
    const server = new FieldCipher(loadKeys(source, false).keys, source);
    await rotateKeys(h.db, source, { settleMs: 0 });
    const ctx = { table: 'customers', column: 'national_id_enc', rowId: id };
    const row = await h.db.selectFrom('customers').select('national_id_enc').where('id', '=', id).executeTakeFirstOrThrow();
    expect(server.decrypt(row.national_id_enc ?? '', ctx)).toBe(plain.get(`customers|national_id_enc|${id}`));
    expect(keyVersionOf(server.encrypt('x', ctx))).toBe(2);
  });

  it('should report values it cannot decrypt and rotate all the others', async () => {
    const [id = ''] = await seedCustomers(5);
    const foreign = new FieldCipher(generateKeys()).encrypt('from another bank', { table: 'customers', column: 'phone_enc', rowId: id });
    await h.db.updateTable('customers').set({ phone_enc: foreign }).where('id', '=', id).execute();
    plain.delete(`customers|phone_enc|${id}`);
    const report = await rotateKeys(h.db, source, { settleMs: 0 });
    expect(report.completed).toBe(true);
    expect(report.columns.find((c) => c.column === 'phone_enc')?.failed).toEqual([id]);
    const status = await keyStatus(h.db, new FieldCipher(loadKeys(source, false).keys));
    expect(status.columns.find((c) => c.column === 'phone_enc')).toMatchObject({ byVersion: { 1: 1, 2: 3 } });
    expect(status.columns.find((c) => c.column === 'address_enc')).toMatchObject({ byVersion: { 1: 0, 2: 5 } });
  });

  it('should refuse a key file that does not match the database', async () => {
    await expect(reconcileKeyMetadata(h.db, generateKeys())).rejects.toThrow(KeyError);
    await expect(reconcileKeyMetadata(h.db, generateKeys())).rejects.toThrow(/does not match this database/);
  });
});
