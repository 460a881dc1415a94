import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { type Session, TEST_PASSWORD, makeBranches, makeCustomer, makeStaff, signIn } from '../../../test/helpers/factories.js';
import { type Harness, createHarness, describeEachDialect } from '../../../test/helpers/harness.js';
import { loadConfig } from '../../config/config.js';
import type { Role } from '../../domain/roles.js';
import type { Actor } from '../../platform/http/context.js';
import type { LeadView } from './leads.schemas.js';
import { createLead } from './intake.service.js';
import { findLeadIdByReferral, leadForRegistration, markLeadRegistered } from './leads.service.js';

const HOLIDAY = '2026-12-01';
const NID_1 = '330106196804121236';
const PHONE_1 = '13957100001';
const SECRET_SUMMARY = '客户自述确诊胰腺癌晚期，需要化疗';
const SECRET_FINDING = '核实：住院记录显示肿瘤科病房';
const SECRET_REASON = '病理报告确认恶性肿瘤';

type Who = 'teller' | 'teller2' | 'supEast' | 'supWest' | 'cmEast' | 'cmEast2' | 'cmWest' | 'insp';
const PEOPLE: Record<Who, { roles: Role[]; branch: 'HQ' | 'EAST' | 'WEST' }> = {
  teller: { roles: ['staff'], branch: 'EAST' },
  teller2: { roles: ['staff'], branch: 'EAST' },
  supEast: { roles: ['supervisor'], branch: 'EAST' },
  supWest: { roles: ['supervisor'], branch: 'WEST' },
  cmEast: { roles: ['customer_manager'], branch: 'EAST' },
  cmEast2: { roles: ['customer_manager'], branch: 'EAST' },
  cmWest: { roles: ['customer_manager'], branch: 'WEST' },
  insp: { roles: ['inspector'], branch: 'HQ' },
};

describe('lead configuration', () => {
  it('should default to 2 business days and no holidays, and read LIFELINE_HOLIDAYS as a list of dates', () => {
    expect(loadConfig({}).leads).toEqual({ verifyBusinessDays: 2, holidays: [] });
    const config = loadConfig({ LIFELINE_VERIFY_BUSINESS_DAYS: '3', LIFELINE_HOLIDAYS: '2026-10-01, 2026-10-02,' });
    expect(config.leads).toEqual({ verifyBusinessDays: 3, holidays: ['2026-10-01', '2026-10-02'] });
  });

  it('should refuse holidays that are not real dates and a negative number of days', () => {
    expect(() => loadConfig({ LIFELINE_HOLIDAYS: '2026-02-30' })).toThrow(/LIFELINE_HOLIDAYS/);
    expect(() => loadConfig({ LIFELINE_HOLIDAYS: 'tomorrow' })).toThrow(/LIFELINE_HOLIDAYS/);
    expect(() => loadConfig({ LIFELINE_VERIFY_BUSINESS_DAYS: '-1' })).toThrow(/LIFELINE_VERIFY_BUSINESS_DAYS/);
  });
});

