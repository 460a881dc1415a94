import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadCustomers } from '../../src/features/customers/customers.service.js';
import { type RegisteredCase, registerCaseViaApi } from '../helpers/cases.js';
import { type Session, makeBranches, makeStaff, signIn } from '../helpers/factories.js';
import { type Harness, createHarness, describeEachDialect } from '../helpers/harness.js';

// P5.4.1: every read of sensitive data is an audit event — one per reading, naming what was read —
// and a refused read is recorded too, so that supervision can see probing.

interface AuditRow {
  seq: number | string;
  action: string;
  actor_username: string | null;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  detail: string;
}

describeEachDialect('audited reads', (dialect) => {
  let h: Harness;
  let supEast: Session;
  let cmWest: Session;
  let caseOfEast: RegisteredCase;
  let customerId: string;
  let supEastId: string;

  /** The audit events written since `afterSeq`. */
  async function eventsSince(afterSeq: number): Promise<AuditRow[]> {
    return h.db.selectFrom('audit_events').selectAll().where('seq', '>', afterSeq).orderBy('seq').execute();
  }
  async function lastSeq(): Promise<number> {
    const row = await h.db.selectFrom('audit_events').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off' });
    await makeBranches(h);
    const people = {
      supEast: await makeStaff(h, { roles: ['supervisor'], branch: 'EAST', username: 'sup.east' }),
      cmWest: await makeStaff(h, { roles: ['customer_manager'], branch: 'WEST', username: 'cm.west' }),
      teller: await makeStaff(h, { roles: ['staff'], branch: 'EAST', username: 'teller.east' }),
    };
    supEastId = people.supEast.id;
    supEast = await signIn(h, people.supEast);
    cmWest = await signIn(h, people.cmWest);
    const teller = await signIn(h, people.teller);
    await loadCustomers(h.ctx, h.db, [
      {
        customerNumber: 'C0000001',
        name: '测试客户',
        gender: 'F',
        dateOfBirth: '1970-01-01',
        nationalId: null,
        phone: null,
        address: null,
        branchCode: 'EAST',
        segment: 'mass',
        openedOn: null,
      },
    ]);
    customerId = (await h.db.selectFrom('customers').select('id').where('customer_number', '=', 'C0000001').executeTakeFirstOrThrow()).id;
    caseOfEast = await registerCaseViaApi({ teller, supervisor: supEast }, 'C0000001', h.clock.now(), { illness: '肺癌' });
    // A file with a long history: every update is a version with encrypted old and new values.
    for (let i = 0; i < 12; i += 1) {
      const file = await supEast.request({ method: 'GET', url: `/api/v1/cases/${caseOfEast.id}` });
      const version = file.json<{ version: number }>().version;
      const res = await supEast.request({
        method: 'PATCH',
        url: `/api/v1/cases/${caseOfEast.id}`,
        headers: { 'if-match': `"${version}"` },
        payload: { condition: { category: 'severe_malignant_tumour', description: `肺癌，第 ${i + 1} 次复查` } },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const posted = await supEast.request({
      method: 'POST',
      url: `/api/v1/cases/${caseOfEast.id}/messages`,
      payload: { body: '客户化疗期间暂停理财回访' },
    });
    expect(posted.statusCode, posted.body).toBe(201);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('P5.4.1 should record one reading of a case file as one audit event naming the fields and every version read', async () => {
    const before = await lastSeq();
    const res = await supEast.request({ method: 'GET', url: `/api/v1/cases/${caseOfEast.id}` });
    expect(res.statusCode).toBe(200);
    const reads = (await eventsSince(before)).filter((e) => e.action === 'sensitive.read');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ target_type: 'case', target_id: caseOfEast.id, actor_username: 'sup.east' });
    const detail = JSON.parse(reads[0]?.detail ?? '{}') as {
      purpose: string;
      reads: { table: string; fields: string[]; rows: number; labels?: number[] }[];
    };
    expect(detail.purpose).toBe('case_file');
    const versions = detail.reads.find((r) => r.table === 'case_versions');
    expect(versions?.rows).toBe(12);
    expect(versions?.labels).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(detail.reads.find((r) => r.table === 'cases')?.fields).toContain('condition_enc');
    expect(reads[0]?.detail).not.toContain('肺癌');
  });

  it('P5.4.1 should record reading the case thread and the meeting minutes as sensitive reads', async () => {
    for (const [url, purpose] of [
      [`/api/v1/cases/${caseOfEast.id}/messages`, 'case_thread'],
      [`/api/v1/cases/${caseOfEast.id}/meetings`, 'case_meetings'],
    ] as const) {
      if (purpose === 'case_meetings') {
        const meeting = await supEast.request({
          method: 'POST',
          url: `/api/v1/cases/${caseOfEast.id}/meetings`,
          payload: { heldAt: h.clock.now().toISOString(), attendees: [supEastId], minutes: '讨论了化疗费用安排', actionItems: [] },
        });
        expect(meeting.statusCode, meeting.body).toBe(201);
      }
      const before = await lastSeq();
      const res = await supEast.request({ method: 'GET', url });
      expect(res.statusCode, res.body).toBe(200);
      const reads = (await eventsSince(before)).filter((e) => e.action === 'sensitive.read');
      expect(reads, url).toHaveLength(1);
      expect(reads[0]).toMatchObject({ target_type: 'case', target_id: caseOfEast.id });
      expect(JSON.parse(reads[0]?.detail ?? '{}')).toMatchObject({ purpose });
    }
  });

  it("P5.4.1 should record a refused read of another branch's case or customer, and answer exactly as for no such record", async () => {
    for (const [url, type, id] of [
      [`/api/v1/cases/${caseOfEast.id}`, 'case', caseOfEast.id],
      [`/api/v1/customers/${customerId}`, 'customer', customerId],
    ] as const) {
      const before = await lastSeq();
      const refused = await cmWest.request({ method: 'GET', url });
      const missing = await cmWest.request({ method: 'GET', url: url.replace(id, '0190a0a0-0000-7000-8000-000000000000') });
      expect(refused.statusCode, url).toBe(404);
      expect(refused.json()).toEqual({ ...missing.json<Record<string, unknown>>(), instance: url });
      const denied = (await eventsSince(before)).filter((e) => e.action === 'access.denied');
      expect(denied, url).toHaveLength(1);
      expect(denied[0]).toMatchObject({ actor_username: 'cm.west', target_type: type, target_id: id, outcome: 'failure' });
    }
  });
});
