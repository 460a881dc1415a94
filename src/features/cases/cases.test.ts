import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { type Session, makeBranches, makeStaff, signIn } from '../../../test/helpers/factories.js';
import { type Harness, createHarness, describeEachDialect } from '../../../test/helpers/harness.js';
import { loadCustomers } from '../customers/customers.service.js';
import { createLead } from '../leads/intake.service.js';
import { sharingAllowed } from './consent.service.js';
import { runRetention } from './retention.service.js';

const DAY = 86_400_000;
const ILLNESS = '肺腺癌IV期，已行靶向治疗';
const DEBT_NOTE = '房贷月供压力很大';

interface CaseBody {
  id: string;
  caseNumber: string;
  status: string;
  version: number;
  consentWithdrawn: boolean;
  updateState: string | null;
  sensitiveVisible: boolean;
  basic: Record<string, unknown> & { maintainer: { id: string } | null; nextUpdateDue: string; corrections?: unknown };
  condition?: { category: string; description: string } | null;
  finances?: Record<string, unknown> | null;
  consent: {
    sharingPartners: string[];
    records: { id: string; kind: string; partnerId: string | null; status: string; scope?: string | null; source: string }[];
  };
  history: { version: number; action: string; fields: string[]; changes?: { field: string; old: unknown; new: unknown }[] | null }[];
  purge: { purgedAt: string; counts: Record<string, number> } | null;
}

