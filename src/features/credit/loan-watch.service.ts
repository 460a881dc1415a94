import { z } from 'zod';
import { addDays } from '../../domain/case-rules.js';
import {
  CAPACITY_PERIODS,
  inflowPeriods,
  isPastDue,
  loanWatchVerdict,
  monthlyDebt,
  prepareDueOn,
  type WatchAction,
  type WatchedLoan,
  type WatchVerdict,
} from '../../domain/loan-watch.js';
import { hasPermission } from '../../domain/roles.js';
import { type AuditActor, recordAudit } from '../../platform/audit/audit.service.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { LoanTable } from '../../platform/db/tables/customers.js';
import { type Actor, type AppContext, bankDay } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import {
  activeCaseFacts,
  activeTeam,
  type CaseFacts,
  caseFactsByIds,
  caseForTeamWork,
  casesOfMember,
} from '../case-access/case-access.service.js';
import { customerLoans, customerRefsByIds } from '../customers/customers.service.js';
import { customerInflows } from '../transactions/transactions.service.js';
import { createSystemTask } from '../work/work.service.js';
import { clearPastDueMarks, findMarkByKey, insertMark, marksOfLoans } from './credit.repository.js';
import type { WatchedLoansQuery } from './loan-watch.schemas.js';

// The loan watch (P7.1, P7.1.2; docs/credit.md "Loan watch"): once a day, every loan of a customer
// with an active case is judged by domain/loan-watch.ts on the core's figures and the customer's
// recent inflows; an instalment the inflows will likely not cover gives the case's risk officer a
// task to prepare before arrears, and arrears give them one task, each raised once.

/** The job's name in the audit trail: no person ran it. */
const WATCH_ACTOR: AuditActor = { id: null, username: 'system:loan-watch', ip: null };
/** The chart shows six 30-day periods; the rule judges the last three of them. */
const CHART_PERIODS = 6;

/** The instant the bank's calendar day `date` begins (its midnight, `offsetMinutes` east of UTC). */
function bankMidnight(date: string, offsetMinutes: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - offsetMinutes * 60_000).toISOString();
}

/** The customer's credits over `count` 30-day periods ending yesterday, oldest first, with their bank dates. */
async function inflowSeries(ctx: AppContext, db: Executor, customerNumber: string, today: string, count: number) {
  const periods = inflowPeriods(today, count);
  const offset = ctx.config.businessHours.offsetMinutes;
  const totals = await customerInflows(
    db,
    customerNumber,
    periods.map((p) => ({ from: bankMidnight(p.from, offset), to: bankMidnight(addDays(p.to, 1), offset) })),
  );
  return periods.map((p, i) => ({ ...p, inflowMinor: totals[i] ?? 0 }));
}

/** A loan row as the rules see it. */
function watchedLoan(l: LoanTable): WatchedLoan {
  return {
    instalmentMinor: l.instalment_minor,
    outstandingMinor: l.outstanding_minor,
    nextPaymentDate: l.next_payment_date,
    daysPastDue: l.days_past_due,
    status: l.status,
  };
}

/** One case's loans with the watch's verdict on each, and the inflow series they were judged on. */
interface CaseWatch {
  facts: CaseFacts;
  loans: { loan: LoanTable; verdict: WatchVerdict }[];
  periods: { from: string; to: string; inflowMinor: number }[];
  debtMinor: number;
}

