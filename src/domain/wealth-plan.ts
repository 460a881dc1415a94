/**
 * Wealth re-planning (P4.3.1: "re-plan as the finances change, e.g. switch high-risk products to
 * conservative ones"): from a customer's holdings, the allocation by risk level and the moves that
 * bring it to capital preservation. Pure: no I/O; amounts are integer minor units of one currency
 * (a plan never adds up holdings of different currencies; the caller plans each currency apart).
 *
 * The default rule (docs/wealth-replanning.md): a critically ill customer needs their capital intact
 * and at hand for treatment, so
 * - every R4 and R5 holding is moved in full to R1 (deposits, cash management: liquid, principal-safe);
 * - R3 may stay up to a target share of the portfolio (20 %); the excess moves to R2, taken from the
 *   largest R3 holdings first (fewest transactions for the customer);
 * - R1 and R2 stay as they are.
 */

export const RISK_LEVELS = ['R1', 'R2', 'R3', 'R4', 'R5'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** The levels a plan may move money into: the conservative ones. */
export const CONSERVATIVE_LEVELS = ['R1', 'R2'] as const;
export type ConservativeLevel = (typeof CONSERVATIVE_LEVELS)[number];

/** The high-risk levels, always moved out in full by the default rule. */
export const HIGH_RISK_LEVELS = ['R4', 'R5'] as const;

/** A holding as a plan sees it. */
export interface PlanHolding {
  id: string;
  riskLevel: RiskLevel;
  amountMinor: number;
}

/** A move: take `amountMinor` out of the holding and put it in a product of `toRiskLevel`. */
export interface PlanMove {
  holdingId: string;
  amountMinor: number;
  toRiskLevel: ConservativeLevel;
}

/** Money by risk level, in minor units. */
export type Allocation = Record<RiskLevel, number>;

/** The thresholds of the rule. */
export interface PlanRule {
  /** The share of the portfolio R3 may keep, in basis points (2000 = 20 %). */
  r3MaxShareBp: number;
  /** Where R4–R5 money goes. */
  highRiskTo: ConservativeLevel;
  /** Where R3's excess goes. */
  r3ExcessTo: ConservativeLevel;
}

/** The default rule for a critically ill customer's capital preservation. */
export const DEFAULT_PLAN_RULE: PlanRule = { r3MaxShareBp: 2000, highRiskTo: 'R1', r3ExcessTo: 'R2' };

/** True for R1 or R2. */
export function isConservative(level: unknown): level is ConservativeLevel {
  return (CONSERVATIVE_LEVELS as readonly unknown[]).includes(level);
}

const rank = (level: RiskLevel): number => RISK_LEVELS.indexOf(level);

function emptyAllocation(): Allocation {
  return { R1: 0, R2: 0, R3: 0, R4: 0, R5: 0 };
}

/** The money of the holdings by risk level. */
export function allocationOf(holdings: readonly PlanHolding[]): Allocation {
  const a = emptyAllocation();
  for (const h of holdings) a[h.riskLevel] += h.amountMinor;
  return a;
}

/** The sum of an allocation. */
export function totalOf(a: Allocation): number {
  return RISK_LEVELS.reduce((s, l) => s + a[l], 0);
}

/** The moves the rule proposes (none when the portfolio is already conservative enough). */
export function proposeMoves(holdings: readonly PlanHolding[], rule: PlanRule = DEFAULT_PLAN_RULE): PlanMove[] {
  const moves: PlanMove[] = [];
  const positive = holdings.filter((h) => h.amountMinor > 0);
  // The riskiest and largest first, whatever order the holdings came in: the same plan every time.
  const highRisk = positive
    .filter((h) => (HIGH_RISK_LEVELS as readonly string[]).includes(h.riskLevel))
    .sort((a, b) => rank(b.riskLevel) - rank(a.riskLevel) || b.amountMinor - a.amountMinor || a.id.localeCompare(b.id));
  for (const h of highRisk) moves.push({ holdingId: h.id, amountMinor: h.amountMinor, toRiskLevel: rule.highRiskTo });
  const total = totalOf(allocationOf(positive));
  // Rounded down: the cap never lets R3 keep more than its share.
  const cap = Math.floor((total * rule.r3MaxShareBp) / 10_000);
  const r3 = positive.filter((h) => h.riskLevel === 'R3').sort((a, b) => b.amountMinor - a.amountMinor || a.id.localeCompare(b.id));
  let excess = r3.reduce((s, h) => s + h.amountMinor, 0) - cap;
  for (const h of r3) {
    if (excess <= 0) break;
    const amount = Math.min(excess, h.amountMinor);
    moves.push({ holdingId: h.id, amountMinor: amount, toRiskLevel: rule.r3ExcessTo });
    excess -= amount;
  }
  return moves;
}

/** Why a move cannot be made, by its index and field. */
export interface MoveProblem {
  path: string;
  reason: 'not_owned' | 'exceeds' | 'range' | 'invalid_value';
}

/**
 * Checks moves against the holdings: each names a holding of the customer, takes a positive
 * amount, goes to a conservative level below the holding's own, and the moves out of one holding
 * together take no more than it holds.
 */
export function checkMoves(holdings: readonly PlanHolding[], moves: readonly PlanMove[]): MoveProblem[] {
  const byId = new Map(holdings.map((h) => [h.id, h]));
  const taken = new Map<string, number>();
  const problems: MoveProblem[] = [];
  moves.forEach((m, i) => {
    const h = byId.get(m.holdingId);
    if (!h) {
      problems.push({ path: `${i}.holdingId`, reason: 'not_owned' });
      return;
    }
    if (!Number.isSafeInteger(m.amountMinor) || m.amountMinor <= 0) problems.push({ path: `${i}.amountMinor`, reason: 'range' });
    else {
      const sum = (taken.get(h.id) ?? 0) + m.amountMinor;
      taken.set(h.id, sum);
      if (sum > h.amountMinor) problems.push({ path: `${i}.amountMinor`, reason: 'exceeds' });
    }
    // A move to the same or a riskier level is no re-planning towards safety.
    if (!isConservative(m.toRiskLevel) || rank(m.toRiskLevel) >= rank(h.riskLevel))
      problems.push({ path: `${i}.toRiskLevel`, reason: 'invalid_value' });
  });
  return problems;
}

/** The allocation after the moves (which checkMoves has accepted). */
export function applyMoves(holdings: readonly PlanHolding[], moves: readonly PlanMove[]): Allocation {
  const a = allocationOf(holdings);
  const byId = new Map(holdings.map((h) => [h.id, h]));
  for (const m of moves) {
    const h = byId.get(m.holdingId);
    if (!h) continue;
    a[h.riskLevel] -= m.amountMinor;
    a[m.toRiskLevel] += m.amountMinor;
  }
  return a;
}

/** A plan: the allocation now, the moves and the allocation after them. */
export interface WealthPlan {
  before: Allocation;
  moves: PlanMove[];
  after: Allocation;
}

/** The default plan of the holdings. */
export function planFor(holdings: readonly PlanHolding[], rule: PlanRule = DEFAULT_PLAN_RULE): WealthPlan {
  const moves = proposeMoves(holdings, rule);
  return { before: allocationOf(holdings), moves, after: applyMoves(holdings, moves) };
}
