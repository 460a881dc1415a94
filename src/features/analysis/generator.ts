import type { RuleId, RuleKind } from '../../domain/analysis/rules.js';
import type { Channel } from '../../domain/analysis/transaction.js';
import { type Random, seededRandom } from '../../domain/random.js';
import { csvField } from './csv.js';

/**
 * Synthetic transactions at any scale for `lifeline gen-transactions` and the benchmark
 * (docs/analysis.md, "Generated data"): everyday spending in the vocabulary of the demo bank,
 * with planted, labelled patterns for every rule and look-alikes that must not fire. Customer by
 * customer (each customer's rows in booking order), so memory stays constant; everything follows
 * from the seed.
 */

const DAY_MS = 86_400_000;
const UTC_OFFSET_HOURS = 8;
/** The last day of generated data: fixed, so that a seed always gives the same file. */
export const GEN_END_DATE = '2025-06-30';

/** Options of a generated data set. */
export interface GenOptions {
  accounts: number;
  days: number;
  seed: number;
  /** Everyday purchases per account and day, on average (monthly salary and bills come on top). */
  rate?: number;
  /** Scales the shares of customers with planted stories and look-alikes (1 = 3 % ill, 3 % fraud, 8 % look-alikes). */
  plantedShare?: number;
}

/** One generated transaction. */
export interface GenRow {
  txnId: string;
  accountId: string;
  customerNumber: string;
  atMs: number;
  /** Day index within the data set, 0 = the first day. */
  day: number;
  amountMinor: number;
  direction: 'debit' | 'credit';
  channel: Channel;
  counterpartyName: string;
  counterpartyAccount: string;
  mcc: string;
  description: string;
}

/** A planted pattern (kind and rule set) or a look-alike (lookalike: true, no kind) of one customer. */
export interface GenLabel {
  customerNumber: string;
  pattern: string;
  kind: RuleKind | null;
  rules: RuleId[];
  lookalike: boolean;
}

interface Spend {
  mcc: string;
  merchants: readonly string[];
  min: number;
  max: number;
  description: string;
  channel: Channel;
}
// The demo bank's merchants (features/demo/demo-bank.ts), a few with commas and quotes in their texts.
const EVERYDAY: readonly Spend[] = [
  {
    mcc: '5411',
    merchants: ['华润万家', '世纪联华超市', '鲜丰水果', '邻里生鲜超市'],
    min: 30,
    max: 400,
    description: '超市购物',
    channel: 'card',
  },
  {
    mcc: '5812',
    merchants: ['湖畔人家餐厅', '老街面馆', '江南小厨', '知味小笼', '外婆味道'],
    min: 25,
    max: 260,
    description: '餐饮消费, 含服务费',
    channel: 'card',
  },
  { mcc: '5541', merchants: ['中石化加油站', '中石油加油站'], min: 200, max: 500, description: '加油', channel: 'card' },
  { mcc: '5399', merchants: ['网购平台', '电商商城'], min: 40, max: 1500, description: '"双11"网上购物 🛒', channel: 'online' },
  { mcc: '5311', merchants: ['杭州大厦', '银泰百货'], min: 200, max: 3000, description: '百货购物', channel: 'card' },
];
const PHARMACY: Spend = {
  mcc: '5912',
  merchants: ['康宁大药房', '惠民药房', '同心堂药店'],
  min: 30,
  max: 200,
  description: '药店购药',
  channel: 'card',
};
const DOCTOR: Spend = {
  mcc: '8011',
  merchants: ['仁心诊所', '社区卫生服务中心', '明德中医门诊部'],
  min: 80,
  max: 600,
  description: '门诊诊疗费',
  channel: 'card',
};
const LAB: Spend = {
  mcc: '8071',
  merchants: ['西湖医学检验所', '之江影像中心'],
  min: 300,
  max: 2500,
  description: '检查检验费',
  channel: 'card',
};
const HOSPITALS = ['西湖人民医院', '钱塘中心医院', '浙江协和肿瘤医院', '杭州仁济医院'] as const;
const EMPLOYERS = [
  '杭州西子智能科技有限公司',
  '浙江恒远贸易有限公司',
  '杭州市第十四中学',
  '浙江钱塘电力工程有限公司',
  '杭州云栖软件有限公司',
] as const;
const INSURERS = ['安康人寿保险股份有限公司', '平安健康保险股份有限公司', '泰和人寿保险有限公司'] as const;
const CROWDFUNDING = ['水滴筹', '轻松筹', '爱心筹公益平台'] as const;
const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'];

