import type { TEAM_ROLES } from './roles.js';

/**
 * The catalogue of exclusive services (P4) as data: what each type is, who delivers it, whether a
 * supervisor approves it, the bank's standard handling time and the critical-illness priority time
 * in business hours (P6.2.2: both kept, so the gain shows), the documents a customer brings as
 * standard and the reduced list for critical-illness customers (P6.1.1), and the details a request
 * of the type needs. The database keeps an editable copy (seeded from this); the detail rules stay
 * in code, where they are tested.
 */

export const SERVICE_CODES = [
  'fee_relief',
  'account_help',
  'loss_report',
  'wealth_replan',
  'wealth_hotline',
  'green_channel',
  'claims_help',
  'counselling',
  'volunteer_visit',
  'emergency_loan',
  'restructuring',
  'home_service',
] as const;
export type ServiceCode = (typeof SERVICE_CODES)[number];

/** True for a code of the catalogue. */
export function isServiceCode(value: unknown): value is ServiceCode {
  return typeof value === 'string' && (SERVICE_CODES as readonly string[]).includes(value);
}

/** A document of a checklist: a stable code and its names. */
export interface ServiceDocument {
  code: string;
  zh: string;
  en: string;
}

/** One field of a request's details, described for forms (the rules are in validateServiceDetails). */
export interface DetailField {
  name: string;
  kind: 'account' | 'text' | 'enum' | 'percent' | 'money' | 'date' | 'count' | 'holdings_moves';
  required: boolean;
  options?: readonly string[];
}

/** A type of the catalogue. */
export interface ServiceTypeDefinition {
  code: ServiceCode;
  zh: string;
  en: string;
  clause: string;
  ownerRole: (typeof TEAM_ROLES)[number];
  needsApproval: boolean;
  standardHours: number;
  priorityHours: number;
  documentsStandard: readonly ServiceDocument[];
  documentsReduced: readonly ServiceDocument[];
  fields: readonly DetailField[];
  /** Delivered by this engine now; the others arrive with their own work (credit, partners, appointments). */
  delivered: boolean;
}

/** What a restructuring changes (P7.1.1): interest-only months, a longer term, a lower rate, a lower instalment. */
export const RESTRUCTURING_CHANGES = ['deferral', 'term_extension', 'rate_reduction', 'reduced_instalment'] as const;
export type RestructuringChange = (typeof RESTRUCTURING_CHANGES)[number];

const doc = (code: string, zh: string, en: string): ServiceDocument => ({ code, zh, en });
const ID = doc('identity_document', '本人有效身份证件', 'Identity document');
const APPLICATION = doc('application_form', '业务申请书', 'Application form');
const MEDICAL = doc('medical_certificate', '医院诊断证明', 'Hospital diagnosis certificate');
const INCOME = doc('income_proof', '收入或困难证明', 'Proof of income or hardship');
const CARD = doc('card_or_passbook', '银行卡或存折原件', 'Bank card or passbook');
const RISK_TEST = doc('risk_assessment', '风险承受能力评估', 'Risk tolerance assessment');
const HOLDINGS = doc('holdings_statement', '持仓对账单', 'Holdings statement');
const REFERRAL = doc('hospital_referral', '医院转诊或预约单', 'Hospital referral or booking');
const CLAIM = doc('claim_documents', '理赔材料清单', 'Claim documents');
const LOAN_APPLICATION = doc('loan_application', '借款申请书', 'Loan application');
const HOME_CONSENT = doc('home_visit_consent', '上门服务确认', 'Home visit confirmation');

