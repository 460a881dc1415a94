import {
  creditExposure,
  fundSafetyExposure,
  reviewState,
  SENSITIVITY_MULTIPLIER,
  type SensitivityLevel,
  suggestedSensitivity,
} from '../../domain/risk-assessment.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { readSensitive } from '../../platform/audit/sensitive-read.js';
import { newId } from '../../platform/crypto/ids.js';
import { clearLinkedTexts } from '../../platform/crypto/text-purge.js';
import type { Executor } from '../../platform/db/database.js';
import type { RiskAssessmentTable, RiskMeasureTable } from '../../platform/db/tables/risk.js';
import { type Actor, type AppContext, bankDay } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { enqueueCoreBankingInstruction } from '../../platform/jobs/core-banking.js';
import { caseAlertAmounts } from '../alerts/alerts.service.js';
import { setMonitoring } from '../analysis/monitoring.service.js';
import { activeTeam, type CaseFacts, caseForTeamWork } from '../case-access/case-access.service.js';
import { customerRefById, customerLoanViews } from '../customers/customers.service.js';
import { staffNames } from '../staff/staff.service.js';
import { scheduleRiskReview } from '../work/duties.service.js';
import type { TimelineEntry } from '../work/work.service.js';
import {
  findAssessment,
  findMeasure,
  insertMeasure,
  measuresOfCase,
  RISK_CASE_TEXTS,
  saveAssessment,
  setMeasureStatus,
} from './risk.repository.js';
import type { AssessmentInput, AssessmentViewOut } from './risk.schemas.js';

// The risk officer's case assessment (P3.2.3, P7.2.2; docs/risk.md): exposures computed live from
// the master data and the alerts, the officer's notes and review date, and the measures —
// stronger monitoring (in force at once, read by the engine and the real-time decisions through
// the analysis feature) and credit-limit changes (a supervisor approves, then core banking is
// instructed through the outbox).

const CURRENCY = 'CNY';

function caseForRisk(ctx: AppContext, db: Executor, actor: Actor, caseId: string) {
  return caseForTeamWork(ctx, db, actor, caseId, 'only the case’s team and its branch’s supervisors see its risk assessment');
}

async function isCaseRiskOfficer(db: Executor, caseId: string, actor: Actor): Promise<boolean> {
  if (!actor.roles.includes('risk_officer')) return false;
  return (await activeTeam(db, caseId)).some((m) => m.staffId === actor.id && m.role === 'risk_officer');
}

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { errors: [{ path, message }] });
}

/** The case's assessment as its page shows it: live exposures, the sensitivity in force, notes, review date and measures. */
export async function riskAssessment(ctx: AppContext, db: Executor, actor: Actor, caseId: string): Promise<AssessmentViewOut> {
  const facts = await caseForRisk(ctx, db, actor, caseId);
  return assessmentOf(ctx, db, actor, facts);
}

