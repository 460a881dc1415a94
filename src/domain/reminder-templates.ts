/**
 * Repayment reminders to customers in a gentle collection (P7.1.2, docs/credit.md "Reminders").
 * The texts are Chinese, as the customers read them, and fixed here: a change goes through code
 * review, and `toneProblems` below holds every template to the policy's tone — no threat, no
 * penalty stated as a certainty, no pressure — in a test, so a harsh wording cannot be merged.
 * No template carries an amount, an account or anything about the customer's health: an SMS is
 * read on a locked screen.
 */

export const REMINDER_TEMPLATES = ['upcoming_instalment', 'missed_instalment', 'offer_help', 'restructuring_offer'] as const;
export type ReminderTemplate = (typeof REMINDER_TEMPLATES)[number];

/** The values a template may use; each is plain text the bank controls, never the customer's data. */
export interface ReminderValues {
  bankName: string;
  /** The instalment's day, `YYYY-MM-DD` (upcoming and missed instalments). */
  dueDate?: string;
}

const TEXTS: Record<ReminderTemplate, string> = {
  upcoming_instalment:
    '【{bank}】温馨提示：您的贷款本期还款日为{date}。如近期资金安排有困难，欢迎随时联系您的客户经理，我们会和您一起想办法。',
  missed_instalment:
    '【{bank}】您好，您{date}的贷款还款暂未入账。如您近期资金周转不便，请联系您的客户经理，我们可以为您商量合适的还款安排。',
  offer_help: '【{bank}】您好，我们了解到您近期可能面临一些困难。如需调整还款安排，请联系您的客户经理，我们愿意为您提供帮助。',
  restructuring_offer: '【{bank}】您好，为减轻您的还款压力，我们可以为您办理延期或调整还款计划。如您愿意了解，请联系您的客户经理。',
};

/** The templates that need a due date. */
export const DATED_TEMPLATES: readonly ReminderTemplate[] = ['upcoming_instalment', 'missed_instalment'];

/** The Chinese date of a `YYYY-MM-DD` day, as an SMS writes it (2026年12月6日). */
function chineseDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** The reminder's text; a dated template without a date says "本期" instead of a day. */
export function renderReminder(template: ReminderTemplate, values: ReminderValues): string {
  const date = values.dueDate ? chineseDate(values.dueDate) : '本期';
  // Replacer functions: a `$` in the bank's name is text, not a replacement pattern.
  return TEXTS[template].replaceAll('{bank}', () => values.bankName).replaceAll('{date}', () => date);
}

/**
 * Wordings that threaten, state a penalty as certain, or press: each is refused in a reminder.
 * The words of a lawsuit, a blacklist, a visit to collect, a credit record "will be" hit, a
 * deadline with "otherwise"; the bank may inform about consequences in a letter the risk officer
 * writes, never in an automatic reminder.
 */
const HARSH: readonly { pattern: RegExp; problem: ToneProblem }[] = [
  { pattern: /起诉|诉讼|法院|法律责任|追究|强制执行|律师函/, problem: 'threat' },
  { pattern: /上门催收|催收员|催收人员|黑名单|曝光|通知(您的)?(家人|单位|亲友)/, problem: 'threat' },
  { pattern: /(将|必将|一定会|势必)(影响|记入|上报|产生|收取|加收)|罚息将|违约金将|征信.{0,4}(受损|污点)/, problem: 'certain_penalty' },
  { pattern: /否则|立即还款|立刻还款|务必|必须|限期|最后通牒|后果自负/, problem: 'pressure' },
];

export type ToneProblem = 'threat' | 'certain_penalty' | 'pressure' | 'medical' | 'amount';

/** Words about health or treatment: a reminder seen by someone else must not tell them of an illness. */
const MEDICAL = /病|癌|肿瘤|化疗|透析|手术|住院|治疗|医院|诊断|确诊|重疾|ICU/;

/** The tone problems of a reminder text; an empty list means it may be sent. */
export function toneProblems(text: string): ToneProblem[] {
  const found = new Set<ToneProblem>();
  for (const { pattern, problem } of HARSH) if (pattern.test(text)) found.add(problem);
  if (MEDICAL.test(text)) found.add('medical');
  // An amount (digits with 元 or ¥) tells whoever sees the screen what is owed.
  if (/[¥￥]\s*\d|\d\s*(元|万元)/.test(text)) found.add('amount');
  return [...found];
}
