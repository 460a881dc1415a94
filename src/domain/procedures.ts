import { SERVICE_CATALOGUE, type ServiceCode } from './service-catalogue.js';
import type { Role } from './roles.js';

/**
 * P7.3.1 procedures as data (docs/procedures.md): each service type has a versioned, ordered list
 * of steps, each with the role responsible for it; a control step (maker–checker) checks a named
 * earlier step and is taken by someone other than the one who took that step. Pure rules, no I/O.
 */

/** The roles a step may name: those who work on a case's services. */
export const STEP_ROLES = ['customer_manager', 'wealth_manager', 'risk_officer', 'operations', 'service_agent', 'supervisor'] as const;
export type StepRole = (typeof STEP_ROLES)[number];

/** One step of a procedure. `checks` names the maker step a control step checks (null otherwise). */
export interface ProcedureStep {
  code: string;
  zh: string;
  en: string;
  role: StepRole;
  control: boolean;
  checks: string | null;
}

/** A step as it was taken on a request. */
export interface StepDone {
  code: string;
  by: string;
}

/** Most steps a procedure may have. */
export const MAX_STEPS = 20;
const STEP_CODE = /^[a-z][a-z0-9_]{0,39}$/;

/** A problem of a procedure as an editor sent it: the step's index and field, and a stable reason. */
export interface ProcedureProblem {
  path: string;
  reason: 'too_small' | 'too_big' | 'invalid_format' | 'not_allowed' | 'invalid' | 'order';
}

/** The problems of a procedure (empty when it may be published): codes unique, a control step checks an earlier non-control step. */
export function checkProcedure(steps: readonly ProcedureStep[]): ProcedureProblem[] {
  const problems: ProcedureProblem[] = [];
  if (steps.length === 0) problems.push({ path: 'steps', reason: 'too_small' });
  if (steps.length > MAX_STEPS) problems.push({ path: 'steps', reason: 'too_big' });
  const seen = new Map<string, ProcedureStep>();
  steps.forEach((s, i) => {
    if (!STEP_CODE.test(s.code)) problems.push({ path: `steps.${i}.code`, reason: 'invalid_format' });
    else if (seen.has(s.code)) problems.push({ path: `steps.${i}.code`, reason: 'not_allowed' });
    if (!(STEP_ROLES as readonly string[]).includes(s.role)) problems.push({ path: `steps.${i}.role`, reason: 'not_allowed' });
    if (s.control) {
      const maker = s.checks === null ? undefined : seen.get(s.checks);
      if (s.checks === null) problems.push({ path: `steps.${i}.checks`, reason: 'invalid' });
      else if (!maker) problems.push({ path: `steps.${i}.checks`, reason: 'order' });
      else if (maker.control) problems.push({ path: `steps.${i}.checks`, reason: 'invalid' });
    } else if (s.checks !== null) problems.push({ path: `steps.${i}.checks`, reason: 'not_allowed' });
    seen.set(s.code, s);
  });
  return problems;
}

/** Why a step may not be completed by someone (or `ok`). */
export type StepVerdict =
  | { ok: true }
  | { ok: false; reason: 'unknown_step' | 'already_done' | 'out_of_order' | 'wrong_role' | 'same_as_maker' };

/**
 * Whether `actor` may complete `code` now: the step exists and is open, every earlier step is done
 * (the procedure is ordered), the actor holds the step's role, and for a control step the actor is
 * not the one who completed the step it checks (four eyes).
 */
export function mayCompleteStep(
  steps: readonly ProcedureStep[],
  done: readonly StepDone[],
  code: string,
  actor: { id: string; roles: readonly Role[] },
): StepVerdict {
  const index = steps.findIndex((s) => s.code === code);
  const step = steps[index];
  if (!step) return { ok: false, reason: 'unknown_step' };
  const doneBy = new Map(done.map((d) => [d.code, d.by]));
  if (doneBy.has(code)) return { ok: false, reason: 'already_done' };
  if (steps.slice(0, index).some((s) => !doneBy.has(s.code))) return { ok: false, reason: 'out_of_order' };
  if (!actor.roles.includes(step.role)) return { ok: false, reason: 'wrong_role' };
  if (step.control && step.checks !== null && doneBy.get(step.checks) === actor.id) return { ok: false, reason: 'same_as_maker' };
  return { ok: true };
}

/** The steps still open, in order. */
export function openSteps(steps: readonly ProcedureStep[], done: readonly StepDone[]): ProcedureStep[] {
  const codes = new Set(done.map((d) => d.code));
  return steps.filter((s) => !codes.has(s.code));
}