const ILL_SHARE = 0.03;
const FRAUD_SHARE = 0.03;
const LOOKALIKE_SHARE = 0.02;
/** Fund-safety patterns and the rules each makes fire (a big transfer to a new payee is also far above the baseline). */
const FRAUD: Record<string, RuleId[]> = {
  outflow_above_baseline: ['outflow_above_baseline'],
  new_payee_large: ['new_payee_large', 'outflow_above_baseline'],
  outflow_burst: ['outflow_burst'],
  unusual_hour: ['unusual_hour_or_channel'],
  large_cash_withdrawal: ['large_cash_withdrawal', 'outflow_above_baseline'],
};

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const fen = (r: Random, minYuan: number, maxYuan: number) => r.int(minYuan * 100, maxYuan * 100);

/** The customer number of the i-th generated customer (1-based). */
export function genCustomerNumber(index: number): string {
  return `G${pad(index, 8)}`;
}

/** How many salary days (the 10th) fall on days [0, until) of a data set starting at startMs. */
function salariesBefore(startMs: number, until: number): number {
  let n = 0;
  for (let day = 0; day < until; day++) if (new Date(startMs + day * DAY_MS).getUTCDate() === 10) n++;
  return n;
}

/** The first generated day, as epoch milliseconds (UTC midnight). */
export function genStartMs(days: number): number {
  return Date.parse(`${GEN_END_DATE}T00:00:00Z`) - (days - 1) * DAY_MS;
}

/**
 * The i-th customer (1-based) of a data set: their rows over all days, in booking order, and the
 * labels of what was planted. Pure: the same options and index always give the same rows.
 */
