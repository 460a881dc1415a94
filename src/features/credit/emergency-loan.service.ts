import { z } from 'zod';
import { businessHoursBetween } from '../../domain/business-hours.js';
import {
  EMERGENCY_LOAN_MAX_TERM_MONTHS,
  emergencyLoanMaximum,
  emergencyLoanRefusals,
  emergencyShortfall,
  type LoanRefusal,
} from '../../domain/emergency-loan.js';
import { addMonthsClamped, repaymentSchedule } from '../../domain/loan-schedule.js';
import { type AuditActor, recordAudit } from '../../platform/audit/audit.service.js';
import { readSensitive } from '../../platform/audit/sensitive-read.js';
import { clearLinkedTexts } from '../../platform/crypto/text-purge.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { ServiceRequestTable } from '../../platform/db/tables/services.js';
import type { ApiClientPrincipal } from '../../platform/http/api-key-auth.js';
import { type Actor, type AppContext, bankDay } from '../../platform/http/context.js';
import { AppError, deniedAsNotFound, type FieldError } from '../../platform/http/errors.js';
import { enqueueCoreBankingInstruction } from '../../platform/jobs/core-banking.js';
import { activeTeam, type CaseFacts, caseForTeamWork } from '../case-access/case-access.service.js';
import { findCaseRecord } from '../case-access/case-records.service.js';
import { customerAccounts, customerRefById } from '../customers/customers.service.js';
import { serviceType } from '../services/catalogue.service.js';
import { businessHoursOf, detailsOf } from '../services/requests.service.js';
import { serviceRequestById } from '../services/request-access.service.js';
import type { ServiceTypeHooks } from '../services/type-hooks.service.js';
import { staffNames } from '../staff/staff.service.js';
import { CREDIT_CASE_TEXTS, findAssessment, findBooking, insertBooking, saveAssessment } from './credit.repository.js';

// The emergency loan (P4.1): the shortfall that is its precondition, the risk officer's assessment
// before the supervisor decides, the disbursement instruction to core banking and the booking
// reference that comes back (docs/credit.md "Emergency loans").

const Money = z.object({ amountMinor: z.number().int(), currency: z.string() });
/** The figures of the case's financial section the shortfall needs; the rest of it is not read here. */
const FinanceFigures = z.looseObject({ lostIncome: Money.nullable().optional(), expectedMedicalCosts: Money.nullable().optional() });

/** Only yuan are counted: the loan is paid in yuan and the bank's figures are in fen. */
const yuan = (m: z.infer<typeof Money> | null | undefined): number | null => (m && m.currency === 'CNY' ? m.amountMinor : null);

/** The annual rate as a percent with at most two decimals (345 bp → 3.45). */
function ratePercent(ctx: AppContext): number {
  return ctx.config.credit.emergencyLoanRateBp / 100;
}

/**
 * The case's shortfall (P4.1.1) from its financial section, read and audited for this reader, and
 * the customer's liquid savings (active current and savings accounts in yuan).
 */
export async function shortfallOf(ctx: AppContext, db: Executor, actor: AuditActor, facts: CaseFacts) {
  const record = await findCaseRecord(db, facts.id);
  const plain = record
    ? await readSensitive(db, ctx.cipher, actor, {
        table: 'cases',
        rowId: facts.id,
        branchId: facts.branchId,
        fields: { finances_enc: record.finances_enc },
        purpose: 'emergency_loan_shortfall',
      })
    : { finances_enc: null };
  let figures: z.infer<typeof FinanceFigures> = {};
  if (plain.finances_enc !== null) {
    const parsed = FinanceFigures.safeParse(JSON.parse(plain.finances_enc));
    if (parsed.success) figures = parsed.data;
  }
  const savings = (await customerAccounts(db, facts.customerId))
    .filter((a) => a.status === 'active' && a.currency === 'CNY' && (a.type === 'current' || a.type === 'savings'))
    .reduce((sum, a) => sum + Math.max(0, a.balanceMinor), 0);
  const s = emergencyShortfall({
    expectedMedicalCostsMinor: yuan(figures.expectedMedicalCosts),
    lostMonthlyIncomeMinor: yuan(figures.lostIncome),
    liquidSavingsMinor: savings,
  });
  const capMinor = ctx.config.credit.emergencyLoanCapMinor;
  return {
    caseId: facts.id,
    ...s,
    capMinor,
    maximumMinor: emergencyLoanMaximum(capMinor, s.shortfallMinor),
    annualRatePercent: ratePercent(ctx),
    maxTermMonths: EMERGENCY_LOAN_MAX_TERM_MONTHS,
  };
}

