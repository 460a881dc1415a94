import type { z } from 'zod';
import { caseNumberSequence, formatCaseNumber, nextUpdateDue } from '../../domain/case-rules.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { CaseTable } from '../../platform/db/tables/case-access.js';
import type { CaseConsentTable } from '../../platform/db/tables/cases.js';
import { type Actor, type AppContext, bankDay } from '../../platform/http/context.js';
import { AppError, deniedAsNotFound } from '../../platform/http/errors.js';
import { activeCaseForCustomer } from '../case-access/case-access.service.js';
import { lastCaseNumber, storeNewCase } from '../case-access/case-records.service.js';
import { leadForRegistration, markLeadRegistered } from '../leads/leads.service.js';
import { buildView } from './case-view.service.js';
import { insertConsent } from './cases.repository.js';
import type { CaseView, RegisterInput } from './cases.schemas.js';
import {
  assertGivenAt,
  assertMaintainer,
  assertPartner,
  assertReviewOn,
  consentRow,
  isBranchSupervisor,
  reload,
  sealer,
  toCondition,
  toCorrections,
  toFinances,
  writeVersion,
} from './cases.service.js';

// Registration (P2.3.3)
// ---------------------------------------------------------------------------------------------

async function nextCaseNumber(db: Executor, now: Date): Promise<string> {
  const year = now.getUTCFullYear();
  const last = await lastCaseNumber(db, year);
  return formatCaseNumber(year, (last === undefined ? 0 : (caseNumberSequence(last, year) ?? 0)) + 1);
}

/**
 * Registers a confirmed lead as a case: the form's sensitive sections encrypted, consent records
 * (or the legal basis) written, the lead marked registered, all in the caller's transaction.
 */
