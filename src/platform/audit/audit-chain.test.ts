import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeStaff, signIn } from '../../../test/helpers/factories.js';
import { type Harness, createHarness, describeEachDialect } from '../../../test/helpers/harness.js';
import { type Db, openDatabase } from '../db/database.js';
import { GENESIS_HASH, chainHash } from './audit-chain.js';
import { type AuditActor, recordAudit, verifyAuditChain } from './audit.service.js';

const ADMIN: AuditActor = { id: 'staff-admin', username: 'admin', ip: '10.0.0.7' };

describeEachDialect('audit hash chain', (dialect) => {
  let h: Harness;
  let copy: { db: Db; close(): Promise<void> } | undefined;

  beforeEach(async () => {
    h = await createHarness(dialect);
    // A realistic chain: sign-ins through the API, then administrative actions.
    const who = await makeStaff(h, { roles: ['customer_manager'], username: 'cm.east' });
    await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'cm.east', password: 'wrong password' } });
    await signIn(h, who);
    for (let i = 0; i < 6; i++) {
      await h.db.transaction().execute((trx) =>
        recordAudit(trx, ADMIN, {
          action: 'staff.updated',
          target: { type: 'staff', id: `staff-${i}` },
          detail: { fields: ['displayName'], n: i },
        }),
      );
    }
  });
  afterEach(async () => {
    await copy?.close();
    copy = undefined;
    await h.close();
  });

  /**
   * The data as an attacker with database rights would edit it: a copy of the SQLite file, or the
   * harness's private PostgreSQL schema with the append-only trigger dropped, as a superuser could.
   */
  async function tamperable(): Promise<Db> {
    if (dialect === 'sqlite') {
      const file = path.join(h.dataDir, 'tampered.sqlite');
      await sql`VACUUM INTO ${file}`.execute(h.db);
      const opened = openDatabase({ dialect: 'sqlite', file });
      copy = { db: opened.db, close: () => opened.close() };
      return opened.db;
    }
    await sql`DROP TRIGGER audit_events_append_only ON audit_events`.execute(h.db);
    return h.db;
  }

  const events = (db: Db) => db.selectFrom('audit_events').selectAll().orderBy('seq').execute();

  it('P1.3.4 should verify an untouched chain, linked from the genesis hash', async () => {
    const rows = await events(h.db);
    expect(rows).toHaveLength(8);
    expect(rows[0]?.prev_hash).toBe(GENESIS_HASH);
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await verifyAuditChain(h.db)).toEqual({ ok: true, checked: 8, firstBrokenId: null });
  });

  it('should name an event whose detail was edited', async () => {
    const db = await tamperable();
    const victim = (await events(db))[4];
    await db
      .updateTable('audit_events')
      .set({ detail: '{"fields":["roles"],"n":3}' })
      .where('id', '=', victim?.id ?? '')
      .execute();
    expect(await verifyAuditChain(db)).toEqual({ ok: false, checked: 5, firstBrokenId: victim?.id });
    if (dialect === 'sqlite') expect((await verifyAuditChain(h.db)).ok).toBe(true);
  });

  it('should name the next event when an edited event’s own hash was recomputed', async () => {
    const db = await tamperable();
    const rows = await events(db);
    const victim = rows[2];
    if (!victim) throw new Error('no event');
    const edited = { ...victim, actor_username: 'someone.else' };
    const hash = chainHash(edited.prev_hash, {
      seq: Number(edited.seq),
      id: edited.id,
      occurredAt: edited.occurred_at,
      actorId: edited.actor_id,
      actorUsername: edited.actor_username,
      action: edited.action,
      targetType: edited.target_type,
      targetId: edited.target_id,
      branchId: edited.branch_id,
      ip: edited.ip,
      outcome: edited.outcome,
      detail: edited.detail,
    });
    await db.updateTable('audit_events').set({ actor_username: 'someone.else', hash }).where('id', '=', victim.id).execute();
    expect(await verifyAuditChain(db)).toEqual({ ok: false, checked: 4, firstBrokenId: rows[3]?.id });
  });

  it('should name the event after a deleted one', async () => {
    const db = await tamperable();
    const rows = await events(db);
    await db
      .deleteFrom('audit_events')
      .where('id', '=', rows[3]?.id ?? '')
      .execute();
    expect(await verifyAuditChain(db)).toEqual({ ok: false, checked: 4, firstBrokenId: rows[4]?.id });
  });

  it('should notice two events swapped in order', async () => {
    const db = await tamperable();
    const rows = await events(db);
    const [a, b] = [rows[2], rows[3]];
    if (!a || !b) throw new Error('no events');
    await db.updateTable('audit_events').set({ seq: -1 }).where('id', '=', a.id).execute();
    await db.updateTable('audit_events').set({ seq: a.seq }).where('id', '=', b.id).execute();
    await db.updateTable('audit_events').set({ seq: b.seq }).where('id', '=', a.id).execute();
    expect(await verifyAuditChain(db)).toEqual({ ok: false, checked: 3, firstBrokenId: b.id });
  });

  it.runIf(dialect === 'postgres')('should refuse UPDATE, DELETE and TRUNCATE of audit events in the database itself', async () => {
    const first = (await events(h.db))[0]?.id ?? '';
    await expect(h.db.updateTable('audit_events').set({ detail: '{}' }).where('id', '=', first).execute()).rejects.toThrow(/append-only/);
    await expect(h.db.deleteFrom('audit_events').where('id', '=', first).execute()).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_events`.execute(h.db)).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, checked: 8 });
  });

  it('should keep the chain valid under 20 concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.db.transaction().execute(async (trx) => {
          await recordAudit(trx, ADMIN, { action: 'concurrent.write', target: { type: 'test', id: String(i) } });
        }),
      ),
    );
    const rows = await events(h.db);
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 28 }, (_, i) => i + 1));
    expect(await verifyAuditChain(h.db)).toEqual({ ok: true, checked: 28, firstBrokenId: null });
  });

  it('should roll the event back with the transaction it belongs to', async () => {
    await expect(
      h.db.transaction().execute(async (trx) => {
        await recordAudit(trx, ADMIN, { action: 'staff.created', target: { type: 'staff', id: 'never' } });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await events(h.db)).map((r) => r.target_id)).not.toContain('never');
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
  });
});
