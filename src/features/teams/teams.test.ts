import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../../test/api/expect-problem.js';
import { type Session, makeCustomer, makeStaff, signIn } from '../../../test/helpers/factories.js';
import { registerCaseViaApi } from '../../../test/helpers/cases.js';
import { type Harness, createHarness, describeEachDialect } from '../../../test/helpers/harness.js';

const ILLNESS = '胰腺癌晚期，正在化疗';
const REASON = '客户来电紧急求助，团队成员均不在岗，需要立即查看病情';

type Who = 'supEast' | 'supWest' | 'cmEast' | 'cmEast2' | 'wmEast' | 'cmWest' | 'insp' | 'teller' | 'admin' | 'cmNoAgreement';

interface TeamBody {
  caseId: string;
  members: { staffId: string; role: string; primary: boolean; displayName: string | null }[];
}

describeEachDialect('teams, need-to-know and agreements', (dialect) => {
  let h: Harness;
  const people = {} as Record<Who, Awaited<ReturnType<typeof makeStaff>>>;
  const s = {} as Record<Who, Session>;
  let seq = 0;

  /** Registers a case of a new EAST customer through the API, as sup.east. */
  async function newCase(): Promise<string> {
    seq += 1;
    const customer = await makeCustomer(h, { name: `团队客户${seq}`, branch: 'EAST' });
    const registered = await registerCaseViaApi({ teller: s.teller, supervisor: s.supEast }, customer.customerNumber, h.clock.now(), {
      illness: ILLNESS,
      finances: '医疗费用压力大',
    });
    return registered.id;
  }

  const putTeam = (who: Session, caseId: string, members: unknown[]) =>
    who.request({ method: 'PUT', url: `/api/v1/cases/${caseId}/team`, payload: { members } });
  const view = (who: Session, caseId: string, query = '') => who.request({ method: 'GET', url: `/api/v1/cases/${caseId}${query}` });

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off' });
    const make = (roles: Parameters<typeof makeStaff>[1]['roles'], branch: 'HQ' | 'EAST' | 'WEST', username: string, agreement = true) =>
      makeStaff(h, { roles, branch, username, agreement });
    people.supEast = await make(['supervisor'], 'EAST', 'sup.east');
    people.supWest = await make(['supervisor'], 'WEST', 'sup.west');
    people.cmEast = await make(['customer_manager'], 'EAST', 'cm.east');
    people.cmEast2 = await make(['customer_manager'], 'EAST', 'cm2.east');
    people.wmEast = await make(['wealth_manager'], 'EAST', 'wm.east');
    people.cmWest = await make(['customer_manager'], 'WEST', 'cm.west');
    people.insp = await make(['inspector'], 'HQ', 'insp');
    people.teller = await make(['staff'], 'EAST', 'teller.east');
    people.admin = await make(['admin'], 'HQ', 'admin');
    people.cmNoAgreement = await make(['customer_manager'], 'EAST', 'cm3.east', false);
    for (const who of Object.keys(people) as Who[]) s[who] = await signIn(h, people[who]);
  });
  afterAll(async () => h.close());

  describe('team assignment (P3.1)', () => {
    it('P1.3.1 should let the branch’s supervisor set a team, answer it and audit each change', async () => {
      const caseId = await newCase();
      const res = await putTeam(s.supEast, caseId, [
        { staffId: people.cmEast.id, role: 'customer_manager', primary: true },
        { staffId: people.wmEast.id, role: 'wealth_manager' },
      ]);
      expect(res.statusCode, res.body).toBe(200);
      const team = res.json<TeamBody>();
      expect(team.members.map((m) => [m.role, m.primary])).toEqual([
        ['customer_manager', true],
        ['wealth_manager', false],
      ]);
      const got = await s.cmEast.request({ method: 'GET', url: `/api/v1/cases/${caseId}/team` });
      expect(got.json<TeamBody>().members).toHaveLength(2);

      const changed = await putTeam(s.supEast, caseId, [{ staffId: people.cmEast2.id, role: 'customer_manager', primary: true }]);
      expect(changed.json<TeamBody>().members.map((m) => m.staffId)).toEqual([people.cmEast2.id]);
      const kept = await h.db.selectFrom('case_team_members').select(['staff_id', 'removed_at']).where('case_id', '=', caseId).execute();
      expect(kept).toHaveLength(3);
      expect(kept.filter((k) => k.removed_at !== null)).toHaveLength(2);
      const audit = await h.db
        .selectFrom('audit_events')
        .select(['action', 'detail'])
        .where('target_id', '=', caseId)
        .where('action', 'in', ['team.assigned', 'team.removed'])
        .execute();
      expect(audit.filter((a) => a.action === 'team.assigned')).toHaveLength(3);
      expect(audit.filter((a) => a.action === 'team.removed')).toHaveLength(2);
    });

    it('should refuse members of another branch, without the role, and anything but one primary customer manager', async () => {
      const caseId = await newCase();
      expectProblem(
        await putTeam(s.supEast, caseId, [{ staffId: people.cmWest.id, role: 'customer_manager', primary: true }]),
        'VALIDATION_FAILED',
      );
      expectProblem(
        await putTeam(s.supEast, caseId, [{ staffId: people.wmEast.id, role: 'customer_manager', primary: true }]),
        'VALIDATION_FAILED',
      );
      expectProblem(await putTeam(s.supEast, caseId, [{ staffId: people.cmEast.id, role: 'customer_manager' }]), 'VALIDATION_FAILED');
      expectProblem(
        await putTeam(s.supEast, caseId, [
          { staffId: people.cmEast.id, role: 'customer_manager', primary: true },
          { staffId: people.cmEast2.id, role: 'customer_manager', primary: true },
        ]),
        'VALIDATION_FAILED',
      );
      expectProblem(
        await putTeam(s.supEast, caseId, [{ staffId: people.cmEast.id, role: 'supervisor', primary: true }]),
        'VALIDATION_FAILED',
      );
      expectProblem(
        await putTeam(s.supWest, caseId, [{ staffId: people.cmEast.id, role: 'customer_manager', primary: true }]),
        'NOT_FOUND',
      );
      expectProblem(await putTeam(s.cmEast, caseId, [{ staffId: people.cmEast.id, role: 'customer_manager', primary: true }]), 'FORBIDDEN');
    });

    it('should show each case worker’s open cases by role and overdue reviews', async () => {
      const caseId = await newCase();
      await putTeam(s.supEast, caseId, [{ staffId: people.cmEast.id, role: 'customer_manager', primary: true }]);
      const res = await s.supEast.request({ method: 'GET', url: '/api/v1/teams/workload' });
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json<{
        items: { staffId: string; openCases: number; openCasesByRole: Record<string, number>; overdueReviews: number }[];
      }>().items;
      const cm = items.find((i) => i.staffId === people.cmEast.id);
      expect(cm?.openCases).toBeGreaterThanOrEqual(1);
      expect(cm?.openCasesByRole.customer_manager).toBe(cm?.openCases);
      expect(items.some((i) => i.staffId === people.cmWest.id)).toBe(false);
      expectProblem(await s.cmEast.request({ method: 'GET', url: '/api/v1/teams/workload' }), 'FORBIDDEN');
    });
  });

  describe('need-to-know (P1.3.2, P5.4.1)', () => {
    it('should show the sensitive sections to the team only, and stop at once on removal', async () => {
      const caseId = await newCase();
      const before = (await view(s.cmEast, caseId)).json<{ sensitiveVisible: boolean; restricted?: string; condition?: unknown }>();
      expect(before.sensitiveVisible).toBe(false);
      expect(before.restricted).toBe('not_entitled');
      expect('condition' in before).toBe(false);
      await putTeam(s.supEast, caseId, [{ staffId: people.cmEast.id, role: 'customer_manager', primary: true }]);
      const on = (await view(s.cmEast, caseId)).json<{ condition?: { description: string } }>();
      expect(on.condition?.description).toBe(ILLNESS);
      await putTeam(s.supEast, caseId, [{ staffId: people.cmEast2.id, role: 'customer_manager', primary: true }]);
      const off = (await view(s.cmEast, caseId)).json<{ sensitiveVisible: boolean }>();
      expect(off.sensitiveVisible).toBe(false);
      expectProblem(await view(s.cmWest, caseId), 'NOT_FOUND');
      expectProblem(await s.cmWest.request({ method: 'GET', url: `/api/v1/cases/${caseId}/team` }), 'NOT_FOUND');
    });

    it('should grant break glass for the configured hours, list it for review and let it be reviewed once', async () => {
      const caseId = await newCase();
      const short = await s.wmEast.request({ method: 'POST', url: `/api/v1/cases/${caseId}/break-glass`, payload: { reason: '太短' } });
      expectProblem(short, 'VALIDATION_FAILED');
      expectProblem(
        await s.cmWest.request({ method: 'POST', url: `/api/v1/cases/${caseId}/break-glass`, payload: { reason: REASON } }),
        'NOT_FOUND',
      );
      expectProblem(
        await s.supEast.request({ method: 'POST', url: `/api/v1/cases/${caseId}/break-glass`, payload: { reason: REASON } }),
        'CONFLICT',
      );
      const res = await s.wmEast.request({ method: 'POST', url: `/api/v1/cases/${caseId}/break-glass`, payload: { reason: REASON } });
      expect(res.statusCode, res.body).toBe(201);
      const grant = res.json<{ id: string; expiresAt: string; grantedAt: string }>();
      expect(Date.parse(grant.expiresAt) - Date.parse(grant.grantedAt)).toBe(4 * 3_600_000);
      const read = (await view(s.wmEast, caseId)).json<{ condition?: { description: string } }>();
      expect(read.condition?.description).toBe(ILLNESS);
      const audit = await h.db
        .selectFrom('audit_events')
        .select(['detail'])
        .where('target_id', '=', caseId)
        .where('action', '=', 'sensitive.read')
        .where('actor_id', '=', people.wmEast.id)
        .execute();
      expect(audit.some((a) => String(a.detail).includes('break_glass'))).toBe(true);

      for (const reviewer of [s.supEast, s.insp]) {
        const list = (await reviewer.request({ method: 'GET', url: '/api/v1/break-glass?status=open' })).json<{
          items: { id: string }[];
        }>();
        expect(list.items.some((g) => g.id === grant.id)).toBe(true);
      }
      const west = (await s.supWest.request({ method: 'GET', url: '/api/v1/break-glass?status=open' })).json<{ items: { id: string }[] }>();
      expect(west.items.some((g) => g.id === grant.id)).toBe(false);
      expectProblem(await s.wmEast.request({ method: 'GET', url: '/api/v1/break-glass' }), 'FORBIDDEN');
      const review = await s.supEast.request({
        method: 'POST',
        url: `/api/v1/break-glass/${grant.id}/review`,
        payload: { note: '已核实，合理' },
      });
      expect(review.statusCode, review.body).toBe(200);
      expectProblem(
        await s.supEast.request({ method: 'POST', url: `/api/v1/break-glass/${grant.id}/review`, payload: { note: '再次' } }),
        'CONFLICT',
      );
      const reviewed = (await s.supEast.request({ method: 'GET', url: '/api/v1/break-glass?status=reviewed' })).json<{
        items: { id: string }[];
      }>();
      expect(reviewed.items.some((g) => g.id === grant.id)).toBe(true);

      h.clock.advance(4 * 3_600_000 + 1000);
      const wm = await signIn(h, people.wmEast);
      const later = (await view(wm, caseId)).json<{ sensitiveVisible: boolean }>();
      expect(later.sensitiveVisible).toBe(false);
      for (const who of Object.keys(people) as Who[]) s[who] = await signIn(h, people[who]);
    });
  });

  describe('confidentiality agreements (P5.4.2)', () => {
    it('should withhold sensitive data from staff without an agreement and say why', async () => {
      const caseId = await newCase();
      await putTeam(s.supEast, caseId, [{ staffId: people.cmNoAgreement.id, role: 'customer_manager', primary: true }]);
      const body = (await view(s.cmNoAgreement, caseId)).json<{ sensitiveVisible: boolean; restricted?: string; condition?: unknown }>();
      expect(body.sensitiveVisible).toBe(false);
      expect(body.restricted).toBe('no_agreement');
      expect('condition' in body).toBe(false);
      const customer = await makeCustomer(h, { branch: 'EAST', nationalId: '110101199003074578', phone: '13800138000' });
      const page = (await s.cmNoAgreement.request({ method: 'GET', url: `/api/v1/customers/${customer.id}` })).json<{
        customer: { nationalIdMasked: string | null };
      }>();
      expect(page.customer.nationalIdMasked).toBeNull();
      expectProblem(
        await s.cmNoAgreement.request({
          method: 'POST',
          url: `/api/v1/customers/${customer.id}/reveal`,
          payload: { fields: ['nationalId'] },
        }),
        'AGREEMENT_REQUIRED',
      );
      expect((await s.cmNoAgreement.request({ method: 'GET', url: '/api/v1/agreements/mine' })).json()).toEqual({ valid: false });
    });

    it('should let admins see who lacks one and record one that counts on the next request', async () => {
      const missing = await s.admin.request({ method: 'GET', url: '/api/v1/admin/agreements/missing' });
      expect(missing.statusCode, missing.body).toBe(200);
      const ids = missing.json<{ items: { staffId: string }[] }>().items.map((i) => i.staffId);
      expect(ids).toContain(people.cmNoAgreement.id);
      expect(ids).not.toContain(people.cmEast.id);
      expectProblem(
        await s.admin.request({
          method: 'POST',
          url: `/api/v1/admin/staff/${people.cmNoAgreement.id}/agreements`,
          payload: { version: 'v2026', signedOn: '2026-11-01', expiresOn: '2026-10-01' },
        }),
        'VALIDATION_FAILED',
      );
      const rec = await s.admin.request({
        method: 'POST',
        url: `/api/v1/admin/staff/${people.cmNoAgreement.id}/agreements`,
        payload: { version: 'v2026', signedOn: '2026-11-01', expiresOn: '2028-10-31' },
      });
      expect(rec.statusCode, rec.body).toBe(201);
      expect(rec.json<{ valid: boolean }>().valid).toBe(true);
      expect((await s.cmNoAgreement.request({ method: 'GET', url: '/api/v1/agreements/mine' })).json()).toEqual({ valid: true });
      expectProblem(await s.supEast.request({ method: 'GET', url: '/api/v1/admin/agreements/missing' }), 'FORBIDDEN');
    });
  });
});