export function generateCustomer(opts: GenOptions, index: number): { rows: GenRow[]; labels: GenLabel[] } {
  const r = seededRandom(`lifeline-gen:${opts.seed}:${index}`);
  const days = opts.days;
  const start = genStartMs(days);
  const customerNumber = genCustomerNumber(index);
  const accountId = `6217${pad(index, 10)}1`;
  const ownSecond = `6217${pad(index, 10)}2`;
  const scale = r.chance(0.05) ? 3 : r.chance(0.25) ? 1.8 : 1;
  const baseRate = opts.rate ?? 1;
  const employed = r.chance(0.8);
  const salary = Math.round(fen(r, 6_000, 15_000) * scale);
  const employer = r.pick(EMPLOYERS);
  const employerAccount = `33050${pad(r.int(0, 99_999_999), 11)}`;
  const family = `${r.pick(SURNAMES)}${r.pick(['芳', '伟', '敏', '强', '静'])}`;
  const familyAccount = `6222${pad(r.int(0, 999_999_999), 12)}`;

  // The customer's story: one scenario at most, placed where the data set has room for it.
  const roll = r.next() / (opts.plantedShare ?? 1);
  const paysUtilities = r.chance(0.7);
  const paysPhone = r.chance(0.7);
  const labels: GenLabel[] = [];
  const label = (pattern: string, kind: RuleKind | null, rules: RuleId[]) =>
    labels.push({ customerNumber, pattern, kind, rules, lookalike: kind === null });
  let scenario: 'normal' | 'ill' | 'fraud' | 'lookalike' = 'normal';
  if (days >= 30 && roll < ILL_SHARE) scenario = 'ill';
  else if (days >= 30 && roll < ILL_SHARE + FRAUD_SHARE) scenario = 'fraud';
  else if (days >= 30 && roll < ILL_SHARE + FRAUD_SHARE + 4 * LOOKALIKE_SHARE) scenario = 'lookalike';
  // Planted stories need a history to stand out from: at least an everyday purchase every other day.
  const rate = scenario === 'normal' ? baseRate * (0.3 + 1.4 * r.next()) : Math.max(0.6, baseRate);

  const rows: GenRow[] = [];
  const add = (
    day: number,
    hour: number,
    row: Omit<GenRow, 'txnId' | 'accountId' | 'customerNumber' | 'atMs' | 'day'> & { accountId?: string },
  ) => {
    const atMs = start + day * DAY_MS + (hour - UTC_OFFSET_HOURS) * 3_600_000 + r.int(0, 3_599) * 1_000;
    rows.push({
      txnId: '',
      accountId: row.accountId ?? accountId,
      customerNumber,
      atMs,
      day,
      ...row,
      counterpartyAccount: row.counterpartyAccount,
    });
  };
  const spend = (day: number, s: Spend, factor = 1, hour = r.int(8, 21)) =>
    add(day, hour, {
      amountMinor: Math.round(fen(r, s.min, s.max) * factor),
      direction: 'debit',
      channel: s.channel,
      counterpartyName: r.pick(s.merchants),
      counterpartyAccount: '',
      mcc: s.mcc,
      description: s.description,
    });

  // Planted-story parameters.
  let onset = Number.POSITIVE_INFINITY;
  let stopPayroll = false;
  let payoutDay = -1;
  let redemptionDay = -1;
  let crowdfunding = false;
  let hospital = '';
  let fraud = '';
  let fraudDay = -1;
  let lookalike = '';
  let lateSalaryMonth = -1;
  if (scenario === 'ill') {
    onset = days >= 90 ? r.int(days - 60, days - 40) : Math.floor(days / 2);
    hospital = r.pick(HOSPITALS);
    const rules: RuleId[] = ['medical_spend_above_baseline', 'recurring_hospital_payments'];
    if (r.chance(0.4) && onset + 20 < days) {
      payoutDay = onset + r.int(15, Math.min(30, days - 1 - onset));
      rules.push('ci_insurance_payout');
    }
    if (r.chance(0.3)) {
      crowdfunding = true;
      rules.push('medical_crowdfunding');
    }
    if (r.chance(0.3)) {
      redemptionDay = onset + r.int(3, 8);
      rules.push('early_redemption_near_medical');
    }
    // Payroll can be seen to stop only with two salaries before and 46 days of silence after.
    if (employed && salariesBefore(start, days - 47) >= 2 && r.chance(0.5)) {
      stopPayroll = true;
      rules.push('payroll_stopped');
    }
    label('illness', 'illness_signal', rules);
  } else if (scenario === 'fraud') {
    fraud = r.pick(Object.keys(FRAUD));
    fraudDay = r.int(days - 10, days - 1);
    label(fraud, 'fund_safety', FRAUD[fraud] ?? []);
  } else if (scenario === 'lookalike') {
    const canStop = employed && salariesBefore(start, days - 47) >= 2;
    lookalike = r.pick(
      employed
        ? ['routine_pharmacy', 'salary_late', 'planned_purchase', ...(canStop ? ['job_change'] : [])]
        : ['routine_pharmacy', 'planned_purchase'],
    );
    fraudDay = r.int(days - 10, days - 1);
    if (lookalike === 'salary_late') lateSalaryMonth = r.int(1, 2);
    // A job change stops payroll too: the rule fires, but alone it stays below the threshold.
    label(lookalike, null, lookalike === 'job_change' ? ['payroll_stopped'] : []);
  }
  // A stopped payroll's last salary is more than 46 days before the last day.
  const lastPayrollDay = stopPayroll || lookalike === 'job_change' ? days - 47 : Number.POSITIVE_INFINITY;

  let salaryMonth = 0;
  for (let day = 0; day < days; day++) {
    const date = new Date(start + day * DAY_MS);
    const dom = date.getUTCDate();
    const sick = day >= onset;
    // Planted fund-safety stories rely on known channels: card, online and ATM used early on.
    if (scenario !== 'normal' && day < 3) {
      spend(day, EVERYDAY[day === 1 ? 3 : 0] ?? PHARMACY);
      if (day === 2)
        add(day, r.int(9, 20), {
          amountMinor: r.int(5, 20) * 10_000,
          direction: 'debit',
          channel: 'atm',
          counterpartyName: '',
          counterpartyAccount: '',
          mcc: '6011',
          description: 'ATM取款',
        });
    }
    if (employed && dom === 10 && day < lastPayrollDay) {
      salaryMonth++;
      const late = salaryMonth === lateSalaryMonth;
      const payDay = late ? Math.min(days - 1, day + r.int(8, 14)) : day;
      add(payDay, r.int(9, 10), {
        amountMinor: salary,
        direction: 'credit',
        channel: 'transfer',
        counterpartyName: employer,
        counterpartyAccount: employerAccount,
        mcc: '',
        description: late ? '工资（补发）' : '工资',
      });
    }
    if (dom === 5 && paysUtilities)
      add(day, r.int(2, 5), {
        amountMinor: fen(r, 80, 600),
        direction: 'debit',
        channel: 'direct_debit',
        counterpartyName: '杭州市水电燃气公共服务',
        counterpartyAccount: '',
        mcc: '4900',
        description: '水电燃气费',
      });
    if (dom === 18 && paysPhone)
      add(day, r.int(2, 5), {
        amountMinor: fen(r, 58, 298),
        direction: 'debit',
        channel: 'direct_debit',
        counterpartyName: '通信运营商',
        counterpartyAccount: '',
        mcc: '4814',
        description: '话费',
      });

    const lively = sick ? 0.5 : 1;
    const whole = Math.floor(rate * lively);
    const purchases = whole + (r.next() < rate * lively - whole ? 1 : 0);
    for (let k = 0; k < purchases; k++) {
      const x = r.next();
      if (x < 0.9) spend(day, EVERYDAY[Math.floor(r.next() * 4)] ?? PHARMACY, Math.sqrt(scale));
      else if (x < 0.93) spend(day, EVERYDAY[4] ?? PHARMACY, 1);
      else if (x < 0.96)
        add(day, r.int(7, 22), {
          amountMinor: r.int(5, 30) * 10_000,
          direction: 'debit',
          channel: 'atm',
          counterpartyName: '',
          counterpartyAccount: '',
          mcc: '6011',
          description: 'ATM取款',
        });
      else if (x < 0.98)
        add(day, r.int(8, 22), {
          amountMinor: fen(r, 500, 5_000),
          direction: 'debit',
          channel: 'online',
          counterpartyName: family,
          counterpartyAccount: familyAccount,
          mcc: '',
          description: '转账',
        });
      else if (x < 0.99)
        add(day, r.int(8, 22), {
          amountMinor: fen(r, 200, 5_000),
          direction: 'credit',
          channel: 'transfer',
          counterpartyName: family,
          counterpartyAccount: familyAccount,
          mcc: '',
          description: '转账收入',
        });
      else if (x < 0.997) spend(day, PHARMACY);
      else spend(day, DOCTOR);
    }

    if (sick) {
      const daysSick = day - onset;
      // One hospital, several days a month, rising bills; tests and medicine around them.
      if (daysSick % 6 === 0 || r.chance(0.1))
        add(day, r.int(8, 16), {
          amountMinor: Math.min(6_000_000, Math.round((500_000 + daysSick * 40_000) * (0.8 + r.next() * 0.5))),
          direction: 'debit',
          channel: 'card',
          counterpartyName: hospital,
          counterpartyAccount: '',
          mcc: '8062',
          description: '住院医疗费',
        });
      if (r.chance(0.08)) spend(day, LAB);
      if (r.chance(0.15)) spend(day, PHARMACY, 6);
      if (day === redemptionDay)
        add(day, r.int(9, 15), {
          amountMinor: fen(r, 50_000, 300_000),
          direction: 'credit',
          channel: 'online',
          counterpartyName: '本行财富管理',
          counterpartyAccount: '',
          mcc: '',
          description: '理财产品提前赎回 稳健理财180天',
        });
      if (day === payoutDay)
        add(day, r.int(10, 16), {
          amountMinor: fen(r, 200_000, 500_000),
          direction: 'credit',
          channel: 'transfer',
          counterpartyName: r.pick(INSURERS),
          counterpartyAccount: `11001${pad(r.int(0, 99_999_999), 11)}`,
          mcc: '',
          description: '重大疾病保险理赔款',
        });
      if (crowdfunding && daysSick > 5 && (daysSick === 6 || r.chance(0.06)))
        add(day, r.int(8, 22), {
          amountMinor: fen(r, 3_000, 30_000),
          direction: 'credit',
          channel: 'transfer',
          counterpartyName: r.pick(CROWDFUNDING),
          counterpartyAccount: '',
          mcc: '',
          description: '筹款提现',
        });
    }

    if (day === fraudDay) plant(day);
  }

  function plant(day: number): void {
    const kind = fraud || lookalike;
    switch (kind) {
      case 'outflow_above_baseline':
        add(day, r.int(10, 18), {
          amountMinor: fen(r, 30_000, 80_000),
          direction: 'debit',
          channel: 'card',
          counterpartyName: '周大福珠宝',
          counterpartyAccount: '',
          mcc: '5944',
          description: '珠宝首饰',
        });
        break;
      case 'new_payee_large':
        add(day, r.int(10, 18), {
          amountMinor: fen(r, 15_000, 50_000),
          direction: 'debit',
          channel: 'online',
          counterpartyName: '安全账户',
          counterpartyAccount: `6230${pad(r.int(0, 999_999_999), 12)}`,
          mcc: '',
          description: '转账',
        });
        break;
      case 'outflow_burst': {
        const hour = r.int(10, 19);
        for (let k = 0; k < 6; k++)
          add(day, hour, {
            amountMinor: fen(r, 800, 2_000),
            direction: 'debit',
            channel: 'online',
            counterpartyName: '游戏充值平台',
            counterpartyAccount: '',
            mcc: '5816',
            description: '充值',
          });
        break;
      }
      case 'unusual_hour':
        add(day, r.int(1, 4), {
          amountMinor: fen(r, 3_000, 4_500),
          direction: 'debit',
          channel: 'online',
          counterpartyName: '电商商城',
          counterpartyAccount: '',
          mcc: '5399',
          description: '网上购物',
        });
        break;
      case 'large_cash_withdrawal':
        add(day, r.int(9, 20), {
          amountMinor: 2_000_000,
          direction: 'debit',
          channel: 'atm',
          counterpartyName: '',
          counterpartyAccount: '',
          mcc: '6011',
          description: 'ATM取款',
        });
        break;
      case 'routine_pharmacy':
        spend(day, PHARMACY);
        break;
      case 'planned_purchase':
        // Announced: the own savings account shows up first; the big payments carry the bank's reservation mark.
        add(Math.max(0, day - 20), 10, {
          accountId: ownSecond,
          amountMinor: 1_234,
          direction: 'credit',
          channel: 'transfer',
          counterpartyName: '本行',
          counterpartyAccount: '',
          mcc: '',
          description: '利息',
        });
        add(day, 10, {
          amountMinor: fen(r, 50_000, 100_000),
          direction: 'debit',
          channel: 'online',
          counterpartyName: '本人',
          counterpartyAccount: ownSecond,
          mcc: '',
          description: '转入本人储蓄账户',
        });
        add(day, 14, {
          amountMinor: fen(r, 100_000, 300_000),
          direction: 'debit',
          channel: 'counter',
          counterpartyName: '杭州绿城置业有限公司',
          counterpartyAccount: `33001${pad(r.int(0, 99_999_999), 11)}`,
          mcc: '',
          description: '购房首付款（大额预约）',
        });
        add(day, 15, {
          amountMinor: fen(r, 50_000, 80_000),
          direction: 'debit',
          channel: 'counter',
          counterpartyName: '',
          counterpartyAccount: '',
          mcc: '',
          description: '大额取现预约',
        });
        break;
    }
  }

  rows.sort((a, b) => a.atMs - b.atMs);
  rows.forEach((row, k) => {
    row.txnId = `${customerNumber}-${pad(row.day, 3)}-${pad(k, 4)}`;
  });
  return { rows, labels };
}

/** One generated row as a CSV line (API.md's columns, RFC 4180 quoting). */
export function csvLine(row: GenRow): string {
  return `${row.txnId},${row.accountId},${row.customerNumber},${new Date(row.atMs).toISOString()},${row.amountMinor},CNY,${row.direction},${row.channel},${csvField(row.counterpartyName)},${row.counterpartyAccount},${row.mcc},${csvField(row.description)}\n`;
}

/** One generated row as an NDJSON line. */
export function ndjsonLine(row: GenRow): string {
  return `${JSON.stringify({
    txn_id: row.txnId,
    account_id: row.accountId,
    customer_number: row.customerNumber,
    booked_at: new Date(row.atMs).toISOString(),
    amount_minor: row.amountMinor,
    currency: 'CNY',
    direction: row.direction,
    channel: row.channel,
    counterparty_name: row.counterpartyName,
    counterparty_account: row.counterpartyAccount,
    mcc: row.mcc || null,
    description: row.description,
  })}\n`;
}