const REFUSAL_TEXT: Record<LoanRefusal, string> = {
  no_shortfall: 'the case’s finances show no shortfall, the precondition of an emergency loan',
  above_cap: 'more than the emergency loan’s cap',
  above_shortfall: 'more than the case’s shortfall',
};

/** The case for a loan's work: its team and its branch's supervisors. */
function caseForLoan(ctx: AppContext, db: Executor, actor: Actor, caseId: string) {
  return caseForTeamWork(ctx, db, actor, caseId, 'only the case’s team and its branch’s supervisors work on its loans');
}

/** A case's shortfall for the request form (the case's team and its branch's supervisors). */
export async function caseShortfall(ctx: AppContext, db: Executor, actor: Actor, caseId: string) {
  const facts = await caseForLoan(ctx, db, actor, caseId);
  return shortfallOf(ctx, db, actor, facts);
}

/** The emergency loan request by id for someone of its case's team, or 404. */
async function loanRequest(ctx: AppContext, db: Executor, actor: Actor, id: string) {
  const r = await serviceRequestById(db, id);
  if (r?.type_code !== 'emergency_loan') throw new AppError('NOT_FOUND', 'no such emergency loan request');
  const facts = await caseForLoan(ctx, db, actor, r.case_id).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw deniedAsNotFound('service_request', id);
    throw err;
  });
  return { r, facts };
}

/** The loan's terms from a request's details (checked on the way in). */
function termsOf(r: ServiceRequestTable) {
  const d = detailsOf(r);
  return {
    accountId: typeof d.accountId === 'string' ? d.accountId : '',
    amountMinor: typeof d.amountMinor === 'number' ? d.amountMinor : 0,
    termMonths: typeof d.termMonths === 'number' ? d.termMonths : 1,
  };
}

/** The first instalment falls a month after the decision (or today, before it). */
function scheduleOf(ctx: AppContext, r: ServiceRequestTable) {
  const terms = termsOf(r);
  const startOn = bankDay(ctx, r.decided_at ? new Date(r.decided_at) : ctx.now());
  return repaymentSchedule({
    principalMinor: Math.max(1, terms.amountMinor),
    annualRatePercent: ratePercent(ctx),
    months: Math.min(Math.max(1, terms.termMonths), 360),
    method: 'annuity',
    startOn,
  });
}

/** An emergency loan request as its case's team sees it: terms, shortfall, assessment, booking, time to decision, schedule. */
export async function emergencyLoanView(ctx: AppContext, db: Executor, actor: Actor, id: string) {
  const { r, facts } = await loanRequest(ctx, db, actor, id);
  const terms = termsOf(r);
  const account = (await customerAccounts(db, r.customer_id)).find((a) => a.id === terms.accountId);
  const assessment = await findAssessment(db, r.id);
  const booking = await findBooking(db, r.id);
  const names = await staffNames(db, assessment ? [assessment.assessed_by] : []);
  const reason =
    assessment && assessment.reason_enc !== null
      ? (
          await readSensitive(db, ctx.cipher, actor, {
            table: 'credit_assessments',
            rowId: assessment.id,
            branchId: r.branch_id,
            fields: { reason_enc: assessment.reason_enc },
            purpose: 'credit_assessment',
          })
        ).reason_enc
      : null;
  const t = await serviceType(db, r.type_code);
  const bh = businessHoursOf(ctx);
  return {
    requestId: r.id,
    caseId: r.case_id,
    status: r.status,
    ...terms,
    annualRatePercent: ratePercent(ctx),
    account: account ? { id: account.id, accountNumber: account.accountNumber } : null,
    shortfall: await shortfallOf(ctx, db, actor, facts),
    assessment: assessment
      ? {
          recommendation: assessment.recommendation,
          reason,
          assessedBy: { id: assessment.assessed_by, displayName: names.get(assessment.assessed_by) ?? '' },
          assessedAt: assessment.assessed_at,
        }
      : null,
    booking: booking ? bookingView(booking) : null,
    hoursToDecision:
      r.decided_at === null ? null : Math.round(businessHoursBetween(new Date(r.requested_at), new Date(r.decided_at), bh) * 10) / 10,
    priorityHours: t.priorityHours,
    schedule: scheduleOf(ctx, r),
  };
}