async function assessmentOf(ctx: AppContext, db: Executor, actor: Actor, facts: CaseFacts): Promise<AssessmentViewOut> {
  const loans = await customerLoanViews(db, facts.customerId);
  const credit = creditExposure(loans);
  const funds = fundSafetyExposure(await caseAlertAmounts(db, facts.id));
  const row = await findAssessment(db, facts.id);
  const measures = await measuresOfCase(db, facts.id);
  const names = await staffNames(db, [row?.updated_by, ...measures.flatMap((m) => [m.proposed_by, m.decided_by])]);
  const ref = (id: string | null | undefined) => (id ? { id, displayName: names.get(id) ?? null } : null);
  const notes =
    row?.notes_enc != null
      ? (
          await readSensitive(db, ctx.cipher, actor, {
            table: 'risk_assessments',
            rowId: row.id,
            branchId: facts.branchId,
            fields: { notes_enc: row.notes_enc },
            purpose: 'risk_assessment',
          })
        ).notes_enc
      : null;
  const byLoan = new Map(loans.map((l) => [l.id, l]));
  const sensitivity: SensitivityLevel = row?.sensitivity ?? 'normal';
  return {
    caseId: facts.id,
    currency: CURRENCY,
    credit: { ...credit, loans },
    fundSafety: funds,
    suggestedSensitivity: suggestedSensitivity(credit, funds),
    sensitivity,
    multiplier: SENSITIVITY_MULTIPLIER[sensitivity],
    assessed: row !== undefined,
    notes,
    reviewOn: row?.review_on ?? null,
    reviewState: row ? reviewState(row.review_on, bankDay(ctx)) : null,
    updatedBy: ref(row?.updated_by),
    updatedAt: row?.updated_at ?? null,
    version: row?.version ?? 0,
    measures: measures.map((m) => {
      const loan = m.loan_id === null ? undefined : byLoan.get(m.loan_id);
      return {
        id: m.id,
        kind: m.kind,
        status: m.status,
        sensitivity: m.sensitivity,
        loan: m.loan_id === null ? null : { id: m.loan_id, loanNumber: loan?.loanNumber ?? null, product: loan?.product ?? null },
        currentLimitMinor: m.current_limit_minor === null ? null : Number(m.current_limit_minor),
        newLimitMinor: m.new_limit_minor === null ? null : Number(m.new_limit_minor),
        currency: m.currency,
        proposedBy: ref(m.proposed_by),
        proposedAt: m.proposed_at,
        decidedBy: ref(m.decided_by),
        decidedAt: m.decided_at,
        instructed: m.instruction_id !== null,
      };
    }),
    canEdit: facts.status === 'active' && (await isCaseRiskOfficer(db, facts.id, actor)),
  };
}

/**
 * Saves the case's assessment (the risk officer of the case's team): notes (encrypted; omitted
 * keeps them, null clears them), review date, and the chosen measures. A changed monitoring is in
 * force at once for the customer's next transaction; a credit-limit change not yet proposed is
 * proposed for a supervisor's approval; a proposal no longer chosen is withdrawn. The open risk
 * review is brought forward to the review date. `expectedVersion` (If-Match) guards a concurrent change.
 */
