import { newId } from '../../src/platform/crypto/ids.js';
import type { CaseTeamMemberTable } from '../../src/platform/db/tables/case-access.js';
import type { Session } from './factories.js';
import type { Harness } from './harness.js';

/** A case registered through the API. */
export interface RegisteredCase {
  id: string;
  caseNumber: string;
  leadId: string;
}

/**
 * Registers a case the way the branch does it, through the API: a teller records the customer's
 * own report, the supervisor confirms it and registers the case with consent to health processing.
 * Dates are relative to `now` (the test's clock).
 */
export async function registerCaseViaApi(
  who: { teller: Session; supervisor: Session },
  customerNumber: string,
  now: Date,
  opts: { illness?: string; finances?: string; evidenceRef?: string } = {},
): Promise<RegisteredCase> {
  const lead = await who.teller.request({
    method: 'POST',
    url: '/api/v1/leads',
    payload: { channel: 'self_report', customerNumber, summary: '客户自述确诊重大疾病。' },
  });
  if (lead.statusCode !== 201) throw new Error(`lead: ${lead.statusCode} ${lead.body}`);
  const leadId = lead.json<{ id: string }>().id;
  const decided = await who.supervisor.request({
    method: 'POST',
    url: `/api/v1/leads/${leadId}/decision`,
    payload: {
      decision: 'confirm',
      reason: '已电话核实',
      definition: {
        conditionCategory: 'severe_malignant_tumour',
        lifeAffected: true,
        lifeEffect: '确诊后无法工作',
        financesAffected: false,
      },
    },
  });
  if (decided.statusCode !== 200) throw new Error(`decision: ${decided.statusCode} ${decided.body}`);
  const registered = await who.supervisor.request({
    method: 'POST',
    url: '/api/v1/cases',
    payload: {
      leadId,
      condition: { category: 'severe_malignant_tumour', description: opts.illness ?? '肺癌' },
      mobilityImpaired: false,
      financialImpact: opts.finances ? { notes: opts.finances } : {},
      severity: 'high',
      reviewOn: new Date(now.getTime() + 60 * 86_400_000).toISOString().slice(0, 10),
      consent: {
        healthProcessing: {
          givenAt: `${new Date(now.getTime() - 3_600_000).toISOString().slice(0, 19)}Z`,
          channel: 'paper',
          evidenceRef: opts.evidenceRef ?? 'DOC-1',
          scope: '健康信息处理',
        },
      },
    },
  });
  if (registered.statusCode !== 201) throw new Error(`registration: ${registered.statusCode} ${registered.body}`);
  const c = registered.json<{ id: string; caseNumber: string }>();
  return { id: c.id, caseNumber: c.caseNumber, leadId };
}

/**
 * Puts staff on a case's team straight into the table, as a fixture (the teams feature's own tests
 * go through its API): the customer manager is the primary one.
 */
export async function addTeamMembers(
  h: Harness,
  caseId: string,
  members: readonly { staffId: string; role: CaseTeamMemberTable['role'] }[],
  assignedBy: string,
): Promise<void> {
  for (const m of members) {
    await h.db
      .insertInto('case_team_members')
      .values({
        id: newId(),
        case_id: caseId,
        staff_id: m.staffId,
        role: m.role,
        is_primary: m.role === 'customer_manager' ? 1 : 0,
        assigned_at: h.clock.now().toISOString(),
        assigned_by: assignedBy,
        removed_at: null,
        removed_by: null,
      })
      .execute();
  }
}
