/**
 * Loan repayment schedules (P4.1, P7.1.1; API.md "Loan schedules"): annuity or equal principal,
 * optional interest-only grace months, every amount in fen. The arithmetic is exact: the rate is
 * read as a decimal fraction and every product is taken in integers (BigInt), then rounded half-up
 * to the fen where API.md says so, so a schedule is the same on every machine and for every amount.
 */

export const REPAYMENT_METHODS = ['annuity', 'equal_principal'] as const;
export type RepaymentMethod = (typeof REPAYMENT_METHODS)[number];

export interface ScheduleInput {
  principalMinor: number;
  annualRatePercent: number;
  months: number;
  method: RepaymentMethod;
  /** `YYYY-MM-DD`; instalment n falls n months after it. */
  startOn: string;
  graceMonths?: number;
}

export interface Instalment {
  n: number;
  dueOn: string;
  principalMinor: number;
  interestMinor: number;
  totalMinor: number;
  /** What is still owed after this instalment. */
  balanceMinor: number;
}

export interface Schedule {
  instalments: Instalment[];
  totalInterestMinor: number;
}

/** A non-negative decimal as an exact fraction: 4.35 → 435/100. */
function fraction(value: number): { num: bigint; den: bigint } {
  // Number's shortest round-trip text is the decimal the caller wrote (4.35, not 4.3499999…).
  const text = value.toString();
  if (!/^\d+(\.\d+)?$/.test(text)) throw new RangeError(`not a plain decimal: ${text}`);
  const [whole = '0', decimals = ''] = text.split('.');
  return { num: BigInt(whole + decimals), den: 10n ** BigInt(decimals.length) };
}

/** num/den rounded half-up to an integer (num, den ≥ 0). */
function roundHalfUp(num: bigint, den: bigint): bigint {
  return (2n * num + den) / (2n * den);
}

/** The date `months` calendar months after `start`, on its day or the month's last day. */
export function addMonthsClamped(start: string, months: number): string {
  const [y = 0, m = 1, d = 1] = start.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, last))).toISOString().slice(0, 10);
}

/**
 * The schedule API.md defines: monthly rate = annual rate / 12; a month's interest is the balance
 * before it × the monthly rate, rounded half-up to the fen; the first `graceMonths` instalments pay
 * interest only; the last instalment pays the exact remaining balance, so the principals add up to
 * the loan and the final balance is 0.
 */
export function repaymentSchedule(input: ScheduleInput): Schedule {
  const grace = input.graceMonths ?? 0;
  if (!Number.isInteger(input.months) || input.months < 1) throw new RangeError('months must be a positive integer');
  if (!Number.isInteger(grace) || grace < 0 || grace >= input.months) throw new RangeError('grace months must leave a month to repay');
  if (!Number.isSafeInteger(input.principalMinor) || input.principalMinor < 1) throw new RangeError('principal must be a positive integer');
  const rate = fraction(input.annualRatePercent);
  // Monthly rate r = a / b.
  const a = rate.num;
  const b = rate.den * 1200n;
  const interestOn = (balance: bigint) => roundHalfUp(balance * a, b);
  const repaying = BigInt(input.months - grace);

  const principal = BigInt(input.principalMinor);
  let annuity = 0n;
  if (input.method === 'annuity') {
    if (a === 0n) annuity = roundHalfUp(principal, repaying);
    else {
      // A = P·r·(1+r)^n / ((1+r)^n − 1) with r = a/b: P·a·(b+a)^n / (b·((b+a)^n − b^n)).
      const grown = (b + a) ** repaying;
      annuity = roundHalfUp(principal * a * grown, b * (grown - b ** repaying));
    }
  }
  const equalShare = principal / repaying;

  const instalments: Instalment[] = [];
  let balance = principal;
  let totalInterest = 0n;
  for (let n = 1; n <= input.months; n += 1) {
    const interest = interestOn(balance);
    let part: bigint;
    if (n <= grace) part = 0n;
    else if (n === input.months) part = balance;
    else if (input.method === 'annuity') part = annuity - interest;
    else part = equalShare;
    // Rounding can never make a part exceed what is owed but one guard costs nothing.
    if (part > balance) part = balance;
    if (part < 0n) part = 0n;
    balance -= part;
    totalInterest += interest;
    instalments.push({
      n,
      dueOn: addMonthsClamped(input.startOn, n),
      principalMinor: Number(part),
      interestMinor: Number(interest),
      totalMinor: Number(part + interest),
      balanceMinor: Number(balance),
    });
  }
  return { instalments, totalInterestMinor: Number(totalInterest) };
}
