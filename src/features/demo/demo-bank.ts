import { createHash } from 'node:crypto';
import { makeResidentId } from '../../domain/national-id.js';
import { type Random, seededRandom } from '../../domain/random.js';
import type { TransactionTable } from '../../platform/db/tables/transactions.js';
import type { AppContext } from '../../platform/http/context.js';
import {
  type AccountInput,
  type CustomerInput,
  type HoldingInput,
  type LoanInput,
  loadAccounts,
  loadCustomers,
  loadHoldings,
  loadLoans,
} from '../customers/customers.service.js';
import { storeTransactions } from '../transactions/transactions.service.js';

/**
 * The synthetic demo bank (docs/demo-data.md): customers of a bank in Hangzhou with accounts,
 * loans, wealth products and 90 days of transactions, a few of them showing the pattern of a
 * critical illness (P2.2.3) for the analysis features to find. Everything follows from the seed:
 * the same seed gives the same customers, names, numbers and amounts. All of it is invented;
 * national IDs have a valid format and check character but belong to no one on purpose.
 */

const DAY_MS = 86_400_000;
const HISTORY_DAYS = 90;
const BATCH = 50;
// Beijing time: people shop and get paid by the local clock, instants are stored in UTC.
const UTC_OFFSET_HOURS = 8;

// Ordered by frequency: pickSkewed favours the common ones.
const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金',
];
const MALE_GIVEN =
  '伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 宇 浩 建华 建国 志强 海涛 晓东 文博 子轩 浩然 宇航 国平 俊杰 立新 振宇 家豪 明辉 永康'.split(
    ' ',
  );
const FEMALE_GIVEN =
  '芳 娜 敏 静 丽 艳 娟 霞 燕 玲 婷 雪 慧 颖 琳 倩 洁 萍 红 梅 秀英 桂英 丽娟 晓燕 雅琴 欣怡 梓涵 诗涵 佳怡 雨萱 淑芬 美玲 思琪 文静 海燕 玉兰'.split(
    ' ',
  );

/** Registration regions of birth: Hangzhou districts mostly, then other cities. */
const BIRTH_REGIONS =
  '330102 330105 330106 330108 330109 330110 330106 330102 330381 330683 320102 310115 110105 340104 360102 420106 430104 510107 440305 370102'.split(
    ' ',
  );

const DISTRICTS: Record<'HQ' | 'EAST' | 'WEST', readonly string[]> = {
  HQ: ['上城区', '拱墅区', '西湖区', '滨江区'],
  EAST: ['上城区', '滨江区', '萧山区', '钱塘区'],
  WEST: ['西湖区', '余杭区', '拱墅区', '临平区'],
};
const ROADS = '解放路 庆春路 文三路 天目山路 延安路 江南大道 文一西路 莫干山路 秋涛路 钱江路 古墩路 学院路'.split(' ');
const MOBILE_PREFIXES = '130 131 133 135 136 137 138 139 150 151 152 157 158 159 177 180 186 187 188 189 199'.split(' ');
const EMPLOYERS =
  '杭州西子智能科技有限公司 浙江恒远贸易有限公司 杭州市第十四中学 浙江钱塘电力工程有限公司 杭州新城建设集团有限公司 杭州云栖软件有限公司 浙江湖畔物流有限公司 杭州市西湖区人民政府 浙江丝路纺织股份有限公司 杭州之江医药有限公司'.split(
    ' ',
  );
const PENSION_PAYER = '杭州市社会保险事业管理中心';