/** The seeded catalogue: every P4 service. */
export const SERVICE_CATALOGUE: readonly ServiceTypeDefinition[] = [
  {
    code: 'fee_relief',
    zh: '费用减免',
    en: 'Fee relief',
    clause: 'P4.2.1',
    ownerRole: 'operations',
    needsApproval: true,
    standardHours: 40,
    priorityHours: 16,
    documentsStandard: [APPLICATION, ID, INCOME, MEDICAL],
    documentsReduced: [ID],
    fields: [
      { name: 'accountId', kind: 'account', required: true },
      { name: 'feeType', kind: 'text', required: true },
      { name: 'kind', kind: 'enum', required: true, options: ['full', 'percent', 'amount'] },
      { name: 'percent', kind: 'percent', required: false },
      { name: 'amountMinor', kind: 'money', required: false },
      { name: 'validFrom', kind: 'date', required: true },
      { name: 'validUntil', kind: 'date', required: true },
    ],
    delivered: true,
  },
  {
    code: 'account_help',
    zh: '账户变更协助',
    en: 'Help with account changes',
    clause: 'P4.2.2',
    ownerRole: 'operations',
    needsApproval: false,
    standardHours: 24,
    priorityHours: 8,
    documentsStandard: [APPLICATION, ID, CARD],
    documentsReduced: [ID],
    fields: [
      { name: 'accountId', kind: 'account', required: true },
      {
        name: 'change',
        kind: 'enum',
        required: true,
        options: ['contact_details', 'password_reset', 'authorised_person', 'limits', 'other'],
      },
      { name: 'description', kind: 'text', required: true },
    ],
    delivered: true,
  },
  {
    code: 'loss_report',
    zh: '挂失及解挂',
    en: 'Loss reporting and its release',
    clause: 'P4.2.2',
    ownerRole: 'operations',
    needsApproval: false,
    standardHours: 8,
    priorityHours: 2,
    documentsStandard: [APPLICATION, ID, CARD],
    documentsReduced: [ID],
    fields: [
      { name: 'accountId', kind: 'account', required: true },
      { name: 'action', kind: 'enum', required: true, options: ['report', 'release'] },
      { name: 'item', kind: 'enum', required: true, options: ['card', 'passbook', 'seal', 'password'] },
    ],
    delivered: true,
  },
  {
    code: 'wealth_replan',
    zh: '理财方案调整',
    en: 'Wealth re-planning',
    clause: 'P4.3.1',
    ownerRole: 'wealth_manager',
    needsApproval: true,
    standardHours: 40,
    priorityHours: 16,
    documentsStandard: [APPLICATION, RISK_TEST, HOLDINGS],
    documentsReduced: [RISK_TEST],
    fields: [
      { name: 'moves', kind: 'holdings_moves', required: true },
      { name: 'rationale', kind: 'text', required: true },
    ],
    delivered: true,
  },
  {
    code: 'wealth_hotline',
    zh: '理财专线回电',
    en: 'Wealth hotline call-back',
    clause: 'P4.3.2',
    ownerRole: 'wealth_manager',
    needsApproval: false,
    standardHours: 8,
    priorityHours: 2,
    documentsStandard: [],
    documentsReduced: [],
    fields: [
      { name: 'topic', kind: 'text', required: true },
      { name: 'callBackAfter', kind: 'date', required: false },
    ],
    delivered: true,
  },
  {
    code: 'green_channel',
    zh: '就医绿色通道',
    en: 'Hospital green channel',
    clause: 'P4.4.1',
    ownerRole: 'customer_manager',
    needsApproval: true,
    standardHours: 40,
    priorityHours: 8,
    documentsStandard: [APPLICATION, MEDICAL, REFERRAL],
    documentsReduced: [REFERRAL],
    fields: [{ name: 'description', kind: 'text', required: true }],
    delivered: false,
  },
  {
    code: 'claims_help',
    zh: '医疗费用与保险理赔协助',
    en: 'Medical bills and insurance claims',
    clause: 'P4.4.2',
    ownerRole: 'customer_manager',
    needsApproval: false,
    standardHours: 40,
    priorityHours: 16,
    documentsStandard: [APPLICATION, MEDICAL, CLAIM],
    documentsReduced: [CLAIM],
    fields: [{ name: 'description', kind: 'text', required: true }],
    delivered: false,
  },
  {
    code: 'counselling',
    zh: '心理咨询转介',
    en: 'Counselling referral',
    clause: 'P4.5.1',
    ownerRole: 'service_agent',
    needsApproval: true,
    standardHours: 40,
    priorityHours: 16,
    documentsStandard: [APPLICATION],
    documentsReduced: [],
    fields: [{ name: 'description', kind: 'text', required: true }],
    delivered: false,
  },
  {
    code: 'volunteer_visit',
    zh: '志愿者探访',
    en: 'Volunteer visit',
    clause: 'P4.5.2',
    ownerRole: 'service_agent',
    needsApproval: false,
    standardHours: 80,
    priorityHours: 40,
    documentsStandard: [],
    documentsReduced: [],
    fields: [{ name: 'description', kind: 'text', required: true }],
    delivered: false,
  },
  {
    code: 'emergency_loan',
    zh: '应急小额贷款',
    en: 'Emergency loan',
    clause: 'P4.1.1',
    ownerRole: 'risk_officer',
    needsApproval: true,
    standardHours: 80,
    priorityHours: 16,
    documentsStandard: [LOAN_APPLICATION, ID, INCOME, MEDICAL],
    documentsReduced: [LOAN_APPLICATION, ID],
    // The amount is checked against the cap and the case's shortfall by credit (emergency-loan.service.ts).
    fields: [
      { name: 'accountId', kind: 'account', required: true },
      { name: 'amountMinor', kind: 'money', required: true },
      { name: 'termMonths', kind: 'count', required: true },
    ],
    delivered: true,
  },
  {
    code: 'restructuring',
    zh: '还款计划调整',
    en: 'Loan restructuring',
    clause: 'P7.1.1',
    ownerRole: 'risk_officer',
    needsApproval: true,
    standardHours: 80,
    priorityHours: 40,
    documentsStandard: [LOAN_APPLICATION, ID, INCOME],
    documentsReduced: [LOAN_APPLICATION],
    // The loan is checked to be the customer's by credit (restructuring.service.ts); the change's numbers just below.
    fields: [
      { name: 'loanId', kind: 'text', required: true },
      { name: 'change', kind: 'enum', required: true, options: RESTRUCTURING_CHANGES },
      { name: 'months', kind: 'count', required: false },
      { name: 'annualRatePercent', kind: 'percent', required: false },
      { name: 'instalmentMinor', kind: 'money', required: false },
      { name: 'rationale', kind: 'text', required: true },
    ],
    delivered: true,
  },
  {
    code: 'home_service',
    zh: '上门服务',
    en: 'Home service',
    clause: 'P4.2.2',
    ownerRole: 'operations',
    needsApproval: false,
    standardHours: 40,
    priorityHours: 16,
    documentsStandard: [APPLICATION, ID],
    documentsReduced: [HOME_CONSENT],
    fields: [{ name: 'description', kind: 'text', required: true }],
    delivered: false,
  },
];

