import { compareRestructuring, type RestructuringProposal } from '../../domain/restructuring.js';
import type { RestructuringChange } from '../../domain/service-catalogue.js';
import type { Executor } from '../../platform/db/database.js';
import type { ServiceRequestTable } from '../../platform/db/tables/services.js';
import { type Actor, type AppContext, bankDay } from '../../platform/http/context.js';
import { AppError, deniedAsNotFound, type FieldError } from '../../platform/http/errors.js';
import { enqueueCoreBankingInstruction } from '../../platform/jobs/core-banking.js';
import { activeTeam, type CaseFacts, caseForTeamWork } from '../case-access/case-access.service.js';
import { customerLoanViews, customerRefById } from '../customers/customers.service.js';
import { detailsOf } from '../services/requests.service.js';
import { serviceRequestById } from '../services/request-access.service.js';
import { isSignedByCustomer } from '../services/signatures.service.js';
import type { ServiceTypeHooks } from '../services/type-hooks.service.js';
import { findBooking } from './credit.repository.js';

// Restructuring (P7.1.1): the risk officer proposes an adjusted repayment plan for one of the
// customer's loans, the customer signs it, a supervisor approves it, and the new schedule goes to
// core banking through the outbox (docs/credit.md "Restructuring").

type Loan = Awaited<ReturnType<typeof customerLoanViews>>[number];

/** The proposal's change and its number, from a request's details or a preview (checked on the way in). */
function proposalOf(d: Record<string, unknown>): RestructuringProposal & { loanId: string } {
  return {
    loanId: typeof d.loanId === 'string' ? d.loanId : '',
    // Checked against RESTRUCTURING_CHANGES by validateServiceDetails or the preview's schema.
    change: d.change as RestructuringChange,
    ...(typeof d.months === 'number' ? { months: d.months } : {}),
    ...(typeof d.annualRatePercent === 'number' ? { annualRatePercent: d.annualRatePercent } : {}),
    ...(typeof d.instalmentMinor === 'number' ? { instalmentMinor: d.instalmentMinor } : {}),
  };
}

/** The comparison of a proposal for a loan, or the field errors that keep it from being worked out. */
function compare(loan: Loan, p: RestructuringProposal, today: string, prefix: string) {
  const r = compareRestructuring(
    {
      outstandingMinor: loan.outstandingMinor,
      interestRateBp: loan.interestRateBp,
      nextPaymentDate: loan.nextPaymentDate,
      maturityDate: loan.maturityDate,
    },
    p,
    today,
  );
  if (r.ok) return { comparison: r.comparison, errors: [] as FieldError[] };
  return {
    comparison: null,
    errors: r.problems.map((x) => ({
      path: `${prefix}${x.path}`,
      message: `the proposal’s ${x.path} does not fit the loan`,
      reason: x.reason,
    })),
  };
}

/** A loan of the customer that can still be restructured (not closed, not in another currency), or a field error. */
async function loanOf(db: Executor, customerId: string, loanId: string, path: string): Promise<{ loan?: Loan; errors: FieldError[] }> {
  const loan = (await customerLoanViews(db, customerId)).find((l) => l.id === loanId);
  if (!loan) return { errors: [{ path, message: 'not a loan of the customer', reason: 'not_owned' }] };
  if (loan.status === 'closed' || loan.currency !== 'CNY' || loan.outstandingMinor < 1)
    return { errors: [{ path, message: 'the loan is closed, repaid or not in yuan', reason: 'invalid_value' }] };
  return { loan, errors: [] };
}

function loanView(l: Loan) {
  return {
    id: l.id,
    loanNumber: l.loanNumber,
    product: l.product,
    outstandingMinor: l.outstandingMinor,
    interestRateBp: l.interestRateBp,
    maturityDate: l.maturityDate,
    nextPaymentDate: l.nextPaymentDate,
  };
}

/** Only the case's risk officer proposes a restructuring (P7.1.1). */
async function assertRiskOfficer(db: Executor, facts: CaseFacts, actor: Actor): Promise<void> {
  const team = await activeTeam(db, facts.id);
  if (!team.some((m) => m.staffId === actor.id && m.role === 'risk_officer'))
    throw new AppError('FORBIDDEN', 'only the risk officer of the case’s team proposes a restructuring');
}

function caseForCredit(ctx: AppContext, db: Executor, actor: Actor, caseId: string) {
  return caseForTeamWork(ctx, db, actor, caseId, 'only the case’s team and its branch’s supervisors work on its loans');
}