describeEachDialect('leads API', (dialect) => {
  let h: Harness;
  const staff = {} as Record<Who, { id: string; username: string; password: string }>;
  const sessions = new Map<Who, Session>();
  const cust = {} as Record<
    'east' | 'west' | 'named' | 'shared1' | 'shared2' | 'dup' | 'cased' | 'plain',
    { id: string; customerNumber: string }
  >;

  /** A session of one of the test people; after the clock moves, sign in afresh (sessions time out). */
  async function as(who: Who): Promise<Session> {
    let s = sessions.get(who);
    if (!s) {
      s = await signIn(h, staff[who]);
      sessions.set(who, s);
    }
    return s;
  }
  function moveClock(iso: string): void {
    h.clock.set(iso);
    sessions.clear();
  }
  const post = async (who: Who, url: string, payload: unknown, headers: Record<string, string> = {}) =>
    (await as(who)).request({ method: 'POST', url: `/api/v1${url}`, payload: payload as Record<string, unknown>, headers });
  const get = async (who: Who, url: string) => (await as(who)).request({ method: 'GET', url: `/api/v1${url}` });
  function ok<T = LeadView>(res: LightMyRequestResponse, status = 200): T {
    expect(res.statusCode, res.body).toBe(status);
    return res.json<T>();
  }
  const report = async (who: Who, body: Record<string, unknown>) =>
    ok(await post(who, '/leads', { channel: 'self_report', summary: SECRET_SUMMARY, ...body }), 201);
  const count = async (table: 'leads' | 'lead_events' | 'lead_checks' | 'audit_events') =>
    Number(
      (
        await h.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const actorOf = (who: Who): Actor => ({
    id: staff[who].id,
    username: staff[who].username,
    displayName: staff[who].username,
    roles: PEOPLE[who].roles,
    branchId: branchIds[PEOPLE[who].branch],
    sessionId: 'test',
    sessionStage: 'full',
    mustChangePassword: false,
    ip: '127.0.0.1',
  });
  let branchIds: Record<'HQ' | 'EAST' | 'WEST', string>;

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off', LIFELINE_HOLIDAYS: `2026-05-01, ${HOLIDAY}` });
    branchIds = await makeBranches(h);
    for (const [who, p] of Object.entries(PEOPLE) as [Who, (typeof PEOPLE)[Who]][]) {
      staff[who] = await makeStaff(h, {
        roles: p.roles,
        branch: p.branch,
        username: `${who.toLowerCase()}.${dialect}`,
        password: TEST_PASSWORD,
      });
    }
    cust.east = await makeCustomer(h, { name: '李建华', dateOfBirth: '1968-04-12', nationalId: NID_1, phone: PHONE_1, branch: 'EAST' });
    cust.west = await makeCustomer(h, { name: '王秀英', dateOfBirth: '1972-11-03', nationalId: '330102197211032464', branch: 'WEST' });
    cust.named = await makeCustomer(h, { name: '陈志强', dateOfBirth: '1985-06-21', branch: 'EAST' });
    cust.shared1 = await makeCustomer(h, { name: '张伟', dateOfBirth: '1990-01-01', phone: '13900000000', branch: 'EAST' });
    cust.shared2 = await makeCustomer(h, { name: '张丽', dateOfBirth: '1991-02-02', phone: '+86 139 0000 0000', branch: 'EAST' });
    cust.dup = await makeCustomer(h, { name: '赵敏', branch: 'EAST' });
    cust.cased = await makeCustomer(h, { name: '孙立', branch: 'EAST' });
    cust.plain = await makeCustomer(h, { name: '周平', branch: 'EAST' });
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('recording leads from every channel, with the match and its strength', () => {
    it('P2.2.1 P2.3.1 should match a self-report by customer number (exact) and put it in the customer’s branch', async () => {
      moveClock('2026-11-27T15:00:00.000Z'); // a Friday
      const lead = await report('teller', { customerNumber: cust.east.customerNumber.toLowerCase() });
      expect(lead).toMatchObject({
        status: 'new',
        channel: 'self_report',
        branchCode: 'EAST',
        customer: { id: cust.east.id, customerNumber: cust.east.customerNumber, name: '李建华' },
        match: { method: 'customer_number', strength: 'exact' },
        reportedBy: { id: staff.teller.id },
        summary: SECRET_SUMMARY,
        overdue: false,
        // Friday + 2 business days, Tuesday 1 December is a holiday: Wednesday afternoon.
        dueAt: '2026-12-02T15:00:00.000Z',
      });
      expect(lead.history.map((e) => e.action)).toEqual(['created', 'matched']);
      // Closed again so that later tests about this customer start clean.
      ok(await post('supEast', `/leads/${lead.id}/decision`, { decision: 'reject', reason: 'test set-up' }));
    });

    it('should match by national ID through the blind index (exact), an analysis finding', async () => {
      const lead = await report('teller', {
        channel: 'analysis',
        subject: { name: '李建华', nationalId: ` ${NID_1.slice(0, 6)}-${NID_1.slice(6)}` },
      });
      expect(lead.match).toEqual({ method: 'national_id', strength: 'exact' });
      expect(lead.customer?.id).toBe(cust.east.id);
      ok(await post('supEast', `/leads/${lead.id}/decision`, { decision: 'reject', reason: 'test set-up' }));
    });

    it('P2.2.4 should match by phone (strong), an external lead with its source reference', async () => {
      const lead = await report('cmEast', {
        channel: 'external',
        sourceRef: 'https://news.example/2026/11/27/story',
        subject: { name: '李先生', phone: '139-5710-0001' },
      });
      expect(lead).toMatchObject({ match: { method: 'phone', strength: 'strong' }, sourceRef: 'https://news.example/2026/11/27/story' });
      ok(await post('supEast', `/leads/${lead.id}/decision`, { decision: 'reject', reason: 'test set-up' }));
    });

    it('should match by name and date of birth (probable), a hospital lead taken by phone', async () => {
      const lead = await report('teller', { channel: 'hospital', subject: { name: '陈志强', dateOfBirth: '1985-06-21' } });
      expect(lead).toMatchObject({
        channel: 'hospital',
        match: { method: 'name_dob', strength: 'probable' },
        customer: { id: cust.named.id },
      });
      ok(await post('supEast', `/leads/${lead.id}/decision`, { decision: 'reject', reason: 'test set-up' }));
    });

    it('should put a lead about a WEST customer in WEST, out of sight of EAST’s supervisor', async () => {
      const lead = await report('teller', { customerNumber: cust.west.customerNumber });
      expect(lead.branchCode).toBe('WEST');
      expectProblem(await get('supEast', `/leads/${lead.id}`), 'NOT_FOUND');
      expectProblem(await post('supEast', `/leads/${lead.id}/decision`, { decision: 'reject', reason: 'x' }), 'NOT_FOUND');
      expect(ok(await get('supWest', `/leads/${lead.id}`)).summary).toBe(SECRET_SUMMARY);
      // The reporter still follows what they reported.
      expect(ok(await get('teller', `/leads/${lead.id}`)).summary).toBe(SECRET_SUMMARY);
      ok(await post('supWest', `/leads/${lead.id}/decision`, { decision: 'reject', reason: 'test set-up' }));
    });

    it('P5.1.2 should record a partner hospital’s referral with its condition and consent, for the cases feature', async () => {
      const fresh = await makeCustomer(h, { name: '吴刚', dateOfBirth: '1960-03-03', nationalId: '110101196003030017', branch: 'WEST' });
      const partner = { id: `partner-${dialect}`, code: 'CITY1', name: '市第一人民医院', defaultBranchId: branchIds.HQ };
      const consent = { obtainedAt: '2026-11-26T10:00:00.000Z', scope: ['share_with_bank'], evidenceRef: 'EV-123' };
      const created = await h.db.transaction().execute((trx) =>
        createLead(
          h.ctx,
          trx,
          {
            channel: 'hospital',
            subject: { name: '吴刚', nationalId: '110101196003030017', dateOfBirth: '1960-03-03' },
            summary: '转诊：急性心肌梗死',
            referral: {
              partnerId: partner.id,
              referralId: 'R-1',
              condition: { category: 'acute_myocardial_infarction', icd10: 'I21.9', summary: '急性心肌梗死，已行PCI' },
              consent,
            },
          },
          { partner },
        ),
      );
      // No reader behind a partner: the answer carries no sensitive part.
      expect(created).toMatchObject({ branchCode: 'WEST', partner: { name: '市第一人民医院' }, reportedBy: null, referralId: 'R-1' });
      expect(created.summary).toBeUndefined();
      expect(await findLeadIdByReferral(h.db, partner.id, 'R-1')).toBe(created.id);
      expect(await findLeadIdByReferral(h.db, partner.id, 'R-2')).toBeUndefined();
      const seen = ok(await get('supWest', `/leads/${created.id}`));
      expect(seen).toMatchObject({
        match: { method: 'national_id', strength: 'exact' },
        condition: { category: 'acute_myocardial_infarction', icd10: 'I21.9', summary: '急性心肌梗死，已行PCI' },
        consent,
      });
      expect(seen.history[0]).toMatchObject({ action: 'created', actor: null, detail: { partner: '市第一人民医院' } });
      ok(
        await post('supWest', `/leads/${created.id}/decision`, {
          decision: 'confirm',
          reason: '医院证明',
          definition: {
            conditionCategory: 'severe_malignant_tumour',
            lifeAffected: true,
            lifeEffect: '确诊后无法工作',
            financesAffected: false,
          },
        }),
      );
      const forCase = await h.db.transaction().execute((trx) => leadForRegistration(h.ctx, trx, actorOf('supWest'), created.id));
      expect(forCase).toEqual({
        id: created.id,
        customerId: fresh.id,
        branchId: branchIds.WEST,
        channel: 'hospital',
        partnerId: partner.id,
        referralConsent: consent,
      });
      const raw = JSON.stringify(await h.db.selectFrom('leads').selectAll().where('id', '=', created.id).execute());
      expect(raw).not.toContain('心肌梗死');
      expect(raw).not.toContain('110101196003030017');
    });

    it('should refuse a lead that says nothing about whom, and an external lead without its source', async () => {
      const before = await count('leads');
      expectProblem(await post('teller', '/leads', { channel: 'self_report', summary: 'x' }), 'VALIDATION_FAILED');
      const external = expectProblem(
        await post('teller', '/leads', { channel: 'external', summary: 'x', subject: { name: 'A' } }),
        'VALIDATION_FAILED',
      );
      expect(external.errors?.[0]?.path).toBe('body.sourceRef');
      expectProblem(await post('teller', '/leads', { channel: 'rumour', summary: 'x', customerNumber: 'A' }), 'VALIDATION_FAILED');
      expectProblem(
        await post('teller', '/leads', { channel: 'self_report', summary: 'x', subject: { name: 'A', dateOfBirth: '2026-02-30' } }),
        'VALIDATION_FAILED',
      );
      expect(await count('leads')).toBe(before);
    });

    it('should answer the same Idempotency-Key with the same lead', async () => {
      const headers = { 'idempotency-key': `lead-${dialect}-1` };
      const body = { channel: 'self_report', summary: 'once only', subject: { name: '无名氏' } };
      const first = ok(await post('teller', '/leads', body, headers), 201);
      const again = ok(await post('teller', '/leads', body, headers), 201);
      expect(again.id).toBe(first.id);
      expectProblem(await post('teller', '/leads', { ...body, summary: 'other' }, headers), 'IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('the definition (P2.1)', () => {
    it('P2.1 should confirm a lead only with a finding that meets each part of the definition, and keep it encrypted', async () => {
      const lead = await report('teller', { customerNumber: cust.east.customerNumber });
      const decide = (definition: unknown) =>
        post('supEast', `/leads/${lead.id}/decision`, {
          decision: 'confirm',
          reason: '电话核实',
          ...(definition === undefined ? {} : { definition }),
        });
      expectProblem(await decide(undefined), 'VALIDATION_FAILED');
      const neither = expectProblem(
        await decide({ conditionCategory: 'severe_malignant_tumour', lifeAffected: false, financesAffected: false }),
        'VALIDATION_FAILED',
      );
      expect(neither.errors).toEqual([
        { path: 'body.definition.lifeAffected', message: 'not_seriously_affected', reason: 'not_seriously_affected' },
      ]);
      const noFigures = expectProblem(
        await decide({ conditionCategory: 'severe_malignant_tumour', lifeAffected: false, financesAffected: true }),
        'VALIDATION_FAILED',
      );
      expect(noFigures.errors).toEqual([{ path: 'body.definition.finances', message: 'figures_or_reason_missing', reason: 'required' }]);
      const finding = {
        conditionCategory: 'severe_malignant_tumour',
        lifeAffected: false,
        financesAffected: true,
        finances: { medicalCosts: { amountMinor: 12_000_000, currency: 'CNY' } },
      };
      const confirmed = ok(await decide(finding));
      expect(confirmed).toMatchObject({ status: 'confirmed', definition: finding });
      const row = await h.db.selectFrom('leads').select('definition_enc').where('id', '=', lead.id).executeTakeFirstOrThrow();
      expect(row.definition_enc?.startsWith('enc:')).toBe(true);
      expectProblem(
        await post('supEast', `/leads/${lead.id}/decision`, { decision: 'reject', reason: 'x', definition: finding }),
        'VALIDATION_FAILED',
      );
    });
  });

  describe('unmatched leads and the manual match', () => {
    it('should keep an unmatched lead visible with candidates for the supervisor, and match it by hand', async () => {
      // The phone belongs to two customers: it says nothing about which one is meant.
      const lead = await report('teller', { subject: { name: '张伟', dateOfBirth: '1991-02-02', phone: '13900000000' } });
      expect(lead).toMatchObject({ status: 'new', customer: null, match: null, branchCode: 'EAST', candidates: [] });
      const seen = ok(await get('supEast', `/leads/${lead.id}`));
      expect(seen.candidates.map((c) => [c.customerId, c.reason])).toEqual([
        [cust.shared1.id, 'name'],
        [cust.shared2.id, 'dob'],
      ]);
      expect(ok<{ items: LeadView[] }>(await get('supEast', '/leads?status=new&limit=500')).items.map((i) => i.id)).toContain(lead.id);

      expectProblem(
        await post('supEast', `/leads/${lead.id}/decision`, {
          decision: 'confirm',
          reason: 'x',
          definition: {
            conditionCategory: 'severe_malignant_tumour',
            lifeAffected: true,
            lifeEffect: '确诊后无法工作',
            financesAffected: false,
          },
        }),
        'CONFLICT',
      );
      expectProblem(await post('supEast', `/leads/${lead.id}/match`, { customerId: cust.west.id }), 'VALIDATION_FAILED');
      expectProblem(await post('teller', `/leads/${lead.id}/match`, { customerId: cust.shared1.id }), 'FORBIDDEN');
      const matched = ok(await post('supEast', `/leads/${lead.id}/match`, { customerId: cust.shared1.id }));
      expect(matched).toMatchObject({ customer: { id: cust.shared1.id }, match: { method: 'manual', strength: 'exact' }, candidates: [] });
      expect(matched.history.at(-1)).toMatchObject({ action: 'matched', actor: { id: staff.supEast.id }, detail: { method: 'manual' } });
      const confirmed = ok(
        await post('supEast', `/leads/${lead.id}/decision`, {
          decision: 'confirm',
          reason: SECRET_REASON,
          definition: {
            conditionCategory: 'severe_malignant_tumour',
            lifeAffected: true,
            lifeEffect: '确诊后无法工作',
            financesAffected: false,
          },
        }),
      );
      expect(confirmed).toMatchObject({
        status: 'confirmed',
        decision: { decision: 'confirm', reason: SECRET_REASON, by: { id: staff.supEast.id } },
        // P2.1: the finding against each part of the definition is kept with the lead.
        definition: {
          conditionCategory: 'severe_malignant_tumour',
          lifeAffected: true,
          lifeEffect: '确诊后无法工作',
          financesAffected: false,
        },
      });
    });
  });

  it('P2.3.2 should show the supervisor the customer number that was typed for a lead it matched no customer by', async () => {
    const lead = await report('teller', { customerNumber: 'C9999999', subject: { name: '无此客户' } });
    expect(lead).toMatchObject({ customer: null, match: null, reportedCustomerNumber: 'C9999999' });
    expect(ok<LeadView & { reportedCustomerNumber: string | null }>(await get('supEast', `/leads/${lead.id}`)).reportedCustomerNumber).toBe(
      'C9999999',
    );
    const inbox = ok<{ items: (LeadView & { reportedCustomerNumber: string | null })[] }>(
      await get('supEast', '/leads?status=new&limit=500'),
    );
    expect(inbox.items.find((i) => i.id === lead.id)?.reportedCustomerNumber).toBe('C9999999');
  });

  describe('duplicates and merging', () => {
    it('should link a second report about a customer with an open lead to it instead of making a new inbox item', async () => {
      const first = await report('teller', { customerNumber: cust.dup.customerNumber });
      const second = await report('cmEast', { channel: 'analysis', customerNumber: cust.dup.customerNumber });
      expect(second).toMatchObject({ status: 'duplicate', duplicateOf: first.id, linkedCaseId: null });
      expect(second.history.map((e) => e.action)).toEqual(['created', 'matched', 'linked']);
      const firstNow = ok(await get('supEast', `/leads/${first.id}`));
      expect(firstNow.history.at(-1)).toMatchObject({ action: 'duplicate_reported', detail: { leadId: second.id } });
      const inbox = ok<{ items: { id: string }[] }>(await get('supEast', '/leads?status=new&limit=500')).items.map((i) => i.id);
      expect(inbox).toContain(first.id);
      expect(inbox).not.toContain(second.id);
    });

    it('should link a report about a customer with an active case to the case', async () => {
      const lead = await report('teller', { customerNumber: cust.cased.customerNumber });
      ok(
        await post('supEast', `/leads/${lead.id}/decision`, {
          decision: 'confirm',
          reason: '核实属实',
          definition: {
            conditionCategory: 'severe_malignant_tumour',
            lifeAffected: true,
            lifeEffect: '确诊后无法工作',
            financesAffected: false,
          },
        }),
      );
      const registered = ok<{ id: string; caseNumber: string }>(
        await post('supEast', '/cases', {
          leadId: lead.id,
          condition: { category: 'severe_malignant_tumour', description: '登记描述' },
          mobilityImpaired: false,
          financialImpact: {},
          severity: 'medium',
          reviewOn: '2027-02-01',
          consent: { healthProcessing: { givenAt: '2026-11-27T08:00:00Z', channel: 'paper', evidenceRef: 'DOC-1' } },
        }),
        201,
      );
      const again = await report('teller', { customerNumber: cust.cased.customerNumber });
      expect(again).toMatchObject({ status: 'duplicate', linkedCaseId: registered.id, duplicateOf: null });
      expect(again.history.at(-1)).toMatchObject({
        action: 'linked',
        detail: { linkedCaseId: registered.id, caseNumber: registered.caseNumber },
      });
    });

    it('should merge a lead into another open lead, and refuse merges that make no sense', async () => {
      const target = await report('teller', { subject: { name: '无名甲' } });
      const source = await report('teller2', { subject: { name: '无名甲' } });
      const other = await report('teller', { customerNumber: cust.plain.customerNumber });
      ok(await post('supEast', `/leads/${other.id}/match`, { customerId: cust.plain.id }));
      ok(await post('supEast', `/leads/${target.id}/match`, { customerId: cust.named.id }));

      expectProblem(await post('supEast', `/leads/${source.id}/merge`, { into: source.id }), 'VALIDATION_FAILED');
      expectProblem(await post('supEast', `/leads/${other.id}/merge`, { into: target.id }), 'CONFLICT');
      expectProblem(
        await post('supEast', `/leads/${source.id}/merge`, { into: '0190aaaa-0000-7000-8000-000000000000' }),
        'VALIDATION_FAILED',
      );

      const merged = ok(await post('supEast', `/leads/${source.id}/merge`, { into: target.id }));
      expect(merged).toMatchObject({ status: 'duplicate', duplicateOf: target.id, decision: { decision: 'duplicate' } });
      const into = ok(await get('supEast', `/leads/${target.id}`));
      expect(into.history.at(-1)).toMatchObject({ action: 'merged_from', detail: { leadId: source.id } });
      // A merged lead is closed: merging it again is an illegal transition.
      expectProblem(await post('supEast', `/leads/${source.id}/merge`, { into: target.id }), 'CONFLICT');
    });
  });

  describe('the inbox and its deadlines', () => {
    it('should show supervisors only their branch’s leads, and the overdue ones after the deadline (holidays respected)', async () => {
      moveClock('2026-11-30T08:00:00.000Z'); // Monday; Tuesday is a holiday
      const lead = await report('teller', { subject: { name: '逾期测试' } });
      expect(lead.dueAt).toBe('2026-12-03T08:00:00.000Z');
      const westLead = await report('cmWest', { subject: { name: '西区测试' } });
      expect(westLead.branchCode).toBe('WEST');

      const east = ok<{ items: LeadView[] }>(await get('supEast', '/leads?limit=500')).items;
      expect(east.map((i) => i.id)).toContain(lead.id);
      expect(east.map((i) => i.id)).not.toContain(westLead.id);
      expect(east.every((i) => i.branchCode === 'EAST' || i.reportedBy?.id === staff.supEast.id)).toBe(true);
      expect(ok<{ items: LeadView[] }>(await get('supEast', '/leads?overdue=true&limit=500')).items.map((i) => i.id)).not.toContain(
        lead.id,
      );

      moveClock('2026-12-02T20:00:00.000Z'); // the holiday pushed the deadline past Wednesday
      expect(ok(await get('supEast', `/leads/${lead.id}`)).overdue).toBe(false);
      moveClock('2026-12-03T08:00:01.000Z');
      const overdue = ok<{ items: LeadView[] }>(await get('supEast', '/leads?overdue=true&limit=500')).items;
      expect(overdue.map((i) => i.id)).toContain(lead.id);
      expect(overdue.every((i) => i.overdue && ['new', 'in_verification'].includes(i.status))).toBe(true);
      expect(overdue.map((i) => i.id)).not.toContain(westLead.id);
      // Earliest deadline first, and paging walks the whole list once.
      const dues = overdue.map((i) => i.dueAt);
      expect([...dues].sort()).toEqual(dues);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: LeadView[]; nextCursor: string | null } = ok(
          await get('supEast', `/leads?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
        );
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(east.map((i) => i.id));
      expectProblem(await get('supEast', '/leads?cursor=garbage'), 'VALIDATION_FAILED');

      // A decision ends overdue.
      const decided = ok(await post('supEast', `/leads/${lead.id}/decision`, { decision: 'reject', reason: 'not P2.1' }));
      expect(decided.overdue).toBe(false);
    });

    it('should let a teller create leads but read only their own', async () => {
      const mine = await report('teller2', { subject: { name: '柜员二' } });
      const list = ok<{ items: LeadView[] }>(await get('teller2', '/leads?limit=500')).items;
      expect(list.every((i) => i.reportedBy?.id === staff.teller2.id)).toBe(true);
      expect(list.map((i) => i.id)).toContain(mine.id);
      const others = ok<{ items: LeadView[] }>(await get('teller', '/leads?limit=500')).items;
      expect(others.map((i) => i.id)).not.toContain(mine.id);
      expectProblem(await get('teller', `/leads/${mine.id}`), 'NOT_FOUND');
      expectProblem(await post('teller2', `/leads/${mine.id}/decision`, { decision: 'reject', reason: 'x' }), 'FORBIDDEN');
    });
  });

  describe('verification by a delegated colleague and decisions', () => {
    it('P2.1 P2.3.2 should hand the check to a colleague, who alone records the finding; the supervisor then decides', async () => {
      const lead = await report('teller', { subject: { name: '赵敏' }, customerNumber: cust.dup.customerNumber });
      // cust.dup already has an open lead: use that one.
      const open = lead.duplicateOf ?? lead.id;
      expectProblem(await get('cmEast', `/leads/${open}`), 'NOT_FOUND');
      expectProblem(await post('supEast', `/leads/${open}/assign`, { staffId: staff.cmWest.id }), 'VALIDATION_FAILED');
      expectProblem(await post('supEast', `/leads/${open}/assign`, { staffId: staff.teller.id }), 'VALIDATION_FAILED');
      expectProblem(await post('supWest', `/leads/${open}/assign`, { staffId: staff.cmEast.id }), 'NOT_FOUND');

      const assigned = ok(await post('supEast', `/leads/${open}/assign`, { staffId: staff.cmEast.id, note: '请电话核实住院情况' }));
      expect(assigned).toMatchObject({
        status: 'in_verification',
        assignedTo: { id: staff.cmEast.id },
        assignmentNote: '请电话核实住院情况',
      });

      const asAssignee = ok(await get('cmEast', `/leads/${open}`));
      expect(asAssignee.summary).toBe(SECRET_SUMMARY);
      expect(ok<{ items: LeadView[] }>(await get('cmEast', '/leads?status=in_verification')).items.map((i) => i.id)).toContain(open);
      expectProblem(await post('cmEast2', `/leads/${open}/check`, { finding: 'x', recommendation: 'confirm' }), 'NOT_FOUND');
      expectProblem(await post('supEast', `/leads/${open}/check`, { finding: 'x', recommendation: 'confirm' }), 'FORBIDDEN');
      const checked = ok(await post('cmEast', `/leads/${open}/check`, { finding: SECRET_FINDING, recommendation: 'confirm' }));
      expect(checked.checks).toEqual([
        {
          id: expect.any(String),
          by: { id: staff.cmEast.id, displayName: expect.any(String) },
          at: expect.any(String),
          finding: SECRET_FINDING,
          recommendation: 'confirm',
        },
      ]);

      expectProblem(await post('supEast', `/leads/${open}/decision`, { decision: 'confirm' }), 'VALIDATION_FAILED');
      const stale = await post(
        'supEast',
        `/leads/${open}/decision`,
        {
          decision: 'confirm',
          reason: SECRET_REASON,
          definition: {
            conditionCategory: 'severe_malignant_tumour',
            lifeAffected: true,
            lifeEffect: '确诊后无法工作',
            financesAffected: false,
          },
        },
        { 'if-match': '"1"' },
      );
      expectProblem(stale, 'PRECONDITION_FAILED');
      const confirmed = ok(
        await post('supEast', `/leads/${open}/decision`, {
          decision: 'confirm',
          reason: SECRET_REASON,
          definition: {
            conditionCategory: 'severe_malignant_tumour',
            lifeAffected: true,
            lifeEffect: '确诊后无法工作',
            financesAffected: false,
          },
        }),
      );
      expect(confirmed.status).toBe('confirmed');
      expect(confirmed.history.map((e) => e.action)).toEqual(
        expect.arrayContaining(['created', 'matched', 'duplicate_reported', 'assigned', 'checked', 'confirmed']),
      );
      expect(confirmed.history.find((e) => e.action === 'confirmed')).toMatchObject({
        actor: { id: staff.supEast.id },
        note: SECRET_REASON,
      });

      // A decided lead takes no further check, and an illegal transition is a 409.
      expectProblem(await post('cmEast', `/leads/${open}/check`, { finding: 'late', recommendation: 'unsure' }), 'CONFLICT');
      expectProblem(await post('supEast', `/leads/${open}/decision`, { decision: 'duplicate', reason: 'x' }), 'CONFLICT');
      expectProblem(await post('supEast', `/leads/${open}/assign`, { staffId: staff.cmEast.id }), 'CONFLICT');

      // Registration (by the cases feature) goes through the service in the case's transaction.
      await h.db.transaction().execute(async (trx) => {
        const forCase = await leadForRegistration(h.ctx, trx, actorOf('supEast'), open);
        expect(forCase).toMatchObject({
          id: open,
          customerId: cust.dup.id,
          branchId: branchIds.EAST,
          partnerId: null,
          referralConsent: null,
        });
        await markLeadRegistered(h.ctx, trx, actorOf('supEast'), open, 'case-9999');
      });
      const registered = ok(await get('supEast', `/leads/${open}`));
      expect(registered).toMatchObject({ status: 'registered', caseId: 'case-9999' });
      expectProblem(await post('supEast', `/leads/${open}/reopen`, { reason: 'try' }), 'CONFLICT');
      await expect(h.db.transaction().execute((trx) => leadForRegistration(h.ctx, trx, actorOf('supWest'), open))).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(h.db.transaction().execute((trx) => leadForRegistration(h.ctx, trx, actorOf('supEast'), open))).rejects.toMatchObject({
        code: 'CONFLICT',
      });
    });

    it('should reject with a reason, refuse to confirm a rejected lead, and reopen only explicitly', async () => {
      const fresh = await makeCustomer(h, { name: '钱多', branch: 'EAST' });
      const lead = await report('teller', { customerNumber: fresh.customerNumber });
      expect(lead.status).toBe('new');
      const rejected = ok(await post('supEast', `/leads/${lead.id}/decision`, { decision: 'reject', reason: '不符合P2.1定义' }));
      expect(rejected).toMatchObject({ status: 'rejected', decision: { decision: 'reject', reason: '不符合P2.1定义' } });
      expectProblem(
        await post('supEast', `/leads/${lead.id}/decision`, {
          decision: 'confirm',
          reason: 'changed my mind',
          definition: {
            conditionCategory: 'severe_malignant_tumour',
            lifeAffected: true,
            lifeEffect: '确诊后无法工作',
            financesAffected: false,
          },
        }),
        'CONFLICT',
      );
      const reopened = ok(await post('supEast', `/leads/${lead.id}/reopen`, { reason: '新的住院证明' }));
      expect(reopened).toMatchObject({ status: 'new', decision: null });
      expect(reopened.history.at(-1)).toMatchObject({ action: 'reopened', detail: { previousStatus: 'rejected' }, note: '新的住院证明' });
      // The reporter reads what they wrote, not the supervisor's reasons.
      const asReporter = ok(await get('teller', `/leads/${lead.id}`));
      expect(asReporter.summary).toBe(SECRET_SUMMARY);
      expect(asReporter.history.some((e) => e.note !== undefined)).toBe(false);
    });
  });

  describe('confidentiality', () => {
    it('should show an inspector the sensitive parts only with a reason, and audit the read', async () => {
      const lead = await report('teller', { subject: { name: '稽核测试', nationalId: '110105199002144280' } });
      const plain = ok(await get('insp', `/leads/${lead.id}`));
      expect(plain.summary).toBeUndefined();
      expect(plain.subject).toBeUndefined();
      expect(plain.subjectName).toBeNull();
      const withReason = ok(await get('insp', `/leads/${lead.id}?reason=${encodeURIComponent('季度抽查 Q4')}`));
      expect(withReason.summary).toBe(SECRET_SUMMARY);
      expect(withReason.subject).toEqual({ name: '稽核测试', nationalId: '110105199002144280' });
      const read = await h.db
        .selectFrom('audit_events')
        .select('detail')
        .where('action', '=', 'sensitive.read')
        .where('target_id', '=', lead.id)
        .where('actor_id', '=', staff.insp.id)
        .execute();
      expect(read.map((r) => JSON.parse(r.detail))).toEqual([expect.objectContaining({ purpose: 'lead.view', reason: '季度抽查 Q4' })]);
      // Colleagues not on the lead do not see it at all.
      expectProblem(await get('cmEast2', `/leads/${lead.id}`), 'NOT_FOUND');
    });

    it('should keep the sensitive values only as ciphertext, and out of the history and the audit trail', async () => {
      const tables = ['leads', 'lead_checks', 'lead_events', 'audit_events', 'idempotency_keys'] as const;
      for (const table of tables) {
        const rows = await h.db.selectFrom(table).selectAll().execute();
        expect(rows.length, table).toBeGreaterThan(0);
        const raw = JSON.stringify(rows);
        for (const secret of [
          NID_1,
          NID_1.slice(6),
          SECRET_SUMMARY,
          SECRET_FINDING,
          SECRET_REASON,
          '请电话核实住院情况',
          '新的住院证明',
          '110105199002144280',
        ]) {
          expect(raw.includes(secret), `${secret} in ${table}`).toBe(false);
        }
      }
      const actions = new Set((await h.db.selectFrom('audit_events').select('action').execute()).map((r) => r.action));
      for (const action of [
        'lead.created',
        'lead.matched',
        'lead.duplicate',
        'lead.assigned',
        'lead.checked',
        'lead.confirmed',
        'lead.rejected',
        'lead.merged',
        'lead.registered',
        'lead.reopened',
      ]) {
        expect(actions.has(action), action).toBe(true);
      }
    });
  });

  describe('bad input on the staff endpoints', () => {
    it('should never answer 5xx and never write half a change, whatever the body', async () => {
      const target = await report('teller', { subject: { name: '模糊测试' } });
      const routes = [
        '/leads',
        `/leads/${target.id}/decision`,
        `/leads/${target.id}/assign`,
        `/leads/${target.id}/check`,
        `/leads/${target.id}/match`,
        `/leads/${target.id}/merge`,
        `/leads/${target.id}/reopen`,
      ];
      const field = fc.oneof(
        fc.string(),
        fc.integer(),
        fc.constant(null),
        fc.boolean(),
        fc.array(fc.string()),
        fc.object(),
        fc.constantFrom(
          'confirm',
          'reject',
          'duplicate',
          'self_report',
          'external',
          target.id,
          staff.cmEast.id,
          cust.east.id,
          '\u0000',
          'x'.repeat(5000),
        ),
      );
      const body = fc.oneof(
        fc.anything(),
        fc.record(
          {
            channel: field,
            customerNumber: field,
            subject: fc.oneof(field, fc.record({ name: field, nationalId: field, dateOfBirth: field, phone: field }, { requiredKeys: [] })),
            summary: field,
            sourceRef: field,
            decision: field,
            reason: field,
            duplicateOf: field,
            staffId: field,
            note: field,
            finding: field,
            recommendation: field,
            customerId: field,
            into: field,
          },
          { requiredKeys: [] },
        ),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...routes),
          body,
          fc.constantFrom<Who>('supEast', 'teller', 'cmEast'),
          async (url, payload, who) => {
            const before = await Promise.all([count('leads'), count('lead_events'), count('lead_checks')]);
            const res = await (await as(who)).request({
              method: 'POST',
              url: `/api/v1${url}`,
              payload: JSON.stringify(payload) ?? 'null',
              headers: { 'content-type': 'application/json' },
            });
            expectNoServerError(res, `${who} POST ${url} ${JSON.stringify(payload)?.slice(0, 200)}`);
            if (res.statusCode >= 400) {
              expect(await Promise.all([count('leads'), count('lead_events'), count('lead_checks')])).toEqual(before);
            }
          },
        ),
        { numRuns: 60 },
      );
      for (const q of ['status=open', 'overdue=yes', 'limit=0', 'limit=501', 'cursor=%00', 'extra=1']) {
        expectNoServerError(await get('supEast', `/leads?${q}`), q);
        expect((await get('supEast', `/leads?${q}`)).statusCode).toBe(400);
      }
      for (const id of ['..', 'x'.repeat(65), '%00', 'a b']) {
        expectNoServerError(await get('supEast', `/leads/${id}`), id);
      }
      expectProblem(await get('supEast', '/leads/0190aaaa-0000-7000-8000-000000000000'), 'NOT_FOUND');
    });
  });
});