/** The definition of a code. */
export function serviceDefinition(code: ServiceCode): ServiceTypeDefinition {
  const found = SERVICE_CATALOGUE.find((d) => d.code === code);
  if (!found) throw new RangeError(`no service type ${code}`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Details, validated per type
// ---------------------------------------------------------------------------------------------

/** A detail that is wrong, by its field and a stable reason. */
export interface DetailProblem {
  path: string;
  reason: 'required' | 'not_allowed' | 'invalid' | 'too_long' | 'range' | 'order';
}

/** The proposed move of a holding in a wealth re-plan: how much to take out of it, and into which risk level. */
export interface HoldingMove {
  holdingId: string;
  amountMinor: number;
  toRiskLevel: 'R1' | 'R2' | 'R3';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TEXT_MAX = 1000;

function validDate(s: unknown): s is string {
  if (typeof s !== 'string' || !DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

// NUL and other C0 controls (tab and line ends aside) have no place in a detail, and PostgreSQL cannot store NUL.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function checkField(f: DetailField, value: unknown, problems: DetailProblem[]): void {
  const path = f.name;
  switch (f.kind) {
    case 'account':
    case 'text':
      if (typeof value !== 'string' || value.trim() === '' || CONTROL.test(value)) problems.push({ path, reason: 'invalid' });
      else if (value.length > (f.kind === 'account' ? 64 : TEXT_MAX)) problems.push({ path, reason: 'too_long' });
      return;
    case 'enum':
      if (typeof value !== 'string' || !(f.options ?? []).includes(value)) problems.push({ path, reason: 'invalid' });
      return;
    case 'percent':
      if (typeof value !== 'number' || !Number.isFinite(value)) problems.push({ path, reason: 'invalid' });
      else if (value <= 0 || value >= 100) problems.push({ path, reason: 'range' });
      return;
    case 'money':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) problems.push({ path, reason: 'invalid' });
      else if (value <= 0) problems.push({ path, reason: 'range' });
      return;
    case 'date':
      if (!validDate(value)) problems.push({ path, reason: 'invalid' });
      return;
    case 'count':
      // Months of a loan: whole, at least one, at most 30 years.
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) problems.push({ path, reason: 'invalid' });
      else if (value < 1 || value > 360) problems.push({ path, reason: 'range' });
      return;
    case 'holdings_moves': {
      if (!Array.isArray(value) || value.length === 0 || value.length > 50) {
        problems.push({ path, reason: 'invalid' });
        return;
      }
      for (const [i, m] of value.entries()) {
        const move = m as Partial<Record<keyof HoldingMove, unknown>> | null; // checked field by field just below
        if (typeof move !== 'object' || move === null) {
          problems.push({ path: `${path}.${i}`, reason: 'invalid' });
          continue;
        }
        if (typeof move.holdingId !== 'string' || move.holdingId === '' || move.holdingId.length > 64)
          problems.push({ path: `${path}.${i}.holdingId`, reason: 'invalid' });
        if (typeof move.amountMinor !== 'number' || !Number.isSafeInteger(move.amountMinor) || move.amountMinor <= 0)
          problems.push({ path: `${path}.${i}.amountMinor`, reason: 'range' });
        if (!['R1', 'R2', 'R3'].includes(String(move.toRiskLevel))) problems.push({ path: `${path}.${i}.toRiskLevel`, reason: 'invalid' });
        const extra = Object.keys(move).filter((k) => !['holdingId', 'amountMinor', 'toRiskLevel'].includes(k));
        for (const k of extra) problems.push({ path: `${path}.${i}.${k}`, reason: 'not_allowed' });
      }
      return;
    }
  }
}

/**
 * Checks a request's details against its type: every required field present and well formed, no
 * field the type does not know, and the type's own rules (fee relief: the kind decides between
 * percent and amount, the validity runs forwards). Answers the problems (none: valid).
 */
export function validateServiceDetails(code: ServiceCode, details: Record<string, unknown>): DetailProblem[] {
  const def = serviceDefinition(code);
  const problems: DetailProblem[] = [];
  const known = new Set(def.fields.map((f) => f.name));
  for (const key of Object.keys(details)) if (!known.has(key)) problems.push({ path: key, reason: 'not_allowed' });
  for (const f of def.fields) {
    const value = details[f.name];
    if (value === undefined || value === null) {
      if (f.required) problems.push({ path: f.name, reason: 'required' });
      continue;
    }
    checkField(f, value, problems);
  }
  if (code === 'fee_relief') {
    const kind = details.kind;
    if (kind === 'percent' && details.percent === undefined) problems.push({ path: 'percent', reason: 'required' });
    if (kind !== 'percent' && details.percent !== undefined) problems.push({ path: 'percent', reason: 'not_allowed' });
    if (kind === 'amount' && details.amountMinor === undefined) problems.push({ path: 'amountMinor', reason: 'required' });
    if (kind !== 'amount' && details.amountMinor !== undefined) problems.push({ path: 'amountMinor', reason: 'not_allowed' });
    if (validDate(details.validFrom) && validDate(details.validUntil) && details.validUntil < details.validFrom) {
      problems.push({ path: 'validUntil', reason: 'order' });
    }
  }
  if (code === 'restructuring') {
    // Each change names its own number, and only it (P7.1.1).
    const needs: Record<RestructuringChange, string> = {
      deferral: 'months',
      term_extension: 'months',
      rate_reduction: 'annualRatePercent',
      reduced_instalment: 'instalmentMinor',
    };
    const change = details.change;
    if (typeof change === 'string' && change in needs) {
      const wanted = needs[change as RestructuringChange]; // `in` above: a key of needs
      for (const name of ['months', 'annualRatePercent', 'instalmentMinor']) {
        if (name === wanted && details[name] === undefined) problems.push({ path: name, reason: 'required' });
        if (name !== wanted && details[name] !== undefined) problems.push({ path: name, reason: 'not_allowed' });
      }
      if (change === 'deferral' && typeof details.months === 'number' && details.months > 24)
        problems.push({ path: 'months', reason: 'range' });
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Fee relief (P4.2.1)
// ---------------------------------------------------------------------------------------------

/** A fee waiver or reduction as core banking applies it. */
export interface FeeWaiver {
  accountId: string;
  feeType: string;
  kind: 'full' | 'percent' | 'amount';
  percent?: number;
  amountMinor?: number;
  validFrom: string;
  validUntil: string;
  /** Set when the case closed: the waiver ends on this day, whatever its validity said. */
  endedOn?: string | null;
}

/** True on the days a waiver is in force: from its first day to its last, and not after it was ended. */
export function waiverInForce(w: Pick<FeeWaiver, 'validFrom' | 'validUntil' | 'endedOn'>, day: string): boolean {
  const last = w.endedOn && w.endedOn < w.validUntil ? w.endedOn : w.validUntil;
  return w.validFrom <= day && day <= last;
}