export async function saveRiskAssessment(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  caseId: string,
  body: AssessmentInput,
  expectedVersion: number | undefined,
): Promise<AssessmentViewOut> {
  const facts = await caseForRisk(ctx, db, actor, caseId);
  if (!(await isCaseRiskOfficer(db, facts.id, actor)))
    throw new AppError('FORBIDDEN', 'only a risk officer of the case’s team assesses its risk');
  if (facts.status !== 'active') throw new AppError('CONFLICT', `the case is ${facts.status}`);
  const today = bankDay(ctx);
  if (body.reviewOn < today) throw invalid('body.reviewOn', 'the review date must not be in the past');
  const loans = new Map((await customerLoanViews(db, facts.customerId)).map((l) => [l.id, l]));
  body.measures.forEach((m, i) => {
    if (m.kind !== 'credit_limit') return;
    const loan = loans.get(m.loanId);
    if (!loan) throw invalid(`body.measures.${i}.loanId`, 'not a loan or credit card of the case’s customer');
    if (loan.status === 'closed') throw invalid(`body.measures.${i}.loanId`, 'the loan is closed');
  });

  const current = await findAssessment(db, facts.id);
  if (expectedVersion !== undefined && expectedVersion !== (current?.version ?? 0)) throw new AppError('PRECONDITION_FAILED');
  const now = ctx.now();
  const at = now.toISOString();
  const id = current?.id ?? newId(now.getTime());
  const sensitivity: SensitivityLevel = body.measures.find((m) => m.kind === 'monitoring')?.sensitivity ?? 'normal';
  const notesEnc =
    body.notes === undefined
      ? (current?.notes_enc ?? null)
      : body.notes === null || body.notes === ''
        ? null
        : ctx.cipher.encrypt(body.notes, { table: 'risk_assessments', column: 'notes_enc', rowId: id });
  const row: RiskAssessmentTable = {
    id,
    case_id: facts.id,
    notes_enc: notesEnc,
    sensitivity,
    review_on: body.reviewOn,
    updated_by: actor.id,
    updated_at: at,
    version: (current?.version ?? 0) + 1,
  };
  if (!(await saveAssessment(db, row, current?.version ?? null))) throw new AppError('PRECONDITION_FAILED');
  const audit = (action: string, detail: Record<string, unknown>, target = { type: 'case', id: facts.id }) =>
    recordAudit(db, actor, { action, target, branchId: facts.branchId, detail }, now);
  // Never the notes: who changed what, the level and the dates.
  await audit('risk.assessment_saved', { sensitivity, reviewOn: body.reviewOn, notesChanged: body.notes !== undefined });

  const measures = await measuresOfCase(db, facts.id);
  const measure = (over: Partial<RiskMeasureTable> & Pick<RiskMeasureTable, 'kind' | 'status'>): RiskMeasureTable => ({
    id: newId(now.getTime()),
    case_id: facts.id,
    sensitivity: null,
    loan_id: null,
    current_limit_minor: null,
    new_limit_minor: null,
    currency: null,
    proposed_by: actor.id,
    proposed_at: at,
    decided_by: null,
    decided_at: null,
    instruction_id: null,
    ...over,
  });

  // Stronger monitoring: a change is a new measure in force, the previous one superseded.
  const inForce = measures.find((m) => m.kind === 'monitoring' && m.status === 'in_force');
  if ((inForce?.sensitivity ?? 'normal') !== sensitivity) {
    if (inForce) await setMeasureStatus(db, inForce.id, 'in_force', { status: 'superseded', decided_by: actor.id, decided_at: at });
    const m = measure({ kind: 'monitoring', status: 'in_force', sensitivity });
    await insertMeasure(db, m);
    const customer = await customerRefById(db, facts.customerId);
    if (customer)
      await setMonitoring(db, { customerNumber: customer.customerNumber, level: sensitivity, caseId: facts.id, by: actor.id, at });
    await audit('risk.monitoring_set', { sensitivity, measureId: m.id });
  }

  // Credit-limit changes: keep a proposal chosen again, withdraw one no longer chosen, propose a new one.
  const open = measures.filter((m) => m.kind === 'credit_limit' && m.status === 'proposed');
  const chosen = body.measures.flatMap((m) => (m.kind === 'credit_limit' ? [m] : []));
  for (const p of open) {
    if (chosen.some((c) => c.loanId === p.loan_id && c.newLimitMinor === Number(p.new_limit_minor))) continue;
    await setMeasureStatus(db, p.id, 'proposed', { status: 'withdrawn', decided_by: actor.id, decided_at: at });
    await audit('risk.credit_limit_withdrawn', { measureId: p.id }, { type: 'risk_measure', id: p.id });
  }
  for (const c of chosen) {
    if (open.some((p) => c.loanId === p.loan_id && c.newLimitMinor === Number(p.new_limit_minor))) continue;
    const loan = loans.get(c.loanId);
    if (!loan) continue;
    const m = measure({
      kind: 'credit_limit',
      status: 'proposed',
      loan_id: loan.id,
      current_limit_minor: loan.principalMinor,
      new_limit_minor: c.newLimitMinor,
      currency: loan.currency,
    });
    await insertMeasure(db, m);
    await audit(
      'risk.credit_limit_proposed',
      { caseId: facts.id, loanId: loan.id, currentLimitMinor: loan.principalMinor, newLimitMinor: c.newLimitMinor },
      { type: 'risk_measure', id: m.id },
    );
  }

  await scheduleRiskReview(ctx, db, facts.id, body.reviewOn);
  return assessmentOf(ctx, db, actor, facts);
}

/**
 * A supervisor's decision on a proposed credit-limit change (four eyes: not the proposer, 409
 * FOUR_EYES). Approved, the change is sent to core banking through the outbox (idempotent by the
 * measure's id); the instruction carries the customer, the loan and the limits, never a medical value.
 */
