import { pickMatch } from '../../domain/lead-matching.js';
import type { AuditActor } from '../../platform/audit/audit.service.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { activeCaseForCustomer } from '../case-access/case-access.service.js';
import { customerRefById, customersMatching } from '../customers/customers.service.js';
import { notifyAll } from '../notifications/notifications.service.js';
import { branchSupervisorIds } from '../staff/staff.service.js';
import { findLeadOfCustomer, insertLead } from './leads.repository.js';
import type { Condition, LeadAnalysis, LeadChannel, LeadView, ReferralConsent, Subject } from './leads.schemas.js';

import { advance, audit, buildView, deadline, reload, remember } from './leads.service.js';

// ---------------------------------------------------------------------------------------------
// Creating a lead (P2.2, P2.3.1)
// ---------------------------------------------------------------------------------------------

/** What a lead says, from a staff member's form or a partner hospital's referral. */
export interface CreateLeadInput {
  channel: LeadChannel;
  customerNumber?: string;
  subject?: Subject;
  summary: string;
  /** Transaction analysis: the finding as data, which pages render in the reader's language. */
  analysis?: LeadAnalysis;
  sourceRef?: string;
  referral?: { partnerId: string; referralId: string; condition: Condition; consent: ReferralConsent };
}

/** Who records a lead: a signed-in staff member, a partner hospital over its API, or Lifeline's transaction analysis. */
export type LeadSource =
  | { actor: Actor }
  | { partner: { id: string; code: string; name: string; defaultBranchId: string; ip?: string } }
  | { system: 'analysis' };

const MATCH_PROBE = 2;

async function matchCustomer(ctx: AppContext, db: Executor, input: CreateLeadInput) {
  const ids = async (by: Parameters<typeof customersMatching>[2]) => (await customersMatching(ctx, db, by, MATCH_PROBE)).map((c) => c.id);
  const s = input.subject;
  return pickMatch({
    ...(input.customerNumber !== undefined ? { customer_number: await ids({ customerNumber: input.customerNumber }) } : {}),
    ...(s?.nationalId !== undefined ? { national_id: await ids({ nationalId: s.nationalId }) } : {}),
    ...(s?.phone !== undefined ? { phone: await ids({ phone: s.phone }) } : {}),
    ...(s?.dateOfBirth !== undefined ? { name_dob: await ids({ name: s.name, dateOfBirth: s.dateOfBirth }) } : {}),
  });
}

/**
 * Records a lead: matches it to a customer, puts it in the right branch with its verification
 * deadline, links it to the customer's open lead or active case if there is one (a duplicate
 * report is no new inbox item), and keeps the history and the audit trail.
 */
export async function createLead(ctx: AppContext, db: Executor, input: CreateLeadInput, source: LeadSource): Promise<LeadView> {
  const now = ctx.now();
  const at = now.toISOString();
  const actor = 'actor' in source ? source.actor : null;
  const partner = 'partner' in source ? source.partner : null;
  const auditActor: AuditActor =
    actor ??
    ('system' in source
      ? { id: null, username: `system:${source.system}`, ip: null }
      : { id: null, username: `partner:${partner?.code ?? 'unknown'}`, ip: partner?.ip ?? null });

  const match = await matchCustomer(ctx, db, input);
  const customer = match ? await customerRefById(db, match.customerId) : undefined;
  const branchId = customer?.branchId ?? actor?.branchId ?? partner?.defaultBranchId;
  if (branchId === undefined) throw new AppError('INTERNAL', 'a lead needs a branch');

  const id = newId(now.getTime());
  const openLead = customer ? await findLeadOfCustomer(db, customer.id, ['new', 'in_verification', 'confirmed']) : undefined;
  const activeCase = customer && !openLead ? await activeCaseForCustomer(db, customer.id) : undefined;
  const linked = openLead !== undefined || activeCase !== undefined;
  const status = linked ? advance('new', { type: 'link', by: 'system' }) : 'new';

  const seal = (column: string, value: string | undefined) =>
    value === undefined ? null : ctx.cipher.encrypt(value, { table: 'leads', column, rowId: id });
  const s = input.subject;
  const identifiers =
    s && (s.nationalId !== undefined || s.dateOfBirth !== undefined || s.phone !== undefined)
      ? JSON.stringify({ nationalId: s.nationalId, dateOfBirth: s.dateOfBirth, phone: s.phone })
      : undefined;

  await insertLead(db, {
    id,
    channel: input.channel,
    status,
    branch_id: branchId,
    customer_id: customer?.id ?? null,
    match_method: customer && match ? match.method : null,
    match_strength: customer && match ? match.strength : null,
    reported_customer_number: input.customerNumber ?? null,
    subject_name: s?.name ?? null,
    subject_enc: seal('subject_enc', identifiers),
    summary_enc: ctx.cipher.encrypt(input.summary, { table: 'leads', column: 'summary_enc', rowId: id }),
    analysis_enc: seal('analysis_enc', input.analysis ? JSON.stringify(input.analysis) : undefined),
    source_ref: input.sourceRef ?? null,
    partner_id: partner?.id ?? null,
    partner_name: partner?.name ?? null,
    referral_id: input.referral?.referralId ?? null,
    condition_enc: seal('condition_enc', input.referral ? JSON.stringify(input.referral.condition) : undefined),
    referral_consent: input.referral ? JSON.stringify(input.referral.consent) : null,
    reported_by: actor?.id ?? null,
    assigned_to: null,
    assignment_note_enc: null,
    due_at: deadline(ctx, now),
    decision: null,
    decision_reason_enc: null,
    definition_enc: null,
    decided_by: null,
    decided_at: null,
    duplicate_of: openLead?.id ?? null,
    linked_case_id: activeCase?.id ?? null,
    case_id: null,
    created_at: at,
    updated_at: at,
    version: 1,
  });

  const lead = { id, branch_id: branchId };
  await remember(ctx, db, id, actor?.id ?? null, 'created', { channel: input.channel, ...(partner ? { partner: partner.name } : {}) });
  await audit(ctx, db, auditActor, 'lead.created', lead, { channel: input.channel, status, ...(partner ? { partnerId: partner.id } : {}) });
  if (customer && match) {
    const detail = { customerId: customer.id, method: match.method, strength: match.strength };
    await remember(ctx, db, id, null, 'matched', detail);
    await audit(ctx, db, auditActor, 'lead.matched', lead, detail);
  }
  if (openLead) {
    await remember(ctx, db, id, null, 'linked', { duplicateOf: openLead.id });
    await remember(ctx, db, openLead.id, actor?.id ?? null, 'duplicate_reported', { leadId: id, channel: input.channel });
    await audit(ctx, db, auditActor, 'lead.duplicate', lead, { duplicateOf: openLead.id, automatic: true });
  } else if (activeCase) {
    await remember(ctx, db, id, null, 'linked', { linkedCaseId: activeCase.id, caseNumber: activeCase.caseNumber });
    await audit(ctx, db, auditActor, 'lead.duplicate', lead, { linkedCaseId: activeCase.id, automatic: true });
  }
  // P2.3.1: a lead is reported to the supervisor — the teller's page says so, and it happens here.
  if (status === 'new') {
    await notifyAll(ctx, db, actor ?? auditActor, await branchSupervisorIds(db, branchId), { kind: 'lead_new', leadId: id, sourceId: id });
  }
  return buildView(ctx, db, actor, await reload(db, id), {
    known: { subject: input.subject, summary: input.summary, analysis: input.analysis },
  });
}