/** A merchant category with merchants and an amount range in yuan. */
interface Spend {
  mcc: string;
  merchants: readonly string[];
  min: number;
  max: number;
  description: string;
}
const GROCERIES: Spend = {
  mcc: '5411',
  merchants: ['华润万家', '世纪联华超市', '鲜丰水果', '邻里生鲜超市'],
  min: 30,
  max: 400,
  description: '超市购物',
};
const RESTAURANTS: Spend = {
  mcc: '5812',
  merchants: ['湖畔人家餐厅', '老街面馆', '江南小厨', '知味小笼', '外婆味道'],
  min: 25,
  max: 260,
  description: '餐饮消费',
};
const FUEL: Spend = { mcc: '5541', merchants: ['中石化加油站', '中石油加油站'], min: 200, max: 500, description: '加油' };
const ONLINE: Spend = { mcc: '5399', merchants: ['网购平台', '电商商城'], min: 40, max: 1500, description: '网上购物' };
const DEPARTMENT: Spend = { mcc: '5311', merchants: ['杭州大厦', '银泰百货'], min: 200, max: 3000, description: '百货购物' };
const PHARMACY: Spend = { mcc: '5912', merchants: ['康宁大药房', '惠民药房', '同心堂药店'], min: 30, max: 200, description: '药店购药' };
const DOCTOR: Spend = {
  mcc: '8011',
  merchants: ['仁心诊所', '社区卫生服务中心', '明德中医门诊部'],
  min: 80,
  max: 600,
  description: '门诊诊疗费',
};
const LAB: Spend = { mcc: '8071', merchants: ['西湖医学检验所', '之江影像中心'], min: 300, max: 2500, description: '检查检验费' };
const HOSPITALS = ['西湖人民医院', '钱塘中心医院', '浙江协和肿瘤医院', '杭州仁济医院'] as const;

/** The bank's wealth products: code, name, risk level (R1 lowest), term in days if any. */
const PRODUCTS = [
  { code: 'MMF001', name: '天天利货币基金', risk: 'R1', termDays: null, segments: ['mass', 'affluent', 'private'] },
  { code: 'SDP090', name: '结构性存款90天', risk: 'R1', termDays: 90, segments: ['mass', 'affluent', 'private'] },
  { code: 'WMP180', name: '稳健理财180天', risk: 'R2', termDays: 180, segments: ['mass', 'affluent', 'private'] },
  { code: 'WMP365', name: '稳健理财一年期', risk: 'R2', termDays: 365, segments: ['mass', 'affluent', 'private'] },
  { code: 'BND002', name: '纯债债券基金', risk: 'R2', termDays: null, segments: ['mass', 'affluent', 'private'] },
  { code: 'MIX003', name: '平衡混合型基金', risk: 'R3', termDays: null, segments: ['mass', 'affluent', 'private'] },
  { code: 'GLD001', name: '黄金积存', risk: 'R3', termDays: null, segments: ['affluent', 'private'] },
  { code: 'EQF004', name: '成长股票型基金', risk: 'R4', termDays: null, segments: ['affluent', 'private'] },
  { code: 'IDX300', name: '沪深300指数基金', risk: 'R4', termDays: null, segments: ['affluent', 'private'] },
  { code: 'PEF001', name: '私募股权基金一期', risk: 'R5', termDays: null, segments: ['private'] },
] as const;

type Segment = CustomerInput['segment'];
type BranchCode = 'HQ' | 'EAST' | 'WEST';

/** The well-known demo customers (docs/demo-data.md): the same for every seed, for demos and browser tests. */
const FEATURED: readonly {
  name: string;
  gender: 'F' | 'M';
  dateOfBirth: string;
  region: string;
  sequence: number;
  phone: string;
  address: string;
  branch: BranchCode;
  segment: Segment;
  ill: boolean;
}[] = [
  {
    name: '李建华',
    gender: 'M',
    dateOfBirth: '1968-04-12',
    region: '330106',
    sequence: 123,
    phone: '13957100001',
    address: '浙江省杭州市上城区解放路88号3幢2单元601室',
    branch: 'EAST',
    segment: 'affluent',
    ill: true,
  },
  {
    name: '王秀英',
    gender: 'F',
    dateOfBirth: '1956-09-23',
    region: '330102',
    sequence: 246,
    phone: '13957100002',
    address: '浙江省杭州市滨江区江南大道1180号5幢1单元302室',
    branch: 'EAST',
    segment: 'mass',
    ill: false,
  },
  {
    name: '陈志强',
    gender: 'M',
    dateOfBirth: '1975-01-30',
    region: '330105',
    sequence: 317,
    phone: '13957100003',
    address: '浙江省杭州市西湖区文三路259号2幢1801室',
    branch: 'WEST',
    segment: 'private',
    ill: true,
  },
  {
    name: '刘婷',
    gender: 'F',
    dateOfBirth: '1990-07-08',
    region: '330106',
    sequence: 428,
    phone: '13957100004',
    address: '浙江省杭州市余杭区文一西路969号7幢2单元1203室',
    branch: 'WEST',
    segment: 'mass',
    ill: false,
  },
  {
    name: '赵国庆',
    gender: 'M',
    dateOfBirth: '1963-10-01',
    region: '110105',
    sequence: 551,
    phone: '13957100005',
    address: '浙江省杭州市拱墅区莫干山路100号1幢801室',
    branch: 'HQ',
    segment: 'affluent',
    ill: false,
  },
];