export async function decideMeasure(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  measureId: string,
  decision: 'approve' | 'reject',
): Promise<AssessmentViewOut> {
  const m = await findMeasure(db, measureId);
  if (!m) throw new AppError('NOT_FOUND', 'no such measure');
  const facts = await caseForRisk(ctx, db, actor, m.case_id);
  if (m.kind !== 'credit_limit' || m.status !== 'proposed') throw new AppError('CONFLICT', `the measure is ${m.status}`);
  if (m.proposed_by === actor.id) throw new AppError('FOUR_EYES', 'a credit-limit change is approved by someone other than its proposer');
  if (facts.status !== 'active') throw new AppError('CONFLICT', `the case is ${facts.status}`);
  const now = ctx.now();
  const at = now.toISOString();
  let instructionId: string | null = null;
  if (decision === 'approve') {
    const customer = await customerRefById(db, facts.customerId);
    const loan = (await customerLoanViews(db, facts.customerId)).find((l) => l.id === m.loan_id);
    if (!customer || !loan) throw new AppError('CONFLICT', 'the loan is no longer in the master data');
    instructionId = await enqueueCoreBankingInstruction(
      db,
      {
        instruction: 'credit_limit_change',
        idempotencyKey: m.id,
        body: {
          customerNumber: customer.customerNumber,
          loanNumber: loan.loanNumber,
          currency: m.currency ?? loan.currency,
          currentLimitMinor: Number(m.current_limit_minor ?? loan.principalMinor),
          newLimitMinor: Number(m.new_limit_minor),
          reference: m.id,
        },
      },
      { enabled: ctx.config.coreBanking.url !== null, now },
    );
  }
  const moved = await setMeasureStatus(db, m.id, 'proposed', {
    status: decision === 'approve' ? 'approved' : 'rejected',
    decided_by: actor.id,
    decided_at: at,
    instruction_id: instructionId,
  });
  if (!moved) throw new AppError('CONFLICT', 'the measure was decided meanwhile');
  await recordAudit(
    db,
    actor,
    {
      action: decision === 'approve' ? 'risk.credit_limit_approved' : 'risk.credit_limit_rejected',
      target: { type: 'risk_measure', id: m.id },
      branchId: facts.branchId,
      detail: { caseId: facts.id, ...(instructionId ? { instructionId } : {}) },
    },
    now,
  );
  return assessmentOf(ctx, db, actor, facts);
}

/** A case's risk assessment and measures as timeline entries (for cases.caseTimeline); never the notes. */
export async function riskTimelineEntries(db: Executor, caseId: string): Promise<TimelineEntry[]> {
  const row = await findAssessment(db, caseId);
  const measures = await measuresOfCase(db, caseId);
  const names = await staffNames(db, [row?.updated_by, ...measures.flatMap((m) => [m.proposed_by, m.decided_by])]);
  const who = (id: string | null) => (id === null ? null : { id, displayName: names.get(id) ?? null });
  const entries: TimelineEntry[] = [];
  if (row)
    entries.push({
      at: row.updated_at,
      kind: 'risk.assessed',
      actor: who(row.updated_by),
      summary: row.review_on,
      ref: { type: 'case', id: caseId },
    });
  for (const m of measures) {
    const ref = { type: 'risk_measure' as const, id: m.id };
    if (m.kind === 'monitoring') {
      entries.push({ at: m.proposed_at, kind: 'risk.monitoring_set', actor: who(m.proposed_by), summary: m.sensitivity ?? '', ref });
      continue;
    }
    const summary = `${m.current_limit_minor ?? ''} → ${m.new_limit_minor ?? ''} ${m.currency ?? ''}`.trim();
    entries.push({ at: m.proposed_at, kind: 'risk.credit_limit_proposed', actor: who(m.proposed_by), summary, ref });
    if (m.decided_at !== null && m.status !== 'proposed')
      entries.push({ at: m.decided_at, kind: `risk.credit_limit_${m.status}`, actor: who(m.decided_by), summary, ref });
  }
  return entries;
}

/** Clears the assessment notes of a case (retention, P5.3); answers how many values it cleared. */
export async function clearRiskTexts(ctx: AppContext, db: Executor, caseId: string): Promise<number> {
  return clearLinkedTexts(ctx.cipher, db, RISK_CASE_TEXTS, [caseId]);
}