/**
 * The risk officer of the case's team assesses a loan request before the supervisor decides
 * (P4.1.2: simplified, but assessed): a recommendation and its reason, encrypted like every case
 * text. A later assessment replaces an earlier one until the decision.
 */
export async function assessLoan(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  body: { recommendation: 'approve' | 'decline'; reason: string },
) {
  const { r, facts } = await loanRequest(ctx, db, actor, id);
  const team = await activeTeam(db, facts.id);
  if (!team.some((m) => m.staffId === actor.id && m.role === 'risk_officer'))
    throw new AppError('FORBIDDEN', 'only the risk officer of the case’s team assesses its loans');
  if (r.status !== 'requested' && r.status !== 'in_review') throw new AppError('CONFLICT', `the request is ${r.status}`);
  const existing = await findAssessment(db, r.id);
  const rowId = existing?.id ?? newId(ctx.now().getTime());
  const at = ctx.now().toISOString();
  await saveAssessment(db, {
    id: rowId,
    request_id: r.id,
    case_id: r.case_id,
    recommendation: body.recommendation,
    reason_enc: ctx.cipher.encrypt(body.reason, { table: 'credit_assessments', column: 'reason_enc', rowId }),
    assessed_by: actor.id,
    assessed_at: at,
    version: (existing?.version ?? 0) + 1,
  });
  await recordAudit(
    db,
    actor,
    {
      action: 'credit.loan_assessed',
      target: { type: 'service_request', id: r.id },
      branchId: r.branch_id,
      detail: { caseId: r.case_id, recommendation: body.recommendation },
    },
    ctx.now(),
  );
  return emergencyLoanView(ctx, db, actor, id);
}

function bookingView(b: { request_id: string; reference: string; booked_on: string; recorded_at: string }) {
  return { requestId: b.request_id, reference: b.reference, bookedOn: b.booked_on, recordedAt: b.recorded_at };
}

const BOOKABLE: readonly ServiceRequestTable['status'][] = ['approved', 'in_progress', 'completed'];

/**
 * Records core banking's booking reference of an approved loan or schedule: by its system with an
 * API key (scope `loans:write`) or by operations of the case's team. The same reference again is
 * answered as recorded; another one is 409 BOOKING_CONFLICT.
 */
export async function recordBooking(
  ctx: AppContext,
  db: Executor,
  caller: { actor: Actor; client: null } | { actor: null; client: ApiClientPrincipal },
  id: string,
  body: { reference: string; bookedOn: string },
  ip: string,
) {
  const r = await serviceRequestById(db, id);
  if (!r || (r.type_code !== 'emergency_loan' && r.type_code !== 'restructuring')) throw new AppError('NOT_FOUND', 'no such loan request');
  if (caller.actor) {
    await caseForLoan(ctx, db, caller.actor, r.case_id).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'NOT_FOUND') throw deniedAsNotFound('service_request', id);
      throw err;
    });
  }
  const existing = await findBooking(db, r.id);
  if (existing) {
    if (existing.reference === body.reference) return bookingView(existing);
    throw new AppError('BOOKING_CONFLICT', 'another booking reference is recorded for this request');
  }
  if (!BOOKABLE.includes(r.status)) throw new AppError('CONFLICT', `the request is ${r.status}, not approved`);
  const row = {
    request_id: r.id,
    reference: body.reference,
    booked_on: body.bookedOn,
    recorded_by: caller.actor?.id ?? null,
    recorded_by_client: caller.client?.id ?? null,
    recorded_at: ctx.now().toISOString(),
  };
  if (!(await insertBooking(db, row))) {
    const now = await findBooking(db, r.id);
    if (now?.reference === body.reference) return bookingView(now);
    throw new AppError('BOOKING_CONFLICT', 'another booking reference is recorded for this request');
  }
  const who: AuditActor = caller.actor ?? { id: null, username: `client:${caller.client.name}`, ip };
  await recordAudit(
    db,
    who,
    {
      action: 'credit.loan_booked',
      target: { type: 'service_request', id: r.id },
      branchId: r.branch_id,
      detail: { caseId: r.case_id, type: r.type_code, reference: body.reference },
    },
    ctx.now(),
  );
  return bookingView(row);
}