describeEachDialect('cases API', (dialect) => {
  let h: Harness;
  let supEast: Session;
  let supWest: Session;
  let cmEast: Session;
  let maintainer: { id: string; session: Session };
  let people: Record<'supEast' | 'supWest' | 'cmEast' | 'maintainer' | 'insp' | 'teller' | 'admin', Awaited<ReturnType<typeof makeStaff>>>;

  /** Signs everyone in again: moving the clock by days ends every session. */
  async function signAllIn(): Promise<void> {
    supEast = await signIn(h, people.supEast);
    supWest = await signIn(h, people.supWest);
    cmEast = await signIn(h, people.cmEast);
    maintainer = { id: people.maintainer.id, session: await signIn(h, people.maintainer) };
    insp = await signIn(h, people.insp);
    teller = await signIn(h, people.teller);
    admin = await signIn(h, people.admin);
  }
  let insp: Session;
  let teller: Session;
  let admin: Session;
  let cmWestId: string;
  let partnerId: string;
  let customerSeq = 0;

  /** A new EAST customer, so each test registers its own case. */
  async function newCustomer(): Promise<string> {
    customerSeq += 1;
    const number = `C${String(customerSeq).padStart(7, '0')}`;
    await loadCustomers(h.ctx, h.db, [
      {
        customerNumber: number,
        name: `测试客户${customerSeq}`,
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
    return number;
  }

  /** A lead of a new EAST customer, confirmed by sup.east unless told otherwise. */
  async function lead(confirm = true): Promise<string> {
    const customerNumber = await newCustomer();
    const res = await teller.request({
      method: 'POST',
      url: '/api/v1/leads',
      payload: { channel: 'self_report', customerNumber, summary: '客户自述确诊重疾' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<{ id: string }>().id;
    if (confirm) {
      const d = await supEast.request({
        method: 'POST',
        url: `/api/v1/leads/${id}/decision`,
        payload: {
          decision: 'confirm',
          reason: '核实属实',
          definition: {
            conditionCategory: 'severe_malignant_tumour',
            lifeAffected: true,
            lifeEffect: '确诊后无法工作',
            financesAffected: false,
          },
        },
      });
      expect(d.statusCode, d.body).toBe(200);
    }
    return id;
  }

  const consent = () => ({
    healthProcessing: { givenAt: '2026-11-27T08:00:00Z', channel: 'paper', evidenceRef: 'DOC-1', scope: '健康信息处理' },
  });
  const form = (leadId: string, over: Record<string, unknown> = {}) => ({
    leadId,
    basic: { corrections: { phone: '13900000000' } },
    condition: { category: 'severe_malignant_tumour', description: ILLNESS, diagnosedOn: '2026-10-01', hospital: '浙江省肿瘤医院' },
    mobilityImpaired: true,
    financialImpact: {
      lostIncome: { amountMinor: 1_200_000, currency: 'CNY' },
      debts: { amountMinor: 80_000_000, currency: 'CNY' },
      notes: DEBT_NOTE,
    },
    severity: 'high',
    reviewOn: '2027-02-01',
    consent: consent(),
    ...over,
  });
  const register = (s: Session, body: unknown, headers: Record<string, string> = {}) =>
    s.request({ method: 'POST', url: '/api/v1/cases', payload: body as Record<string, unknown>, headers });
  const view = (s: Session, id: string, query = '') => s.request({ method: 'GET', url: `/api/v1/cases/${id}${query}` });
  async function registered(over: Record<string, unknown> = {}): Promise<CaseBody> {
    const res = await register(supEast, form(await lead(), over));
    expect(res.statusCode, res.body).toBe(201);
    return res.json<CaseBody>();
  }
  const count = async (table: 'cases' | 'case_versions' | 'case_consents') =>
    Number(
      (
        await h.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off' });
    await makeBranches(h);
    people = {
      supEast: await makeStaff(h, { roles: ['supervisor'], branch: 'EAST', username: 'sup.east' }),
      supWest: await makeStaff(h, { roles: ['supervisor'], branch: 'WEST', username: 'sup.west' }),
      cmEast: await makeStaff(h, { roles: ['customer_manager'], branch: 'EAST', username: 'cm.east' }),
      maintainer: await makeStaff(h, { roles: ['customer_manager'], branch: 'EAST', username: 'cm2.east' }),
      insp: await makeStaff(h, { roles: ['inspector'], branch: 'HQ', username: 'insp' }),
      teller: await makeStaff(h, { roles: ['staff'], branch: 'EAST', username: 'teller.east' }),
      admin: await makeStaff(h, { roles: ['admin'], branch: 'HQ', username: 'admin' }),
    };
    cmWestId = (await makeStaff(h, { roles: ['customer_manager'], branch: 'WEST', username: 'cm.west' })).id;
    await signAllIn();
    const branches = await makeBranches(h);
    const p = await admin.request({
      method: 'POST',
      url: '/api/v1/admin/partners',
      payload: { code: 'ZJCH', name: '浙江省肿瘤医院', defaultBranchId: branches.EAST },
    });
    expect(p.statusCode, p.body).toBe(201);
    partnerId = p.json<{ id: string }>().id;
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('conditions', () => {
    it('should list the 28 severe, 3 mild and 2 other categories to any signed-in user', async () => {
      const res = await teller.request({ method: 'GET', url: '/api/v1/conditions' });
      expect(res.statusCode).toBe(200);
      const items = res.json<{ items: { code: string; group: string }[] }>().items;
      expect(items.filter((i) => i.group === 'severe')).toHaveLength(28);
      expect(items.filter((i) => i.group === 'mild')).toHaveLength(3);
      expect(items.map((i) => i.code)).toContain('serious_accidental_injury');
    });
  });

  describe('registration', () => {
    it('P2.3.3 P5.1.1 P5.2.1 should register a confirmed lead with consent, mark the lead registered and audit it', async () => {
      const leadId = await lead();
      const res = await register(supEast, form(leadId));
      expect(res.statusCode, res.body).toBe(201);
      const c = res.json<CaseBody>();
      expect(c.status).toBe('active');
      expect(c.caseNumber).toMatch(/^CI-2026-\d{6}$/);
      expect(c.basic.channel).toBe('self_report');
      expect(c.condition?.description).toBe(ILLNESS);
      expect(c.finances?.debts).toEqual({ amountMinor: 80_000_000, currency: 'CNY' });
      expect(c.basic.corrections).toEqual({ phone: '13900000000' });
      expect(c.consent.records.map((r) => r.kind)).toEqual(['health_processing']);
      expect(c.history[0]?.action).toBe('registered');
      const l = await supEast.request({ method: 'GET', url: `/api/v1/leads/${leadId}` });
      expect(l.json<{ status: string }>().status).toBe('registered');
      const audit = await h.db
        .selectFrom('audit_events')
        .select('detail')
        .where('action', '=', 'case.registered')
        .where('target_id', '=', c.id)
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]?.detail).not.toContain(ILLNESS);
    });

    it('should register with a recorded legal basis instead of consent', async () => {
      const c = await registered({
        consent: { legalBasis: { basis: 'protect_life_health_emergency', note: '客户昏迷，紧急救治期间' } },
      });
      expect(c.consent.records).toMatchObject([{ kind: 'legal_basis', status: 'active' }]);
    });

    it('should refuse a registration without consent or legal basis (422) and write nothing', async () => {
      const leadId = await lead();
      const before = await count('cases');
      expectProblem(await register(supEast, form(leadId, { consent: {} })), 'CONSENT_REQUIRED');
      expect(await count('cases')).toBe(before);
      const l = await supEast.request({ method: 'GET', url: `/api/v1/leads/${leadId}` });
      expect(l.json<{ status: string }>().status).toBe('confirmed');
    });

    it('should refuse a lead that is not confirmed (409)', async () => {
      expectProblem(await register(supEast, form(await lead(false))), 'CONFLICT');
    });

    it('should answer 404 to another branch’s supervisor and 403 to a customer manager', async () => {
      const leadId = await lead();
      expectProblem(await register(supWest, form(leadId)), 'NOT_FOUND');
      expectProblem(await register(cmEast, form(leadId)), 'FORBIDDEN');
    });

    it('should refuse a second registration of the same lead, and replay an idempotent one', async () => {
      const leadId = await lead();
      const first = await register(supEast, form(leadId), { 'idempotency-key': `reg-${leadId}` });
      expect(first.statusCode).toBe(201);
      const replay = await register(supEast, form(leadId), { 'idempotency-key': `reg-${leadId}` });
      expect(replay.statusCode).toBe(201);
      expect(replay.json<CaseBody>().id).toBe(first.json<CaseBody>().id);
      expect((await register(supEast, form(leadId))).statusCode).toBe(409);
    });

    it('should refuse an unknown partner, a maintainer of another branch, a past review date (400)', async () => {
      const leadId = await lead();
      const sharing = [{ partnerId: 'nope', givenAt: '2026-11-27T08:00:00Z', channel: 'paper', evidenceRef: 'X', scope: '转介' }];
      expectProblem(await register(supEast, form(leadId, { consent: { ...consent(), partnerSharing: sharing } })), 'VALIDATION_FAILED');
      expectProblem(await register(supEast, form(leadId, { maintainerId: cmWestId })), 'VALIDATION_FAILED');
      expectProblem(await register(supEast, form(leadId, { reviewOn: '2026-01-01' })), 'VALIDATION_FAILED');
      expectProblem(await register(supEast, form(leadId, { condition: { category: 'flu', description: 'x' } })), 'VALIDATION_FAILED');
      expect((await register(supEast, form(leadId))).statusCode).toBe(201);
    });

    it('should store illness and finances only encrypted', async () => {
      const c = await registered({
        consent: {
          ...consent(),
          partnerSharing: [{ partnerId, givenAt: '2026-11-27T08:00:00Z', channel: 'paper', evidenceRef: 'S-1', scope: '共享癌症诊断' }],
        },
      });
      const row = await h.db.selectFrom('cases').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
      expect(row.condition_enc).toMatch(/^enc:v\d+:/);
      expect(row.finances_enc).toMatch(/^enc:v\d+:/);
      const raw = JSON.stringify([
        row,
        await h.db.selectFrom('case_versions').selectAll().where('case_id', '=', c.id).execute(),
        await h.db.selectFrom('case_consents').selectAll().where('case_id', '=', c.id).execute(),
      ]);
      for (const secret of [ILLNESS, DEBT_NOTE, 'severe_malignant_tumour', '80000000', '13900000000', '共享癌症诊断']) {
        expect(raw).not.toContain(secret);
      }
    });
  });

  describe('the case file', () => {
    it('should leave out the sensitive sections for a customer manager who is not the maintainer', async () => {
      const c = await registered();
      const res = await view(cmEast, c.id);
      expect(res.statusCode).toBe(200);
      const body = res.json<CaseBody>();
      expect(body.sensitiveVisible).toBe(false);
      expect('condition' in body).toBe(false);
      expect('finances' in body).toBe(false);
      expect('corrections' in body.basic).toBe(false);
      expect(res.body).not.toContain(ILLNESS);
      expect(body.history[0]?.fields).toContain('condition');
      expect('changes' in (body.history[0] ?? {})).toBe(false);
      expect('scope' in (body.consent.records[0] ?? {})).toBe(false);
    });

    it('P5.3.2 should show them to the maintainer once designated', async () => {
      const c = await registered();
      const put = await supEast.request({ method: 'PUT', url: `/api/v1/cases/${c.id}/maintainer`, payload: { staffId: maintainer.id } });
      expect(put.statusCode, put.body).toBe(200);
      const body = (await view(maintainer.session, c.id)).json<CaseBody>();
      expect(body.condition?.description).toBe(ILLNESS);
      expect(body.basic.maintainer?.id).toBe(maintainer.id);
      expectProblem(
        await supEast.request({ method: 'PUT', url: `/api/v1/cases/${c.id}/maintainer`, payload: { staffId: cmWestId } }),
        'VALIDATION_FAILED',
      );
    });

    it('should show them to an inspector only with a reason, and audit the reason', async () => {
      const c = await registered();
      const without = (await view(insp, c.id)).json<CaseBody>();
      expect('condition' in without).toBe(false);
      expectProblem(await view(insp, c.id, '?reason=abc'), 'VALIDATION_FAILED');
      const withReason = (await view(insp, c.id, `?reason=${encodeURIComponent('季度质检抽查')}`)).json<CaseBody>();
      expect(withReason.condition?.description).toBe(ILLNESS);
      const reads = await h.db
        .selectFrom('audit_events')
        .select('detail')
        .where('action', '=', 'sensitive.read')
        .where('target_id', '=', c.id)
        .where('actor_username', '=', 'insp')
        .execute();
      expect(reads.length).toBeGreaterThan(0);
      expect(reads[0]?.detail).toContain('季度质检抽查');
    });

    it('should answer 404 to another branch and list only the reader’s branch', async () => {
      const c = await registered();
      expectProblem(await view(supWest, c.id), 'NOT_FOUND');
      const west = (await supWest.request({ method: 'GET', url: '/api/v1/cases' })).json<{ items: unknown[] }>();
      expect(west.items).toHaveLength(0);
      const east = await cmEast.request({ method: 'GET', url: `/api/v1/cases?q=${encodeURIComponent(c.caseNumber)}` });
      expect(east.statusCode).toBe(200);
      expect(east.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([c.id]);
      expect(east.body).not.toContain(ILLNESS);
      expectProblem(await teller.request({ method: 'GET', url: '/api/v1/cases' }), 'FORBIDDEN');
    });

    it('should page the list with a cursor', async () => {
      await registered();
      await registered();
      const first = (await supEast.request({ method: 'GET', url: '/api/v1/cases?limit=1' })).json<{
        items: { id: string }[];
        nextCursor: string;
      }>();
      expect(first.items).toHaveLength(1);
      const second = (await supEast.request({ method: 'GET', url: `/api/v1/cases?limit=1&cursor=${first.nextCursor}` })).json<{
        items: { id: string }[];
      }>();
      expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
      expectProblem(await supEast.request({ method: 'GET', url: '/api/v1/cases?cursor=forged' }), 'VALIDATION_FAILED');
    });
  });

  describe('versioning', () => {
    it('should need If-Match, refuse a stale one and record who, when and which fields', async () => {
      const c = await registered();
      const patch = (s: Session, body: Record<string, unknown>, etag?: string) =>
        s.request({ method: 'PATCH', url: `/api/v1/cases/${c.id}`, payload: body, headers: etag ? { 'if-match': etag } : {} });
      const change = { severity: 'medium', financialImpact: { debts: { amountMinor: 1, currency: 'CNY' } } };
      expectProblem(await patch(supEast, change), 'PRECONDITION_REQUIRED');
      expectProblem(await patch(supEast, change, '"99"'), 'PRECONDITION_FAILED');
      const ok = await patch(supEast, change, `"${c.version}"`);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.headers.etag).toBe(`"${c.version + 1}"`);
      const after = ok.json<CaseBody>();
      const entry = after.history.at(-1);
      expect(entry?.action).toBe('updated');
      expect(entry?.fields).toEqual(
        expect.arrayContaining(['severity', 'financialImpact.debts', 'financialImpact.lostIncome', 'financialImpact.notes']),
      );
      expect(entry?.changes).toContainEqual({ field: 'severity', old: 'high', new: 'medium' });
      expectProblem(await patch(supEast, { severity: 'low' }, `"${c.version}"`), 'PRECONDITION_FAILED');
      expectProblem(await patch(cmEast, { severity: 'low' }, `"${after.version}"`), 'FORBIDDEN');
      // Non-entitled readers see who, when and which fields; never the values.
      const other = (await view(cmEast, c.id)).json<CaseBody>();
      expect(other.history.at(-1)?.fields).toContain('severity');
      expect('changes' in (other.history.at(-1) ?? {})).toBe(false);
      const raw = await h.db.selectFrom('case_versions').selectAll().where('case_id', '=', c.id).execute();
      expect(JSON.stringify(raw)).not.toContain(DEBT_NOTE);
    });
  });

  describe('consent', () => {
    it('should flag the case at once when a sharing consent is withdrawn and stop sharing', async () => {
      const c = await registered();
      const add = await supEast.request({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/consents`,
        payload: {
          kind: 'partner_sharing',
          partnerId,
          givenAt: '2026-11-28T08:00:00Z',
          channel: 'electronic',
          evidenceRef: 'E-9',
          scope: '诊疗信息',
        },
      });
      expect(add.statusCode, add.body).toBe(201);
      const customerId = String((add.json<CaseBody>().basic.customer as { id: string }).id);
      expect(await sharingAllowed(h.db, customerId, partnerId)).toBe(true);
      const record = add.json<CaseBody>().consent.records.find((r) => r.kind === 'partner_sharing');
      const w = await supEast.request({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/consents/${record?.id}/withdraw`,
        payload: { channel: 'recorded_call', note: '客户来电撤回' },
      });
      expect(w.statusCode, w.body).toBe(200);
      const after = w.json<CaseBody>();
      expect(after.status).toBe('active');
      expect(after.consentWithdrawn).toBe(true);
      expect(after.consent.sharingPartners).toEqual([]);
      expect(await sharingAllowed(h.db, customerId, partnerId)).toBe(false);
      const list = (await supEast.request({ method: 'GET', url: `/api/v1/cases?q=${c.caseNumber}` })).json<{
        items: { consentWithdrawn: boolean }[];
      }>();
      expect(list.items[0]?.consentWithdrawn).toBe(true);
      expect(
        await h.db
          .selectFrom('audit_events')
          .select('id')
          .where('action', '=', 'case.consent_withdrawn')
          .where('target_id', '=', c.id)
          .execute(),
      ).toHaveLength(1);
      expectProblem(
        await supEast.request({
          method: 'POST',
          url: `/api/v1/cases/${c.id}/consents/${record?.id}/withdraw`,
          payload: { channel: 'paper' },
        }),
        'CONFLICT',
      );
    });

    it('should count a hospital referral’s consent as the sharing consent for that hospital', async () => {
      const customerNumber = await newCustomer();
      const branches = await makeBranches(h);
      const referred = await h.db.transaction().execute((trx) =>
        createLead(
          h.ctx,
          trx,
          {
            channel: 'hospital',
            customerNumber,
            summary: '医院转介',
            referral: {
              partnerId,
              referralId: `R-${customerNumber}`,
              condition: { category: 'severe_malignant_tumour', summary: '确诊' },
              consent: { obtainedAt: '2026-11-20T02:00:00.000Z', scope: ['share_with_bank'], evidenceRef: 'HOSP-77' },
            },
          },
          { partner: { id: partnerId, code: 'ZJCH', name: '浙江省肿瘤医院', defaultBranchId: branches.EAST } },
        ),
      );
      const d = await supEast.request({
        method: 'POST',
        url: `/api/v1/leads/${referred.id}/decision`,
        payload: {
          decision: 'confirm',
          reason: '核实属实',
          definition: {
            conditionCategory: 'severe_malignant_tumour',
            lifeAffected: true,
            lifeEffect: '确诊后无法工作',
            financesAffected: false,
          },
        },
      });
      expect(d.statusCode, d.body).toBe(200);
      const res = await register(supEast, form(referred.id));
      expect(res.statusCode, res.body).toBe(201);
      const c = res.json<CaseBody>();
      expect(c.basic.channel).toBe('hospital');
      expect(c.consent.records.find((r) => r.kind === 'partner_sharing')).toMatchObject({
        partnerId,
        source: 'referral',
        status: 'active',
      });
      expect(c.consent.sharingPartners).toEqual([partnerId]);
      expect(await sharingAllowed(h.db, String((c.basic.customer as { id: string }).id), partnerId)).toBe(true);
    });

    it('should stop sharing when the consent to process health information is withdrawn', async () => {
      const c = await registered({
        consent: {
          ...consent(),
          partnerSharing: [{ partnerId, givenAt: '2026-11-27T08:00:00Z', channel: 'paper', evidenceRef: 'S-2', scope: '转介' }],
        },
      });
      const customerId = String((c.basic.customer as { id: string }).id);
      expect(await sharingAllowed(h.db, customerId, partnerId)).toBe(true);
      const health = c.consent.records.find((r) => r.kind === 'health_processing');
      const w = await supEast.request({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/consents/${health?.id}/withdraw`,
        payload: { channel: 'paper' },
      });
      expect(w.statusCode, w.body).toBe(200);
      expect(await sharingAllowed(h.db, customerId, partnerId)).toBe(false);
    });
  });

  describe('reminders', () => {
    it('P5.3.1 should turn due and then overdue with the clock, and ok again after a review', async () => {
      const c = await registered({ reviewOn: '2027-06-01' });
      expect(c.basic.nextUpdateDue).toBe('2026-12-28');
      expect(c.updateState).toBe('ok');
      h.clock.advance(27 * DAY);
      try {
        await signAllIn();
        expect((await view(supEast, c.id)).json<CaseBody>().updateState).toBe('due');
        h.clock.advance(4 * DAY);
        await signAllIn();
        expect((await view(supEast, c.id)).json<CaseBody>().updateState).toBe('overdue');
        const overdue = (await supEast.request({ method: 'GET', url: '/api/v1/cases?due=overdue' })).json<{ items: { id: string }[] }>();
        expect(overdue.items.map((i) => i.id)).toContain(c.id);
        const r = await supEast.request({ method: 'POST', url: `/api/v1/cases/${c.id}/review`, payload: { note: '电话回访' } });
        expect(r.statusCode, r.body).toBe(200);
        expect(r.json<CaseBody>().updateState).toBe('ok');
        expect(r.json<CaseBody>().history.at(-1)?.action).toBe('reviewed');
      } finally {
        h.clock.advance(-31 * DAY);
        await signAllIn();
      }
    });
  });

  describe('closing and retention', () => {
    it('should need a closing reason from the branch’s supervisor', async () => {
      const c = await registered();
      const close = (s: Session, payload: Record<string, unknown>) =>
        s.request({ method: 'POST', url: `/api/v1/cases/${c.id}/close`, payload });
      expectProblem(await close(supEast, {}), 'VALIDATION_FAILED');
      expectProblem(await close(supEast, { reason: 'bored' }), 'VALIDATION_FAILED');
      expectProblem(await close(cmEast, { reason: 'recovered' }), 'FORBIDDEN');
      const res = await close(supEast, { reason: 'recovered', note: '已康复返岗' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<CaseBody>()).toMatchObject({ status: 'closed', updateState: null, basic: { closeReason: 'recovered' } });
      expectProblem(await close(supEast, { reason: 'recovered' }), 'CONFLICT');
      expectProblem(
        await supEast.request({
          method: 'PATCH',
          url: `/api/v1/cases/${c.id}`,
          payload: { severity: 'low' },
          headers: { 'if-match': `"${c.version + 1}"` },
        }),
        'CONFLICT',
      );
    });

    it('P1.3.4 should purge the sensitive fields 5 years after closing and leave an audited tombstone', async () => {
      const c = await registered();
      // Texts other features keep about the case go with it (retention.repository.ts).
      const message = await supEast.request({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/messages`,
        payload: { body: '化疗第二周期已完成' },
      });
      expect(message.statusCode, message.body).toBe(201);
      const interaction = await supEast.request({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/interactions`,
        payload: { kind: 'call', occurredAt: h.clock.now().toISOString(), outcome: 'reached', notes: '客户说明了治疗进展' },
      });
      expect(interaction.statusCode, interaction.body).toBe(201);
      const close = await supEast.request({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/close`,
        payload: { reason: 'deceased', note: '家属告知' },
      });
      expect(close.statusCode).toBe(200);
      const start = h.clock.now().getTime();
      try {
        h.clock.set(new Date(start + 5 * 365 * DAY).toISOString()); // a day short of 5 calendar years (one leap day in between)
        expect((await runRetention(h.ctx)).purged).toBe(0);
        h.clock.set(new Date(start + 5 * 365 * DAY + 2 * DAY).toISOString());
        await signAllIn();
        const result = await runRetention(h.ctx);
        expect(result.purged).toBeGreaterThanOrEqual(1);
        const row = await h.db.selectFrom('cases').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
        expect(row).toMatchObject({
          status: 'purged',
          condition_enc: null,
          finances_enc: null,
          corrections_enc: null,
          close_note_enc: null,
        });
        expect(row.purged_at).not.toBeNull();
        const versions = await h.db.selectFrom('case_versions').selectAll().where('case_id', '=', c.id).execute();
        expect(versions.every((v) => v.old_values_enc === null && v.new_values_enc === null)).toBe(true);
        const consents = await h.db.selectFrom('case_consents').selectAll().where('case_id', '=', c.id).execute();
        expect(consents.every((r) => r.scope_enc === null && r.note_enc === null)).toBe(true);
        const messages = await h.db.selectFrom('case_messages').selectAll().where('case_id', '=', c.id).execute();
        expect(messages.map((m) => h.ctx.cipher.decrypt(m.body_enc, { table: 'case_messages', column: 'body_enc', rowId: m.id }))).toEqual([
          '',
        ]);
        const interactions = await h.db.selectFrom('work_interactions').selectAll().where('case_id', '=', c.id).execute();
        expect(interactions.map((i) => i.notes_enc)).toEqual([null]);
        const leads = await h.db.selectFrom('leads').selectAll().where('case_id', '=', c.id).execute();
        expect(leads.map((l) => h.ctx.cipher.decrypt(l.summary_enc, { table: 'leads', column: 'summary_enc', rowId: l.id }))).toEqual(['']);
        const audit = await h.db
          .selectFrom('audit_events')
          .select('detail')
          .where('action', '=', 'case.purged')
          .where('target_id', '=', c.id)
          .execute();
        expect(audit).toHaveLength(1);
        const tomb = (await view(supEast, c.id)).json<CaseBody>();
        expect(tomb.status).toBe('purged');
        expect(tomb.condition).toBeNull();
        expect(tomb.purge?.counts.caseFields).toBe(4);
        expect(tomb.purge?.counts.linkedTexts).toBeGreaterThanOrEqual(3);
        expect(tomb.basic.closeReason).toBe('deceased');
        expect((await runRetention(h.ctx)).purged).toBe(0);
      } finally {
        h.clock.set(new Date(start).toISOString());
        await signAllIn();
      }
    });
  });

  describe('bad input', () => {
    it('should answer arbitrary registration bodies with 4xx and write nothing', async () => {
      const leadId = await lead();
      const before = await Promise.all([count('cases'), count('case_versions'), count('case_consents')]);
      const valid = form(leadId, { consent: {} });
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.anything(),
            fc.record({ leadId: fc.oneof(fc.string(), fc.constant(leadId)), condition: fc.anything(), consent: fc.anything() }),
            fc.dictionary(fc.constantFrom(...Object.keys(valid)), fc.anything()).map((d) => ({ ...valid, ...d })),
          ),
          async (body) => {
            const res = await supEast.request({
              method: 'POST',
              url: '/api/v1/cases',
              payload: JSON.stringify(body) ?? 'null',
              headers: { 'content-type': 'application/json' },
            });
            expectNoServerError(res, 'POST /api/v1/cases');
            expect(res.statusCode).toBeGreaterThanOrEqual(400);
          },
        ),
        { numRuns: 60 },
      );
      expect(await Promise.all([count('cases'), count('case_versions'), count('case_consents')])).toEqual(before);
    });

    it('should answer arbitrary changes, consents and closings with 4xx or a success, never 5xx', async () => {
      const c = await registered();
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('PATCH', 'consents', 'close', 'review', 'maintainer'), fc.anything(), async (what, body) => {
          const payload = JSON.stringify(body) ?? 'null';
          const headers = { 'content-type': 'application/json', 'if-match': '"1"' };
          const res =
            what === 'PATCH'
              ? await supEast.request({ method: 'PATCH', url: `/api/v1/cases/${c.id}`, payload, headers })
              : what === 'maintainer'
                ? await supEast.request({ method: 'PUT', url: `/api/v1/cases/${c.id}/maintainer`, payload, headers })
                : await supEast.request({ method: 'POST', url: `/api/v1/cases/${c.id}/${what}`, payload, headers });
          expectNoServerError(res, what);
        }),
        { numRuns: 60 },
      );
    });
  });
});