/** True when every step is done: only then may the request be completed. */
export function procedureComplete(steps: readonly ProcedureStep[], done: readonly StepDone[]): boolean {
  return openSteps(steps, done).length === 0;
}

/**
 * Of the versions of a type's procedure (each with the instant it was published), the one in force
 * at `at`: the latest published at or before it; undefined when none was.
 */
export function versionInForce<T extends { version: number; publishedAt: string }>(versions: readonly T[], at: string): T | undefined {
  const t = Date.parse(at);
  return versions
    .filter((v) => Date.parse(v.publishedAt) <= t)
    .sort((a, b) => a.version - b.version)
    .at(-1);
}

const step = (code: string, zh: string, en: string, role: StepRole, checks: string | null = null): ProcedureStep => ({
  code,
  zh,
  en,
  role,
  control: checks !== null,
  checks,
});

/** Types that move money or touch identity: their default procedure has a maker–checker control step. */
export const MAKER_CHECKER_TYPES: readonly ServiceCode[] = [
  'fee_relief',
  'emergency_loan',
  'restructuring',
  'account_help',
  'loss_report',
  'wealth_replan',
];

const DEFAULTS: Record<ServiceCode, readonly ProcedureStep[]> = {
  fee_relief: [
    step('check_documents', '核对申请材料', 'Check the application documents', 'customer_manager'),
    step('enter_waiver', '录入费用减免', 'Enter the fee relief', 'operations'),
    step('check_waiver', '复核减免录入', 'Check the fee relief entry', 'supervisor', 'enter_waiver'),
  ],
  account_help: [
    step('verify_identity', '核验客户身份', 'Verify the customer’s identity', 'customer_manager'),
    step('change_account', '办理账户变更', 'Make the account change', 'operations'),
    step('check_change', '复核账户变更', 'Check the account change', 'supervisor', 'change_account'),
  ],
  loss_report: [
    step('verify_identity', '核验客户身份', 'Verify the customer’s identity', 'customer_manager'),
    step('block_and_reissue', '挂失并补办', 'Block and reissue', 'operations'),
    step('check_block', '复核挂失办理', 'Check the block and reissue', 'supervisor', 'block_and_reissue'),
  ],
  wealth_replan: [
    step('review_plan', '审阅调整方案', 'Review the re-plan', 'wealth_manager'),
    step('execute_moves', '执行持仓调整', 'Execute the holding moves', 'operations'),
    step('check_moves', '复核持仓调整', 'Check the holding moves', 'supervisor', 'execute_moves'),
  ],
  wealth_hotline: [step('call_back', '回电客户', 'Call the customer back', 'wealth_manager')],
  green_channel: [
    step('arrange', '安排就医通道', 'Arrange the hospital channel', 'customer_manager'),
    step('confirm_with_customer', '与客户确认', 'Confirm with the customer', 'customer_manager'),
  ],
  claims_help: [
    step('gather_documents', '收集理赔材料', 'Gather the claim documents', 'customer_manager'),
    step('submit_claim', '协助提交理赔', 'Help submit the claim', 'customer_manager'),
  ],
  counselling: [
    step('arrange', '安排心理咨询', 'Arrange the counselling', 'service_agent'),
    step('confirm_with_customer', '与客户确认', 'Confirm with the customer', 'service_agent'),
  ],
  volunteer_visit: [
    step('arrange', '安排志愿者探访', 'Arrange the volunteer visit', 'service_agent'),
    step('confirm_with_customer', '与客户确认', 'Confirm with the customer', 'service_agent'),
  ],
  emergency_loan: [
    step('prepare_loan', '准备借款资料', 'Prepare the loan file', 'customer_manager'),
    step('assess_risk', '评估借款风险', 'Assess the loan’s risk', 'risk_officer'),
    step('check_loan', '复核借款放款', 'Check the loan before payout', 'supervisor', 'prepare_loan'),
  ],
  restructuring: [
    step('prepare_plan', '制定重组方案', 'Prepare the restructuring plan', 'customer_manager'),
    step('assess_risk', '评估重组风险', 'Assess the restructuring’s risk', 'risk_officer'),
    step('check_plan', '复核重组方案', 'Check the restructuring plan', 'supervisor', 'prepare_plan'),
  ],
  home_service: [
    step('arrange', '预约上门服务', 'Book the home visit', 'operations'),
    step('confirm_with_customer', '与客户确认', 'Confirm with the customer', 'operations'),
  ],
};

/** The default procedure (version 1) of every catalogue type, installed where a type has none. */
export function defaultProcedures(): { typeCode: ServiceCode; steps: readonly ProcedureStep[] }[] {
  return SERVICE_CATALOGUE.map((t) => ({ typeCode: t.code, steps: DEFAULTS[t.code] }));
}