export async function registerCase(ctx: AppContext, db: Executor, actor: Actor, input: RegisterInput): Promise<z.input<typeof CaseView>> {
  const lead = await leadForRegistration(ctx, db, actor, input.leadId);
  if (!isBranchSupervisor(actor, { branch_id: lead.branchId })) throw deniedAsNotFound('lead', lead.id);
  const consent = input.consent;
  if (!consent.healthProcessing && !consent.legalBasis) {
    throw new AppError(
      'CONSENT_REQUIRED',
      'record the customer’s consent to process health information, or the legal basis that replaces it',
    );
  }
  const now = ctx.now();
  const today = bankDay(ctx, now);
  assertReviewOn(input.reviewOn, today, 'body.reviewOn');
  if (consent.healthProcessing) assertGivenAt(ctx, consent.healthProcessing.givenAt, 'body.consent.healthProcessing.givenAt');
  for (const [i, s] of (consent.partnerSharing ?? []).entries()) {
    assertGivenAt(ctx, s.givenAt, `body.consent.partnerSharing.${i}.givenAt`);
    await assertPartner(db, s.partnerId, `body.consent.partnerSharing.${i}.partnerId`);
  }
  if (input.maintainerId !== undefined) await assertMaintainer(db, input.maintainerId, lead.branchId, 'body.maintainerId');
  const existing = await activeCaseForCustomer(db, lead.customerId);
  if (existing) throw new AppError('CONFLICT', `the customer already has an active case, ${existing.caseNumber}`);

  const id = newId(now.getTime());
  const seal = sealer(ctx, 'cases', id);
  const corrections = input.basic ? toCorrections(input.basic.corrections) : null;
  const interval = ctx.config.cases.updateIntervalDays;
  const row: CaseTable = {
    id,
    case_number: await nextCaseNumber(db, now),
    lead_id: lead.id,
    customer_id: lead.customerId,
    branch_id: lead.branchId,
    channel: lead.channel,
    partner_id: lead.partnerId,
    status: 'active',
    severity: input.severity,
    mobility_impaired: input.mobilityImpaired ? 1 : 0,
    condition_enc: seal('condition_enc', toCondition(input.condition)),
    finances_enc: seal('finances_enc', toFinances(input.financialImpact)),
    corrections_enc: corrections && Object.keys(corrections).length > 0 ? seal('corrections_enc', corrections) : null,
    review_on: input.reviewOn,
    update_interval_days: interval,
    last_update_on: today,
    next_update_due: nextUpdateDue({ lastUpdateOn: today, reviewOn: input.reviewOn, intervalDays: interval }),
    maintainer_id: input.maintainerId ?? null,
    consent_withdrawn: 0,
    registered_by: actor.id,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    closed_at: null,
    closed_by: null,
    close_reason: null,
    close_note_enc: null,
    purged_at: null,
    purge_counts: null,
    version: 1,
  };
  await storeNewCase(db, row);

  const who = { caseId: id, customerId: lead.customerId, by: actor.id };
  const consents: CaseConsentTable[] = [];
  if (consent.healthProcessing) {
    const hp = consent.healthProcessing;
    consents.push(
      consentRow(ctx, who, {
        kind: 'health_processing',
        partner_id: null,
        basis: null,
        channel: hp.channel,
        given_at: hp.givenAt,
        evidence_ref: hp.evidenceRef,
        source: 'form',
        scope: hp.scope,
      }),
    );
  }
  if (consent.legalBasis) {
    consents.push(
      consentRow(ctx, who, {
        kind: 'legal_basis',
        partner_id: null,
        basis: consent.legalBasis.basis,
        channel: null,
        given_at: now.toISOString(),
        evidence_ref: null,
        source: 'form',
        note: consent.legalBasis.note,
      }),
    );
  }
  for (const s of consent.partnerSharing ?? []) {
    consents.push(
      consentRow(ctx, who, {
        kind: 'partner_sharing',
        partner_id: s.partnerId,
        basis: null,
        channel: s.channel,
        given_at: s.givenAt,
        evidence_ref: s.evidenceRef,
        source: 'form',
        scope: s.scope,
      }),
    );
  }
  // A hospital's referral carries the consent it obtained to share with the bank: it counts as
  // the sharing consent for that hospital unless the form records one of its own.
  const referral = lead.referralConsent;
  if (lead.partnerId !== null && referral && !(consent.partnerSharing ?? []).some((s) => s.partnerId === lead.partnerId)) {
    consents.push(
      consentRow(ctx, who, {
        kind: 'partner_sharing',
        partner_id: lead.partnerId,
        basis: null,
        channel: 'hospital',
        given_at: referral.obtainedAt,
        evidence_ref: referral.evidenceRef,
        source: 'referral',
        scope: referral.scope.join(', '),
      }),
    );
  }
  for (const c of consents) await insertConsent(db, c);

  const sections = [
    ...(corrections && Object.keys(corrections).length > 0 ? ['basic.corrections'] : []),
    'condition',
    'financialImpact',
    'severity',
    'mobilityImpaired',
    'reviewOn',
    ...(input.maintainerId !== undefined ? ['maintainer'] : []),
    ...consents.map((c) => `consent.${c.kind}`),
  ];
  await writeVersion(ctx, db, { caseId: id, version: 1, action: 'registered', by: actor.id, fields: sections });
  await markLeadRegistered(ctx, db, actor, lead.id, id);
  await recordAudit(
    db,
    actor,
    {
      action: 'case.registered',
      target: { type: 'case', id },
      branchId: lead.branchId,
      detail: {
        caseNumber: row.case_number,
        leadId: lead.id,
        consents: consents.map((c) => ({ id: c.id, kind: c.kind, partnerId: c.partner_id, source: c.source })),
        ...(consent.legalBasis ? { legalBasis: consent.legalBasis.basis } : {}),
      },
    },
    now,
  );
  const entitled = actor.agreementValid !== false;
  return buildView(ctx, db, actor, await reload(db, id), {
    entitled,
    purpose: 'case_register',
    ...(entitled ? {} : { restricted: 'no_agreement' as const }),
  });
}