/** Works out a proposal before it is requested (the case's team and its branch's supervisors; nothing is stored). */
export async function previewRestructuring(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  body: RestructuringProposal & { caseId: string; loanId: string },
) {
  const facts = await caseForCredit(ctx, db, actor, body.caseId);
  const { loan, errors } = await loanOf(db, facts.customerId, body.loanId, 'body.loanId');
  if (!loan) throw new AppError('VALIDATION_FAILED', 'the proposal does not fit the loan', { errors });
  const { comparison, errors: problems } = compare(loan, body, bankDay(ctx), 'body.');
  if (!comparison) throw new AppError('VALIDATION_FAILED', 'the proposal does not fit the loan', { errors: problems });
  return {
    requestId: null,
    caseId: facts.id,
    status: null,
    loan: loanView(loan),
    change: body.change,
    months: body.months ?? null,
    annualRatePercent: body.annualRatePercent ?? null,
    instalmentMinor: body.instalmentMinor ?? null,
    ...comparison,
    signed: false,
    booking: null,
  };
}

/** The request's comparison as of the day it was requested (so it reads the same later). */
async function comparisonOf(db: Executor, ctx: AppContext, r: ServiceRequestTable) {
  const p = proposalOf(detailsOf(r));
  const { loan } = await loanOf(db, r.customer_id, p.loanId, 'loanId');
  if (!loan) throw new AppError('CONFLICT', 'the loan of this restructuring is no longer the customer’s or is closed');
  const { comparison } = compare(loan, p, bankDay(ctx, new Date(r.requested_at)), '');
  if (!comparison) throw new AppError('CONFLICT', 'the loan has changed so that the proposal no longer fits it');
  return { p, loan, comparison };
}

/** A restructuring request's old and new schedules and the difference in total cost (the case's team and its branch's supervisors). */
export async function restructuringView(ctx: AppContext, db: Executor, actor: Actor, id: string) {
  const r = await serviceRequestById(db, id);
  if (r?.type_code !== 'restructuring') throw new AppError('NOT_FOUND', 'no such restructuring');
  await caseForCredit(ctx, db, actor, r.case_id).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw deniedAsNotFound('service_request', id);
    throw err;
  });
  const { p, loan, comparison } = await comparisonOf(db, ctx, r);
  const booking = await findBooking(db, r.id);
  return {
    requestId: r.id,
    caseId: r.case_id,
    status: r.status,
    loan: loanView(loan),
    change: p.change,
    months: p.months ?? null,
    annualRatePercent: p.annualRatePercent ?? null,
    instalmentMinor: p.instalmentMinor ?? null,
    ...comparison,
    signed: await isSignedByCustomer(db, r.id),
    booking: booking
      ? { requestId: booking.request_id, reference: booking.reference, bookedOn: booking.booked_on, recordedAt: booking.recorded_at }
      : null,
  };
}

/** The restructuring's hooks into the service engine (docs/services.md "Types that plug in"). */
export const restructuringHooks: ServiceTypeHooks = {
  async validate(ctx, db, facts, details, actor) {
    await assertRiskOfficer(db, facts, actor);
    const p = proposalOf(details);
    const { loan, errors } = await loanOf(db, facts.customerId, p.loanId, 'body.details.loanId');
    if (!loan) return errors;
    return compare(loan, p, bankDay(ctx), 'body.details.').errors;
  },
  async beforeDecide(_ctx, db, _actor, request, approve) {
    // P7.1.1: the customer agrees to the new plan by signing it before it is approved.
    if (approve && !(await isSignedByCustomer(db, request.id)))
      throw new AppError('SIGNATURE_REQUIRED', 'the customer signs a restructuring before it is approved');
  },
  async onApproved(ctx, db, _actor, request) {
    const { p, loan, comparison } = await comparisonOf(db, ctx, request);
    const customer = await customerRefById(db, request.customer_id);
    // Only what the booking needs: no condition, case number or note (docs/core-banking.md).
    await enqueueCoreBankingInstruction(
      db,
      {
        instruction: 'loan_reschedule',
        idempotencyKey: request.id,
        body: {
          requestId: request.id,
          customerNumber: customer?.customerNumber ?? null,
          loanNumber: loan.loanNumber,
          currency: 'CNY',
          change: p.change,
          outstandingMinor: loan.outstandingMinor,
          rateBp: Math.round(comparison.after.annualRatePercent * 100),
          months: comparison.after.months,
          instalments: comparison.after.instalments,
        },
      },
      { enabled: ctx.config.coreBanking.url !== null, now: ctx.now() },
    );
  },
};