/** Everything the demo bank holds about one customer. */
export interface DemoCustomer {
  customer: CustomerInput;
  accounts: AccountInput[];
  loans: LoanInput[];
  holdings: HoldingInput[];
  transactions: TransactionTable[];
  /** Whether the customer's transactions show the pattern of a critical illness. */
  ill: boolean;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const yuan = (r: Random, min: number, max: number, scale = 1) => Math.round(r.int(min * 100, max * 100) * scale);
const digits = (r: Random, n: number) => Array.from({ length: n }, () => r.int(0, 9)).join('');

/** The demo customer number of the i-th customer (1-based): C0000001, C0000002, … */
export function demoCustomerNumber(index: number): string {
  return `C${pad(index, 7)}`;
}

function randomDate(r: Random, fromYear: number, toYear: number): string {
  const from = Date.UTC(fromYear, 0, 1);
  const to = Date.UTC(toYear, 11, 31);
  return day(from + r.int(0, Math.floor((to - from) / DAY_MS)) * DAY_MS);
}

/** The monthly date (day of month `dom`) on or after `fromMs`. */
function nextMonthly(fromMs: number, dom: number): string {
  const d = new Date(fromMs);
  let candidate = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), dom);
  if (candidate < Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()))
    candidate = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, dom);
  return day(candidate);
}

/** The same day `years` later; 29 February becomes 1 March in a common year. */
function addYears(date: string, years: number): string {
  return day(Date.UTC(Number(date.slice(0, 4)) + years, Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))));
}

/**
 * The level payment of an annuity loan, rounded to the fen. Floating point is acceptable here: the
 * figure only has to be plausible demo data, no one is charged by it.
 */
function annuity(principalMinor: number, rateBp: number, months: number): number {
  const monthly = rateBp / 10_000 / 12;
  if (monthly === 0) return Math.round(principalMinor / months);
  return Math.round((principalMinor * monthly) / (1 - (1 + monthly) ** -months));
}

/** The balance left after `paid` level payments (same caveat as annuity()). */
function remaining(principalMinor: number, rateBp: number, months: number, paid: number): number {
  const monthly = rateBp / 10_000 / 12;
  const payment = annuity(principalMinor, rateBp, months);
  if (monthly === 0) return Math.max(0, principalMinor - payment * paid);
  const left = principalMinor * (1 + monthly) ** paid - (payment * ((1 + monthly) ** paid - 1)) / monthly;
  return Math.max(0, Math.round(left));
}