/** Judges the loans of these cases' customers today; cases whose customer has no loan are left out. */
async function watchCases(ctx: AppContext, db: Executor, cases: readonly CaseFacts[], periodCount: number): Promise<CaseWatch[]> {
  const today = bankDay(ctx);
  const loans = await customerLoans(
    db,
    cases.map((c) => c.customerId),
  );
  const refs = await customerRefsByIds(
    db,
    cases.map((c) => c.customerId),
  );
  const out: CaseWatch[] = [];
  for (const facts of cases) {
    const own = loans.filter((l) => l.customer_id === facts.customerId);
    const ref = refs.get(facts.customerId);
    if (own.length === 0 || !ref) continue;
    const periods = await inflowSeries(ctx, db, ref.customerNumber, today, periodCount);
    const debtMinor = monthlyDebt(own.map(watchedLoan));
    const inflowPeriodsMinor = periods.map((p) => p.inflowMinor);
    out.push({
      facts,
      periods,
      debtMinor,
      loans: own.map((loan) => ({
        loan,
        verdict: loanWatchVerdict({ loan: watchedLoan(loan), today, inflowPeriodsMinor, monthlyDebtMinor: debtMinor }),
      })),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The daily job
// ---------------------------------------------------------------------------------------------

/** What one run of the watch did. */
export interface LoanWatchRun {
  cases: number;
  loans: number;
  prepareRaised: number;
  pastDueRaised: number;
  /** Loans that needed a task while their case had no risk officer: raised on a later run, once one is assigned. */
  noRiskOfficer: number;
  /** Arrears that ended, so that new ones raise a task again. */
  cleared: number;
  /** Cases whose watch failed and was rolled back (tried again on the next run). */
  failed: number;
}

/** The risk officer who gets the case's watch tasks: the primary one, else the first assigned. */
async function riskOfficerOf(db: Executor, caseId: string): Promise<string | undefined> {
  const officers = (await activeTeam(db, caseId)).filter((m) => m.role === 'risk_officer');
  return (officers.find((m) => m.primary) ?? officers[0])?.staffId;
}

/**
 * Raises what one loan's verdict calls for, once: a prepare task per (loan, instalment date), one
 * past-due task per spell of arrears. Answers what it raised, or `no_officer` when it could not.
 */
async function raiseFor(
  ctx: AppContext,
  db: Executor,
  facts: CaseFacts,
  loan: LoanTable,
  verdict: WatchVerdict,
): Promise<'prepare' | 'past_due' | 'no_officer' | null> {
  if (verdict.action === 'none') return null;
  const today = bankDay(ctx);
  const kind = verdict.action;
  const instalmentDueOn = loan.next_payment_date;
  const dedupeKey = kind === 'prepare' ? `${loan.id}|prepare|${instalmentDueOn ?? ''}` : `${loan.id}|past_due`;
  if (await findMarkByKey(db, dedupeKey)) return null;
  const assigneeId = await riskOfficerOf(db, facts.id);
  if (assigneeId === undefined) return 'no_officer';
  const dueOn = kind === 'prepare' && instalmentDueOn !== null ? prepareDueOn(today, instalmentDueOn) : today;
  const task = await createSystemTask(
    ctx,
    db,
    {
      caseId: facts.id,
      branchId: facts.branchId,
      assigneeId,
      kind: kind === 'prepare' ? 'loan_prepare' : 'loan_past_due',
      dueOn,
      title: loan.loan_number,
    },
    WATCH_ACTOR,
  );
  const markId = newId(ctx.now().getTime());
  // The unique key makes a concurrent run's second insert fail, which rolls its task back with it.
  await insertMark(db, {
    id: markId,
    loan_id: loan.id,
    case_id: facts.id,
    kind,
    instalment_due_on: instalmentDueOn,
    dedupe_key: dedupeKey,
    task_id: task.id,
    raised_at: ctx.now().toISOString(),
    cleared_at: null,
  });
  await recordAudit(
    db,
    WATCH_ACTOR,
    {
      action: 'credit.loan_watch_raised',
      target: { type: 'case', id: facts.id },
      branchId: facts.branchId,
      // Which loan and what: never the customer's inflows (their finances).
      detail: { loanNumber: loan.loan_number, kind, instalmentDueOn, taskId: task.id, daysPastDue: loan.days_past_due },
    },
    ctx.now(),
  );
  return kind;
}

/** Watches one case's loans in the caller's transaction (the daily run gives each case its own). */
export async function watchCaseLoans(ctx: AppContext, db: Executor, facts: CaseFacts): Promise<Omit<LoanWatchRun, 'cases' | 'failed'>> {
  const result = { loans: 0, prepareRaised: 0, pastDueRaised: 0, noRiskOfficer: 0, cleared: 0 };
  const [watch] = await watchCases(ctx, db, [facts], CAPACITY_PERIODS);
  for (const { loan, verdict } of watch?.loans ?? []) {
    result.loans += 1;
    if (!isPastDue({ daysPastDue: loan.days_past_due, status: loan.status })) {
      result.cleared += await clearPastDueMarks(db, loan.id, ctx.now().toISOString());
    }
    const raised = await raiseFor(ctx, db, facts, loan, verdict);
    if (raised === 'prepare') result.prepareRaised += 1;
    if (raised === 'past_due') result.pastDueRaised += 1;
    if (raised === 'no_officer') result.noRiskOfficer += 1;
  }
  return result;
}

/**
 * The daily run over every active case, one transaction per case; answers the totals. A case that
 * fails (a concurrent run took its key first, say) is rolled back, told to `onError` and counted,
 * and the run goes on with the others: the next run tries it again.
 */
export async function runLoanWatch(ctx: AppContext, onError?: (caseId: string, err: unknown) => void): Promise<LoanWatchRun> {
  const total: LoanWatchRun = { cases: 0, loans: 0, prepareRaised: 0, pastDueRaised: 0, noRiskOfficer: 0, cleared: 0, failed: 0 };
  for (const facts of await activeCaseFacts(ctx.db)) {
    let r: Omit<LoanWatchRun, 'cases' | 'failed'>;
    try {
      r = await ctx.db.transaction().execute((trx) => watchCaseLoans(ctx, trx, facts));
    } catch (err) {
      total.failed += 1;
      onError?.(facts.id, err);
      continue;
    }
    total.cases += 1;
    total.loans += r.loans;
    total.prepareRaised += r.prepareRaised;
    total.pastDueRaised += r.pastDueRaised;
    total.noRiskOfficer += r.noRiskOfficer;
    total.cleared += r.cleared;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Reading the watch
// ---------------------------------------------------------------------------------------------

const ACTION_ORDER: Record<WatchAction, number> = { past_due: 0, prepare: 1, none: 2 };
const ListCursor = z.object({ r: z.number().int(), c: z.string().max(40), l: z.string().max(64) });

/** The cases whose watched loans the actor sees: a supervisor their branch's active cases, a risk officer the active cases they are on. */
async function casesInScope(db: Executor, actor: Actor): Promise<CaseFacts[]> {
  if (actor.agreementValid === false) throw new AppError('AGREEMENT_REQUIRED');
  if (actor.roles.includes('supervisor')) return activeCaseFacts(db, actor.branchId);
  const mine = await caseFactsByIds(db, await casesOfMember(db, actor.id));
  return mine
    .filter((c) => c.status === 'active' && c.branchId === actor.branchId)
    .sort((a, b) => a.caseNumber.localeCompare(b.caseNumber));
}

function loanView(loan: LoanTable) {
  return {
    id: loan.id,
    loanNumber: loan.loan_number,
    product: loan.product,
    currency: loan.currency,
    outstandingMinor: loan.outstanding_minor,
    instalmentMinor: loan.instalment_minor,
    nextPaymentDate: loan.next_payment_date,
    daysPastDue: loan.days_past_due,
    status: loan.status,
  };
}

/**
 * The watched loans of registered customers in the actor's scope (P7.1): past due first, then
 * those to prepare for, then the rest; by case and loan number within each. The verdict is
 * today's, worked out afresh; the customer's inflows are on the case's own watch.
 */
export async function watchedLoans(ctx: AppContext, db: Executor, actor: Actor, q: z.output<typeof WatchedLoansQuery>) {
  if (!hasPermission(actor.roles, 'credit.watch')) throw new AppError('FORBIDDEN');
  const after = decodeCursor(q.cursor, ListCursor);
  const watches = await watchCases(ctx, db, await casesInScope(db, actor), CAPACITY_PERIODS);
  const rows = watches
    .flatMap((w) => w.loans.map((l) => ({ ...l, facts: w.facts })))
    .filter((r) => q.action === undefined || r.verdict.action === q.action)
    .map((r) => ({ ...r, key: { r: ACTION_ORDER[r.verdict.action], c: r.facts.caseNumber, l: r.loan.loan_number } }))
    .sort((a, b) => a.key.r - b.key.r || a.key.c.localeCompare(b.key.c) || a.key.l.localeCompare(b.key.l));
  const start = after
    ? rows.findIndex((r) => r.key.r > after.r || (r.key.r === after.r && (r.key.c > after.c || (r.key.c === after.c && r.key.l > after.l))))
    : 0;
  const page = start < 0 ? [] : rows.slice(start, start + q.limit);
  const more = start >= 0 && start + q.limit < rows.length;
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      ...loanView(r.loan),
      action: r.verdict.action,
      daysToDue: r.verdict.daysToDue,
      case: { id: r.facts.id, caseNumber: r.facts.caseNumber, customerName: r.facts.customerName },
    })),
    nextCursor: more && last ? encodeCursor(last.key) : null,
  };
}

/**
 * One case's loan watch for its chart (P7.1): each loan with its verdict and what was raised for
 * it, the customer's inflows over six 30-day periods and their instalments a month. Only the
 * case's team and its branch's supervisors: the inflows are the customer's finances.
 */
export async function caseLoanWatch(ctx: AppContext, db: Executor, actor: Actor, caseId: string) {
  const facts = await caseForTeamWork(ctx, db, actor, caseId, 'only the case’s team and its branch’s supervisors see its loan watch');
  const [watch] = await watchCases(ctx, db, [facts], CHART_PERIODS);
  const loans = watch?.loans ?? [];
  const marks = await marksOfLoans(
    db,
    loans.map((l) => l.loan.id),
  );
  return {
    caseId: facts.id,
    today: bankDay(ctx),
    capacityPeriods: CAPACITY_PERIODS,
    monthlyDebtMinor: watch?.debtMinor ?? 0,
    capacityMinor: loans[0]?.verdict.capacityMinor ?? null,
    inflows: watch?.periods ?? [],
    loans: loans.map(({ loan, verdict }) => ({
      ...loanView(loan),
      action: verdict.action,
      daysToDue: verdict.daysToDue,
      raised: marks
        .filter((m) => m.loan_id === loan.id)
        .map((m) => ({ kind: m.kind, instalmentDueOn: m.instalment_due_on, raisedAt: m.raised_at, taskId: m.task_id })),
    })),
  };
}