/** The 422 of an amount that cannot be lent, one field error per reason. */
function refused(refusals: readonly LoanRefusal[]): AppError {
  const errors: FieldError[] = refusals.map((reason) => ({ path: 'body.details.amountMinor', message: REFUSAL_TEXT[reason], reason }));
  return new AppError('LOAN_NOT_ALLOWED', refusals.map((x) => REFUSAL_TEXT[x]).join('; '), { errors });
}

/** The emergency loan's hooks into the service engine (docs/services.md "Types that plug in"). */
export const emergencyLoanHooks: ServiceTypeHooks = {
  async validate(ctx, db, facts, details, actor) {
    const errors: FieldError[] = [];
    if (typeof details.termMonths === 'number' && details.termMonths > EMERGENCY_LOAN_MAX_TERM_MONTHS)
      errors.push({ path: 'body.details.termMonths', message: `at most ${EMERGENCY_LOAN_MAX_TERM_MONTHS} months`, reason: 'range' });
    const accounts = await customerAccounts(db, facts.customerId);
    const account = accounts.find((a) => a.id === details.accountId);
    if (
      account &&
      (account.status !== 'active' || account.currency !== 'CNY' || account.type === 'card' || account.type === 'time_deposit')
    )
      errors.push({
        path: 'body.details.accountId',
        message: 'the loan is paid into an active yuan current or savings account',
        reason: 'invalid_value',
      });
    if (errors.length > 0) return errors;
    const amount = typeof details.amountMinor === 'number' ? details.amountMinor : 0;
    const s = await shortfallOf(ctx, db, actor, facts);
    const refusals = emergencyLoanRefusals(amount, s.capMinor, s.shortfallMinor);
    if (refusals.length > 0) throw refused(refusals);
    return [];
  },
  async beforeDecide(_ctx, db, _actor, request) {
    // P4.1: the risk officer assesses before the supervisor decides, either way.
    if (!(await findAssessment(db, request.id)))
      throw new AppError('ASSESSMENT_REQUIRED', 'the case’s risk officer assesses the loan before a supervisor decides on it');
  },
  async onApproved(ctx, db, _actor, request) {
    const terms = termsOf(request);
    const account = (await customerAccounts(db, request.customer_id)).find((a) => a.id === terms.accountId);
    const customer = await customerRefById(db, request.customer_id);
    const schedule = scheduleOf(ctx, request);
    const now = ctx.now();
    // Only what the booking needs: no condition, no case number, no note (docs/core-banking.md).
    await enqueueCoreBankingInstruction(
      db,
      {
        instruction: 'loan_disbursement',
        idempotencyKey: request.id,
        body: {
          requestId: request.id,
          customerNumber: customer?.customerNumber ?? null,
          accountNumber: account?.accountNumber ?? null,
          currency: 'CNY',
          amountMinor: terms.amountMinor,
          termMonths: terms.termMonths,
          rateBp: ctx.config.credit.emergencyLoanRateBp,
          method: 'annuity',
          firstDueOn: addMonthsClamped(bankDay(ctx, now), 1),
          instalments: schedule.instalments,
        },
      },
      { enabled: ctx.config.coreBanking.url !== null, now },
    );
  },
};

/** Clears the risk officers' assessment reasons of a case's loans (retention, P5.3); answers how many it cleared. */
export async function clearCreditTexts(ctx: AppContext, db: Executor, caseId: string): Promise<number> {
  return clearLinkedTexts(ctx.cipher, db, CREDIT_CASE_TEXTS, [caseId]);
}
