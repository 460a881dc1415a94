import type { z } from 'zod';
import type { HoldingMove } from '../../domain/service-catalogue.js';
import {
  allocationOf,
  applyMoves,
  checkMoves,
  DEFAULT_PLAN_RULE,
  type PlanHolding,
  type PlanMove,
  proposeMoves,
} from '../../domain/wealth-plan.js';
import type { Executor } from '../../platform/db/database.js';
import type { ServiceRequestTable } from '../../platform/db/tables/services.js';
import { type Actor, type AppContext, bankDay } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { activeTeam, caseFactsByIds } from '../case-access/case-access.service.js';
import { customerHoldings } from '../customers/customers.service.js';
import { activeStaffIdsWithRole } from '../staff/staff.service.js';
import { cancelServiceStepTasks, createServiceStepTask, openServiceStepTasks } from '../work/tasks.service.js';
import { caseForServices, detailsOf } from './requests.service.js';
import { openRequestCounts } from './wealth.repository.js';
import type { PreviewBody, WealthPlanView } from './wealth.schemas.js';

// Wealth re-planning (P4.3.1): the plan of a case's customer, a preview of adjusted moves, and the
// operations tasks an approved re-plan becomes (docs/wealth-replanning.md).

type View = z.input<typeof WealthPlanView>;
type Holding = Awaited<ReturnType<typeof customerHoldings>>[number];

const asPlan = (h: Holding): PlanHolding => ({ id: h.id, riskLevel: h.riskLevel, amountMinor: h.marketValueMinor });

function viewOf(caseId: string, holdings: readonly Holding[], movesOf: (hs: PlanHolding[]) => PlanMove[]): View {
  const currencies = [...new Set(holdings.map((h) => h.currency))].sort();
  const plans = currencies.map((currency) => {
    const hs = holdings.filter((h) => h.currency === currency).map(asPlan);
    const moves = movesOf(hs);
    return { currency, before: allocationOf(hs), moves, after: applyMoves(hs, moves) };
  });
  return {
    caseId,
    rule: {
      r3MaxSharePercent: DEFAULT_PLAN_RULE.r3MaxShareBp / 100,
      highRiskTo: DEFAULT_PLAN_RULE.highRiskTo,
      r3ExcessTo: DEFAULT_PLAN_RULE.r3ExcessTo,
    },
    holdings: holdings.map((h) => ({
      id: h.id,
      productName: h.productName,
      productCode: h.productCode,
      riskLevel: h.riskLevel,
      currency: h.currency,
      marketValueMinor: h.marketValueMinor,
    })),
    currencies: plans,
    moves: plans.flatMap((p) => p.moves),
  };
}

/** The re-plan the default rule proposes for a case's customer: the case's team and its branch's supervisors, while it is active. */
export async function wealthPlan(ctx: AppContext, db: Executor, actor: Actor, caseId: string): Promise<View> {
  const facts = await caseForServices(ctx, db, actor, caseId);
  return viewOf(facts.id, await customerHoldings(db, facts.customerId), (hs) => proposeMoves(hs));
}

/** The allocations before and after adjusted moves, each checked: a holding of the customer, at most its value, to a conservative level below it. */
export async function previewWealthPlan(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  caseId: string,
  body: z.output<typeof PreviewBody>,
): Promise<View> {
  const facts = await caseForServices(ctx, db, actor, caseId);
  const holdings = await customerHoldings(db, facts.customerId);
  const problems = checkMoves(holdings.map(asPlan), body.moves);
  if (problems.length > 0)
    throw new AppError('VALIDATION_FAILED', 'the moves do not fit the customer’s holdings', {
      errors: problems.map((p) => ({ path: `body.moves.${p.path}`, message: p.reason, reason: p.reason })),
    });
  const ids = (hs: PlanHolding[]) => new Set(hs.map((h) => h.id));
  return viewOf(facts.id, holdings, (hs) => body.moves.filter((m) => ids(hs).has(m.holdingId)));
}

/** Who executes the moves: the case's operations member (the primary one first), else the branch's least-loaded operations colleague. */
async function operationsAssignee(db: Executor, caseId: string, branchId: string): Promise<string> {
  const own = (await activeTeam(db, caseId))
    .filter((m) => m.role === 'operations')
    .sort((a, b) => Number(b.primary) - Number(a.primary))[0];
  if (own) return own.staffId;
  const ops = await activeStaffIdsWithRole(db, branchId, 'operations');
  const load = await openRequestCounts(db, ops);
  const pick = [...ops].sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || a.localeCompare(b))[0];
  if (!pick) throw new AppError('CONFLICT', 'the branch has no operations staff to execute the moves');
  return pick;
}

/**
 * An approved wealth re-plan (P4.3.1) becomes one task per move for operations, due by the
 * request's priority time; the request completes only once they are done (assertMovesDone).
 */
export async function createMoveTasks(ctx: AppContext, db: Executor, actor: Actor, r: ServiceRequestTable): Promise<number> {
  const [facts] = await caseFactsByIds(db, [r.case_id]);
  if (!facts) throw new AppError('NOT_FOUND', 'no such case');
  const raw = detailsOf(r).moves;
  // Checked against the catalogue's holdings_moves rules when the request was made.
  const moves = Array.isArray(raw) ? (raw as HoldingMove[]) : [];
  const holdings = new Map((await customerHoldings(db, r.customer_id)).map((h) => [h.id, h]));
  const assigneeId = await operationsAssignee(db, r.case_id, r.branch_id);
  for (const m of moves) {
    const h = holdings.get(m.holdingId);
    const what = h ? `${h.productName} (${h.holdingRef}, ${h.riskLevel})` : m.holdingId;
    await createServiceStepTask(ctx, db, actor, {
      facts,
      requestId: r.id,
      assigneeId,
      dueOn: bankDay(ctx, new Date(r.due_at)),
      note: `${what} → ${m.toRiskLevel}: ${(m.amountMinor / 100).toFixed(2)} ${h?.currency ?? ''}`.trim(),
    });
  }
  return moves.length;
}

/** A wealth re-plan completes only when operations have done every move (409 OPS_TASKS_OPEN). */
export async function assertMovesDone(db: Executor, r: ServiceRequestTable): Promise<void> {
  if (r.type_code !== 'wealth_replan') return;
  const open = await openServiceStepTasks(db, r.id);
  if (open > 0) throw new AppError('OPS_TASKS_OPEN', `${open} operations task(s) of this request are still open`);
}

/** A withdrawn re-plan leaves operations nothing to execute: its open move tasks are cancelled. */
export async function cancelMoveTasks(ctx: AppContext, db: Executor, actor: Actor, r: ServiceRequestTable): Promise<number> {
  return r.type_code === 'wealth_replan' ? cancelServiceStepTasks(ctx, db, actor, r.id) : 0;
}