/** A deterministic UUIDv7 for a demo row: a fixed time plus the row's position, the rest from a hash. */
function demoId(seed: number, key: string, index: number): string {
  const bytes = createHash('sha256').update(`lifeline-demo|${seed}|${key}`).digest().subarray(0, 16);
  bytes.writeUIntBE(Date.UTC(2024, 0, 1) + index, 0, 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function segmentScale(segment: Segment): number {
  return segment === 'private' ? 6 : segment === 'affluent' ? 2.5 : 1;
}

/**
 * Generates the i-th demo customer (1-based) for a seed, with transactions over the 90 days up to
 * `now`. Pure: the same arguments always give the same customer.
 */
export function demoCustomer(seed: number, index: number, now: Date): DemoCustomer {
  const r = seededRandom(`lifeline-demo:${seed}:${index}`);
  const customerNumber = demoCustomerNumber(index);
  const featured = FEATURED[index - 1];

  const gender: 'F' | 'M' = featured?.gender ?? (r.chance(0.5) ? 'F' : 'M');
  const name = featured?.name ?? `${r.pickSkewed(SURNAMES)}${r.pick(gender === 'F' ? FEMALE_GIVEN : MALE_GIVEN)}`;
  const dateOfBirth = featured?.dateOfBirth ?? randomDate(r, 1945, 2003);
  const region = featured?.region ?? r.pick(BIRTH_REGIONS);
  // The sequence number's parity is the holder's sex: odd for men, even for women.
  const sequence = featured?.sequence ?? r.int(0, 499) * 2 + (gender === 'M' ? 1 : 0);
  const nationalId = makeResidentId(region, dateOfBirth, sequence);
  const phone = featured?.phone ?? `${r.pick(MOBILE_PREFIXES)}${digits(r, 8)}`;
  const roll = r.next();
  const branch: BranchCode = featured?.branch ?? (roll < 0.04 ? 'HQ' : roll < 0.52 ? 'EAST' : 'WEST');
  const address =
    featured?.address ??
    `浙江省杭州市${r.pick(DISTRICTS[branch])}${r.pick(ROADS)}${r.int(1, 999)}号${r.int(1, 20)}幢${r.int(1, 4)}单元${r.int(1, 28)}0${r.int(1, 4)}室`;
  const segmentRoll = r.next();
  const segment: Segment = featured?.segment ?? (segmentRoll < 0.05 ? 'private' : segmentRoll < 0.3 ? 'affluent' : 'mass');
  const adult = Number(dateOfBirth.slice(0, 4)) + 18;
  const openedOn = randomDate(r, Math.max(2000, adult), 2024);
  const ill = featured?.ill ?? r.chance(0.025);
  const scale = segmentScale(segment);

  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const age = now.getUTCFullYear() - Number(dateOfBirth.slice(0, 4));

  // Accounts: a current or savings account that receives salary and pays cards, and up to two more.
  const accounts: AccountInput[] = [];
  const account = (type: AccountInput['type'], balanceMinor: number, status: AccountInput['status'] = 'active') =>
    accounts.push({
      accountNumber: `62178800${pad(index, 7)}${accounts.length + 1}`,
      customerNumber,
      type,
      currency: 'CNY',
      balanceMinor,
      status,
      openedOn: accounts.length === 0 ? openedOn : randomDate(r, Number(openedOn.slice(0, 4)), 2025),
    });
  account(r.chance(0.6) ? 'current' : 'savings', yuan(r, 2_000, 80_000, scale));
  if (r.chance(segment === 'mass' ? 0.35 : 0.8)) account('time_deposit', yuan(r, 20_000, 300_000, scale));
  if (r.chance(0.45)) account(r.chance(0.6) ? 'card' : 'savings', yuan(r, 0, 20_000, scale), r.chance(0.08) ? 'dormant' : 'active');
  const primary = accounts[0]?.accountNumber ?? '';

  // Loans for about 40 %: mortgages for the settled, consumer and business loans, credit cards.
  const loans: LoanInput[] = [];
  if (featured?.ill || r.chance(0.4)) {
    const count = r.chance(0.15) ? 2 : 1;
    for (let k = 1; k <= count; k++) {
      const product = r.pick(
        age >= 28 && age <= 60
          ? (['mortgage', 'mortgage', 'consumer', 'business', 'credit_card'] as const)
          : (['consumer', 'credit_card'] as const),
      );
      const terms = {
        mortgage: { min: 600_000, max: 3_000_000, rate: [310, 420], years: [20, 30] },
        consumer: { min: 20_000, max: 200_000, rate: [350, 1_200], years: [1, 5] },
        business: { min: 200_000, max: 2_000_000, rate: [380, 650], years: [1, 5] },
        credit_card: { min: 10_000, max: 100_000, rate: [1_825, 1_825], years: [5, 5] },
      }[product];
      const principal = yuan(r, terms.min, terms.max, product === 'credit_card' ? 1 : Math.sqrt(scale));
      const rateBp = r.int(terms.rate[0] ?? 0, terms.rate[1] ?? 0);
      const years = r.int(terms.years[0] ?? 1, terms.years[1] ?? 1);
      const monthsRun = r.int(3, Math.min(years * 12 - 1, 120));
      const start = day(today - monthsRun * 30 * DAY_MS);
      const dom = Math.min(28, Number(start.slice(8, 10)));
      // The well-known ill customers always show the whole story, an overdue loan included.
      const overdue = ill && (featured !== undefined || r.chance(0.7));
      const outstanding =
        product === 'credit_card' ? Math.round((principal * r.int(5, 80)) / 100) : remaining(principal, rateBp, years * 12, monthsRun);
      const instalment =
        // A card's minimum payment is a tenth of the balance, at least 100 yuan.
        product === 'credit_card' ? Math.max(10_000, Math.round(outstanding / 10)) : annuity(principal, rateBp, years * 12);
      loans.push({
        loanNumber: `LN${pad(index, 7)}${k}`,
        customerNumber,
        product,
        currency: 'CNY',
        principalMinor: principal,
        outstandingMinor: outstanding,
        interestRateBp: rateBp,
        instalmentMinor: instalment,
        startDate: start,
        maturityDate: addYears(start, years),
        nextPaymentDate: nextMonthly(today, dom),
        daysPastDue: overdue ? r.int(12, 45) : 0,
        status: overdue ? 'overdue' : 'performing',
      });
    }
  }

  // Wealth products for about half, riskier ones for richer customers.
  const holdings: HoldingInput[] = [];
  if (featured?.ill || r.chance(segment === 'mass' ? 0.4 : 0.75)) {
    const offer = PRODUCTS.filter((p) => p.segments.some((s) => s === segment));
    const count = r.int(1, 3);
    for (let k = 1; k <= count; k++) {
      // Each product at most once per customer.
      const p = offer.splice(r.int(0, offer.length - 1), 1)[0];
      if (!p) break;
      const acquiredOn = day(today - r.int(20, 1_400) * DAY_MS);
      holdings.push({
        holdingRef: `WM${pad(index, 7)}${pad(k, 2)}`,
        customerNumber,
        productCode: p.code,
        productName: p.name,
        riskLevel: p.risk,
        currency: 'CNY',
        marketValueMinor: yuan(r, 10_000, 300_000, scale),
        acquiredOn,
        maturityDate: p.termDays === null ? null : day(Date.parse(`${acquiredOn}T00:00:00Z`) + p.termDays * DAY_MS),
      });
    }
  }

  // Ninety days of transactions.
  interface Draft {
    at: number;
    direction: 'debit' | 'credit';
    amount: number;
    channel: TransactionTable['channel'];
    mcc: string | null;
    counterparty: string | null;
    counterpartyAccount: string | null;
    description: string;
  }
  const drafts: Draft[] = [];
  const at = (dayMs: number, fromHour: number, toHour: number) =>
    dayMs + (r.int(fromHour, toHour) - UTC_OFFSET_HOURS) * 3_600_000 + r.int(0, 59) * 60_000 + r.int(0, 59) * 1_000;
  const spend = (dayMs: number, s: Spend, factor = 1, channel: TransactionTable['channel'] = 'card') =>
    drafts.push({
      at: at(dayMs, 8, 21),
      direction: 'debit',
      amount: yuan(r, s.min, s.max, factor),
      channel,
      mcc: s.mcc,
      counterparty: r.pick(s.merchants),
      counterpartyAccount: null,
      description: s.description,
    });

  const retired = age >= 60;
  const employed = !retired && (featured?.ill === true || r.chance(0.9));
  const salary = yuan(r, 6_000, 15_000, scale);
  const employer = r.pick(EMPLOYERS);
  const employerAccount = `33050${digits(r, 11)}`;
  const familyName = `${name.slice(0, 1)}${r.pick(r.chance(0.5) ? FEMALE_GIVEN : MALE_GIVEN)}`;
  const familyAccount = `6222${digits(r, 12)}`;
  const spendFactor = Math.sqrt(scale);
  // The illness starts 50–70 days ago, so the history holds weeks before and after.
  const onset = ill ? today - r.int(50, 70) * DAY_MS : Number.POSITIVE_INFINITY;
  const hospital = r.pick(HOSPITALS);
  const payoutDay = onset + r.int(20, 35) * DAY_MS;
  const redemptionDay = onset + r.int(8, 18) * DAY_MS;
  const crowdfunding = ill && r.chance(0.5);
  let lastSalaryAfterOnset = false;

  for (let d = HISTORY_DAYS - 1; d >= 0; d--) {
    const dayMs = today - d * DAY_MS;
    const dom = new Date(dayMs).getUTCDate();
    const sick = dayMs >= onset;
    const daysSick = Math.floor((dayMs - onset) / DAY_MS);
    const lively = sick ? 0.4 : 1;

    if (dom === 10 && employed) {
      // Payroll goes on for one month after the illness starts (sick pay), then stops.
      if (!sick || !lastSalaryAfterOnset) {
        if (sick) lastSalaryAfterOnset = true;
        drafts.push({
          at: at(dayMs, 9, 10),
          direction: 'credit',
          amount: salary,
          channel: 'transfer',
          mcc: null,
          counterparty: employer,
          counterpartyAccount: employerAccount,
          description: '工资',
        });
      }
    }
    if (dom === 15 && retired) {
      drafts.push({
        at: at(dayMs, 9, 10),
        direction: 'credit',
        amount: yuan(r, 3_000, 8_000),
        channel: 'transfer',
        mcc: null,
        counterparty: PENSION_PAYER,
        counterpartyAccount: null,
        description: '养老金',
      });
    }
    if (dom === 5) {
      drafts.push({
        at: at(dayMs, 2, 6),
        direction: 'debit',
        amount: yuan(r, 80, 600),
        channel: 'direct_debit',
        mcc: '4900',
        counterparty: '杭州市水电燃气公共服务',
        counterpartyAccount: null,
        description: '水电燃气费',
      });
    }
    if (dom === 18) {
      drafts.push({
        at: at(dayMs, 2, 6),
        direction: 'debit',
        amount: yuan(r, 58, 298),
        channel: 'direct_debit',
        mcc: '4814',
        counterparty: '通信运营商',
        counterpartyAccount: null,
        description: '话费',
      });
    }
    for (const loan of loans) {
      if (loan.product === 'credit_card' || dom !== Math.min(28, Number(loan.startDate.slice(8, 10)))) continue;
      // An overdue loan's last instalments were missed.
      if (loan.daysPastDue > 0 && d < loan.daysPastDue) continue;
      drafts.push({
        at: at(dayMs, 1, 5),
        direction: 'debit',
        amount: loan.instalmentMinor,
        channel: 'direct_debit',
        mcc: null,
        counterparty: '本行个人贷款',
        counterpartyAccount: loan.loanNumber,
        description: `贷款还款 ${loan.loanNumber}`,
      });
    }

    if (r.chance(0.3 * lively)) spend(dayMs, GROCERIES, spendFactor);
    if (r.chance(0.4 * lively)) spend(dayMs, RESTAURANTS, spendFactor);
    if (r.chance(0.06 * lively)) spend(dayMs, FUEL);
    if (r.chance(0.12 * lively)) spend(dayMs, ONLINE, spendFactor, 'online');
    if (r.chance(0.04 * lively)) spend(dayMs, DEPARTMENT, scale);
    if (r.chance(0.04)) {
      drafts.push({
        at: at(dayMs, 7, 22),
        direction: 'debit',
        amount: r.int(5, 30) * 10_000,
        channel: 'atm',
        mcc: '6011',
        counterparty: null,
        counterpartyAccount: null,
        description: 'ATM取款',
      });
    }
    if (r.chance(0.03)) {
      drafts.push({
        at: at(dayMs, 8, 22),
        direction: 'debit',
        amount: yuan(r, 500, 20_000, scale),
        channel: 'online',
        mcc: null,
        counterparty: familyName,
        counterpartyAccount: familyAccount,
        description: '转账',
      });
    }
    if (r.chance(0.02)) {
      drafts.push({
        at: at(dayMs, 8, 22),
        direction: 'credit',
        amount: yuan(r, 200, 5_000, scale),
        channel: 'transfer',
        mcc: null,
        counterparty: familyName,
        counterpartyAccount: familyAccount,
        description: '转账收入',
      });
    }

    if (!sick) {
      // Everyone sees a doctor or buys medicine now and then: the baseline the signals rise above.
      if (r.chance(0.02)) spend(dayMs, PHARMACY);
      if (r.chance(0.005)) spend(dayMs, DOCTOR);
      continue;
    }
    // The illness: recurring, rising payments to one hospital, tests, medicine.
    if (r.chance(0.28)) {
      const amount = Math.min(6_000_000, Math.round((150_000 + daysSick * 40_000) * (0.8 + r.next() * 0.5)));
      drafts.push({
        at: at(dayMs, 8, 17),
        direction: 'debit',
        amount,
        channel: 'card',
        mcc: '8062',
        counterparty: hospital,
        counterpartyAccount: null,
        description: '住院医疗费',
      });
    }
    if (r.chance(0.08)) spend(dayMs, LAB);
    if (r.chance(0.15)) spend(dayMs, PHARMACY, 6);
    if (r.chance(0.05)) spend(dayMs, DOCTOR);
    if (dayMs === redemptionDay) {
      const early = holdings[0] ? `理财产品提前赎回 ${holdings[0].productName}` : '定期存款提前支取';
      drafts.push({
        at: at(dayMs, 9, 15),
        direction: 'credit',
        amount: yuan(r, 50_000, 300_000, spendFactor),
        channel: 'online',
        mcc: null,
        counterparty: '本行财富管理',
        counterpartyAccount: null,
        description: early,
      });
    }
    if (dayMs === payoutDay) {
      drafts.push({
        at: at(dayMs, 10, 16),
        direction: 'credit',
        amount: yuan(r, 200_000, 500_000),
        channel: 'transfer',
        mcc: null,
        counterparty: '安康人寿保险股份有限公司',
        counterpartyAccount: `11001${digits(r, 11)}`,
        description: '重大疾病保险理赔款',
      });
    }
    if (crowdfunding && r.chance(0.06)) {
      drafts.push({
        at: at(dayMs, 8, 22),
        direction: 'credit',
        amount: yuan(r, 3_000, 30_000),
        channel: 'transfer',
        mcc: null,
        counterparty: '爱心筹公益平台',
        counterpartyAccount: null,
        description: '医疗筹款',
      });
    }
  }

  const nowMs = now.getTime();
  const ingestedAt = now.toISOString();
  const transactions = drafts
    .filter((t) => t.at <= nowMs)
    .sort((a, b) => a.at - b.at)
    .map(
      (t, k): TransactionTable => ({
        txn_id: `DEMO-${seed}-${customerNumber}-${pad(k + 1, 4)}`,
        account_id: primary,
        customer_number: customerNumber,
        booked_at: new Date(t.at).toISOString(),
        amount_minor: t.amount,
        currency: 'CNY',
        direction: t.direction,
        channel: t.channel,
        counterparty_name: t.counterparty,
        counterparty_account: t.counterpartyAccount,
        mcc: t.mcc,
        description: t.description,
        ingested_at: ingestedAt,
      }),
    );

  // The relationship began with the first product: the first account opened then.
  const since =
    [openedOn, ...accounts.map((a) => a.openedOn), ...loans.map((l) => l.startDate), ...holdings.map((h) => h.acquiredOn)].sort()[0] ??
    openedOn;
  if (accounts[0]) accounts[0].openedOn = since;

  return {
    customer: { customerNumber, name, gender, dateOfBirth, nationalId, phone, address, branchCode: branch, segment, openedOn: since },
    accounts,
    loans,
    holdings,
    transactions,
    ill,
  };
}

/**
 * Generates the synthetic customer base and stores it through the same loaders as the CSV import,
 * a batch of customers per transaction; returns how many customers it wrote. Seeding again with
 * the same seed updates the same customers and adds no transaction twice.
 */
export async function seedDemoBank(
  ctx: AppContext,
  opts: { customers: number; seed: number; branchIds: Record<string, string>; onProgress?: (done: number, total: number) => void },
): Promise<number> {
  for (const code of ['HQ', 'EAST', 'WEST']) if (!opts.branchIds[code]) throw new Error(`demo branch ${code} missing`);
  const now = ctx.now();
  const rowIds = new Map<string, number>();
  const idFor = (key: string) => demoId(opts.seed, key, rowIds.get(key) ?? 0);
  for (let first = 1; first <= opts.customers; first += BATCH) {
    const batch: DemoCustomer[] = [];
    for (let i = first; i < first + BATCH && i <= opts.customers; i++) {
      const c = demoCustomer(opts.seed, i, now);
      batch.push(c);
      for (const key of [
        c.customer.customerNumber,
        ...c.accounts.map((a) => a.accountNumber),
        ...c.loans.map((l) => l.loanNumber),
        ...c.holdings.map((h) => h.holdingRef),
      ]) {
        rowIds.set(key, i);
      }
    }
    await ctx.db.transaction().execute(async (trx) => {
      const options = { idFor };
      const results = [
        await loadCustomers(
          ctx,
          trx,
          batch.map((c) => c.customer),
          options,
        ),
        await loadAccounts(
          ctx,
          trx,
          batch.flatMap((c) => c.accounts),
          options,
        ),
        await loadLoans(
          ctx,
          trx,
          batch.flatMap((c) => c.loans),
          options,
        ),
        await loadHoldings(
          ctx,
          trx,
          batch.flatMap((c) => c.holdings),
          options,
        ),
      ];
      const refused = results.flatMap((r) => r.rejected);
      if (refused.length > 0) throw new Error(`demo data refused: ${refused[0]?.reason}`);
      await storeTransactions(
        trx,
        batch.flatMap((c) => c.transactions),
      );
    });
    opts.onProgress?.(Math.min(first + BATCH - 1, opts.customers), opts.customers);
  }
  return opts.customers;
}
