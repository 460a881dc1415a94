/**
 * What a customer signs (P6.1.2): a plain-text summary of a service request rendered in the
 * reader's language from the request's data. The text is deterministic, so that the same request
 * renders the same text and the SHA-256 of the text the customer signed can be compared with the
 * request as it is now: a different hash means the request changed after signing.
 */

/** The languages a summary is rendered in (the web app's). */
export const SUMMARY_LOCALES = ['zh-CN', 'en'] as const;
export type SummaryLocale = (typeof SUMMARY_LOCALES)[number];

/** True for a language a summary can be rendered in. */
export function isSummaryLocale(value: unknown): value is SummaryLocale {
  return typeof value === 'string' && (SUMMARY_LOCALES as readonly string[]).includes(value);
}

/** The facts a summary renders. */
export interface SummaryInput {
  typeName: { zh: string; en: string };
  customerName: string;
  caseNumber: string;
  requestedAt: string;
  details: Record<string, unknown>;
  /** The checklist, with whether each item has been provided (ticked). */
  documents: readonly { zh: string; en: string; provided: boolean }[];
}

type Words = Record<string, { zh: string; en: string }>;

const HEADINGS: Words = {
  title: { zh: '服务申请确认', en: 'Service request confirmation' },
  service: { zh: '服务', en: 'Service' },
  customer: { zh: '客户', en: 'Customer' },
  caseNumber: { zh: '档案编号', en: 'Case number' },
  requestedOn: { zh: '申请日期', en: 'Requested on' },
  details: { zh: '申请内容', en: 'Details' },
  documents: { zh: '材料', en: 'Documents' },
  none: { zh: '无', en: 'none' },
  provided: { zh: '已提供', en: 'provided' },
  missing: { zh: '未提供', en: 'not provided' },
  consent: {
    zh: '本人确认以上内容真实无误，并同意银行据此办理。',
    en: 'I confirm that the above is correct and agree that the bank proceeds on it.',
  },
};

/** The names of the detail fields of the catalogue's types (domain/service-catalogue.ts). */
const FIELD_NAMES: Words = {
  accountId: { zh: '账户', en: 'Account' },
  feeType: { zh: '费用类型', en: 'Fee type' },
  kind: { zh: '减免方式', en: 'Kind of relief' },
  percent: { zh: '减免比例（%）', en: 'Percent' },
  amountMinor: { zh: '金额（元）', en: 'Amount (CNY)' },
  validFrom: { zh: '生效日期', en: 'Valid from' },
  validUntil: { zh: '截止日期', en: 'Valid until' },
  change: { zh: '变更事项', en: 'Change' },
  description: { zh: '说明', en: 'Description' },
  action: { zh: '操作', en: 'Action' },
  item: { zh: '物品', en: 'Item' },
  moves: { zh: '调整', en: 'Moves' },
  rationale: { zh: '理由', en: 'Rationale' },
  topic: { zh: '主题', en: 'Topic' },
  callBackAfter: { zh: '回电日期', en: 'Call back after' },
  holdingId: { zh: '持仓产品', en: 'Holding' },
  toRiskLevel: { zh: '调整至风险等级', en: 'To risk level' },
  termMonths: { zh: '期限（月）', en: 'Term (months)' },
  loanId: { zh: '贷款', en: 'Loan' },
  months: { zh: '月数', en: 'Months' },
  annualRatePercent: { zh: '新年利率（%）', en: 'New annual rate (%)' },
  instalmentMinor: { zh: '新月供（元）', en: 'New instalment (CNY)' },
};

/** The names of the catalogue's option values. */
const VALUE_NAMES: Words = {
  full: { zh: '全免', en: 'waived in full' },
  amount: { zh: '按金额', en: 'by amount' },
  account_management: { zh: '账户管理费', en: 'account management fee' },
  sms_alerts: { zh: '短信通知费', en: 'SMS alerts fee' },
  card_annual: { zh: '银行卡年费', en: 'card annual fee' },
  contact_details: { zh: '联系方式', en: 'contact details' },
  password_reset: { zh: '重置密码', en: 'password reset' },
  authorised_person: { zh: '授权代理人', en: 'authorised person' },
  limits: { zh: '交易限额', en: 'limits' },
  other: { zh: '其他', en: 'other' },
  report: { zh: '挂失', en: 'report' },
  release: { zh: '解挂', en: 'release' },
  card: { zh: '银行卡', en: 'card' },
  passbook: { zh: '存折', en: 'passbook' },
  seal: { zh: '印鉴', en: 'seal' },
  password: { zh: '密码', en: 'password' },
  deferral: { zh: '延期还本', en: 'deferral' },
  term_extension: { zh: '延长期限', en: 'term extension' },
  rate_reduction: { zh: '降低利率', en: 'rate reduction' },
  reduced_instalment: { zh: '降低月供', en: 'reduced instalment' },
};

const pick = (w: { zh: string; en: string }, locale: SummaryLocale) => (locale === 'zh-CN' ? w.zh : w.en);

/** Money in minor units as yuan with two decimals (no grouping: the text must not depend on a runtime's locale data). */
function yuan(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(minor));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function valueText(field: string, value: unknown, locale: SummaryLocale): string {
  if (value === null || value === undefined) return '';
  if ((field === 'amountMinor' || field === 'instalmentMinor') && typeof value === 'number') return yuan(value);
  if (typeof value === 'string') {
    const named = VALUE_NAMES[value];
    return named ? pick(named, locale) : value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((v) => valueText(field, v, locale)).join('; ');
  if (typeof value === 'object') {
    // A holding move and the like: its fields in a stable order.
    const fields = new Map(Object.entries(value));
    return [...fields.keys()]
      .sort()
      .map((k) => {
        const name = FIELD_NAMES[k];
        return `${name ? pick(name, locale) : k} ${valueText(k, fields.get(k), locale)}`;
      })
      .join(locale === 'zh-CN' ? '，' : ', ');
  }
  return '';
}

/**
 * Renders the summary a customer signs, in the reader's language: the service, the customer, the
 * case number, the day requested, the details (fields in a fixed order, by name), the documents
 * with whether each was provided, and the consent sentence. Lines end with `\n`.
 */
export function renderServiceSummary(input: SummaryInput, locale: SummaryLocale): string {
  const h = (k: string) => pick(HEADINGS[k] ?? { zh: k, en: k }, locale);
  const colon = locale === 'zh-CN' ? '：' : ': ';
  const lines = [
    h('title'),
    `${h('service')}${colon}${pick(input.typeName, locale)}`,
    `${h('customer')}${colon}${input.customerName}`,
    `${h('caseNumber')}${colon}${input.caseNumber}`,
    `${h('requestedOn')}${colon}${input.requestedAt.slice(0, 10)}`,
    `${h('details')}${colon}`,
  ];
  const fields = Object.keys(input.details).sort();
  if (fields.length === 0) lines.push(`- ${h('none')}`);
  for (const f of fields) {
    const name = FIELD_NAMES[f];
    lines.push(`- ${name ? pick(name, locale) : f}${colon}${valueText(f, input.details[f], locale)}`);
  }
  lines.push(`${h('documents')}${colon}`);
  if (input.documents.length === 0) lines.push(`- ${h('none')}`);
  for (const d of input.documents) lines.push(`- ${pick(d, locale)}${colon}${h(d.provided ? 'provided' : 'missing')}`);
  lines.push(h('consent'));
  return `${lines.join('\n')}\n`;
}
