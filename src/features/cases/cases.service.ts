import { z } from 'zod';
import {
  type CloseReason,
  type FieldChange,
  type UpdateState,
  addDays,
  caseNumberSequence,
  consentWithdrawnFlag,
  dayOf,
  daysBetween,
  DUE_SOON_DAYS,
  diffFields,
  formatCaseNumber,
  isCloseReason,
  nextUpdateDue,
  retentionCutoff,
  updateState,
} from '../../domain/case-rules.js';
import { CONDITION_CATEGORIES } from '../../domain/conditions.js';
import { type Restriction, caseAccess } from '../../domain/access.js';
import { hasPermission } from '../../domain/roles.js';
import { type AuditActor, SYSTEM_ACTOR, recordAudit } from '../../platform/audit/audit.service.js';
import { readSensitive } from '../../platform/audit/sensitive-read.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { CaseConsentTable } from '../../platform/db/tables/cases.js';
import type { CaseTable } from '../../platform/db/tables/case-access.js';
import { branchScope, visibleInBranch } from '../../platform/http/access.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import { leadForRegistration, markLeadRegistered } from '../leads/leads.service.js';
import { getPartner } from '../partners/partners.service.js';
import { getStaff } from '../staff/staff.service.js';
import { breakGlassInForce, isOnTeam } from '../teams/teams.service.js';
import {
  type CaseRecord,
  type ConsentRecord,
  type PurgeCounts,
  type VersionRecord,
  closedCasesBefore,
  findActiveCaseOfCustomer,
  listActiveCaseCustomers,
  findCaseById,
  hasActiveSharingConsent,
  insertCase,
  insertConsent,
  insertVersion,
  lastCaseNumberOfYear,
  listConsents,
  listVersions,
  markConsentWithdrawn,
  pageCases,
  purgeCaseRows,
  setPurgeCounts,
  updateCaseRow,
} from './cases.repository.js';
import {
  type CaseListQuery,
  type CaseView,
  type ConsentInput,
  LEGAL_BASES,
  type RegisterInput,
  type UpdateInput,
} from './cases.schemas.js';
import { CASE_LINKED_TEXTS, clearText, leadIdsOfCase, rowsWithText } from './retention.repository.js';

// ---------------------------------------------------------------------------------------------
// For other features
// ---------------------------------------------------------------------------------------------

/** Customers with an active case, by customer number, with their branch (P7.2: the protected ones). */
export async function activeCaseCustomers(db: Executor): Promise<Map<string, { branchId: string }>> {
  const rows = await listActiveCaseCustomers(db);
  return new Map(rows.map((r) => [r.customer_number, { branchId: r.branch_id }]));
}

/** The active case of a customer, if any (the leads feature links duplicates to it). */
export async function activeCaseForCustomer(db: Executor, customerId: string): Promise<{ id: string; caseNumber: string } | undefined> {
  const row = await findActiveCaseOfCustomer(db, customerId);
  return row ? { id: row.id, caseNumber: row.case_number } : undefined;
}

/**
 * True while the customer's active case holds an active consent to share with the partner and
 * a basis to process the health information at all (consent or a recorded legal basis): a
 * withdrawal of either stops sharing at once (PIPL Art. 15, 23, 29).
 */
export async function sharingAllowed(db: Executor, customerId: string, partnerId: string): Promise<boolean> {
  return hasActiveSharingConsent(db, customerId, partnerId);
}

/** The condition categories (P2.3.3) for forms and filters. */
export function conditionCategories() {
  return { items: CONDITION_CATEGORIES.map((c) => ({ code: c.code, group: c.group, zh: c.zh, en: c.en })) };
}

// ---------------------------------------------------------------------------------------------
// Who may do what with a case (DESIGN.md "Roles"; docs/access.md)
// ---------------------------------------------------------------------------------------------

/** Consent times a little in the future are clock skew between a device and the server; more is a mistake. */
const GIVEN_AT_SKEW_MS = 5 * 60_000;

function isBranchSupervisor(actor: Actor, c: { branch_id: string }): boolean {
  return actor.roles.includes('supervisor') && actor.branchId === c.branch_id;
}

/**
 * Need-to-know (domain/access.ts, docs/access.md): the team, the branch's supervisors, the file's
 * maintainer, inspectors with a reason and break-glass grants see the sensitive sections. Asked
 * afresh on every request, so a removal from the team counts at once.
 */
async function accessOf(ctx: AppContext, db: Executor, actor: Actor, c: CaseRecord, reason: string | undefined) {
  const grant = await breakGlassInForce(ctx, db, c.id, actor.id);
  const decision = caseAccess(actor, {
    caseBranchId: c.branch_id,
    onTeam: await isOnTeam(db, c.id, actor.id),
    maintainer: actor.id === c.maintainer_id,
    breakGlass: grant !== undefined,
    reason,
  });
  return { ...decision, grant };
}

/** May change the file: the branch's supervisors and the designated maintainer (P5.3.2). */
function assertEditor(actor: Actor, c: CaseRecord): void {
  if (!isBranchSupervisor(actor, c) && actor.id !== c.maintainer_id) {
    throw new AppError('FORBIDDEN', 'only the branch’s supervisors and the case’s maintainer change a case file');
  }
}

function assertSupervisor(actor: Actor, c: CaseRecord): void {
  if (!isBranchSupervisor(actor, c)) throw new AppError('FORBIDDEN', 'only a supervisor of the case’s branch may do this');
}

function assertActive(c: CaseRecord): void {
  if (c.status !== 'active') throw new AppError('CONFLICT', `the case is ${c.status}`);
}

/** The case if the actor may see its branch; another branch's case is "not found". */
async function visibleCase(db: Executor, actor: Actor, id: string): Promise<CaseRecord> {
  return visibleInBranch(actor, await findCaseById(db, id), 'case');
}

function invalid(path: string, message: string, detail?: string): AppError {
  return new AppError('VALIDATION_FAILED', detail ?? message, { errors: [{ path, message }] });
}

function assertReviewOn(reviewOn: string, today: string, path: string): void {
  if (daysBetween(today, reviewOn) < 0) throw invalid(path, 'must be today or later');
}

function assertGivenAt(ctx: AppContext, givenAt: string, path: string): void {
  if (Date.parse(givenAt) > ctx.now().getTime() + GIVEN_AT_SKEW_MS) throw invalid(path, 'cannot be in the future');
}

async function assertPartner(db: Executor, partnerId: string, path: string): Promise<void> {
  try {
    await getPartner(db, partnerId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw invalid(path, 'no such partner');
    throw err;
  }
}

/** A maintainer must be an active colleague of the case's branch who can work on case files. */
async function assertMaintainer(db: Executor, staffId: string, branchId: string, path: string): Promise<void> {
  let staff: Awaited<ReturnType<typeof getStaff>>;
  try {
    staff = await getStaff(db, staffId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw invalid(path, 'no such staff member');
    throw err;
  }
  if (staff.branch_id !== branchId) throw invalid(path, 'must belong to the case’s branch');
  if (staff.status !== 'active') throw invalid(path, 'this account is disabled');
  if (!hasPermission(staff.roles, 'case.update')) throw invalid(path, 'must hold a case-worker role');
}

// ---------------------------------------------------------------------------------------------
// Stored sections: JSON inside ciphertexts, read back through these schemas
// ---------------------------------------------------------------------------------------------

const StoredMoney = z.object({ amountMinor: z.number().int(), currency: z.string() });
const StoredCondition = z.object({
  category: z.string(),
  description: z.string(),
  diagnosedOn: z.string().nullable(),
  hospital: z.string().nullable(),
});
const StoredFinances = z.object({
  lostIncome: StoredMoney.nullable(),
  expectedMedicalCosts: StoredMoney.nullable(),
  debts: StoredMoney.nullable(),
  notes: z.string().nullable(),
});
const StoredCorrections = z.object({ name: z.string().optional(), phone: z.string().optional(), address: z.string().optional() });
const StoredValues = z.record(z.string(), z.unknown());
type Condition = z.infer<typeof StoredCondition>;
type Finances = z.infer<typeof StoredFinances>;
type Corrections = z.infer<typeof StoredCorrections>;

function parseStored<T>(plain: string | null, schema: z.ZodType<T>): T | null {
  if (plain === null) return null;
  return schema.parse(JSON.parse(plain));
}

function toCondition(c: NonNullable<UpdateInput['condition']>): Condition {
  return { category: c.category, description: c.description, diagnosedOn: c.diagnosedOn ?? null, hospital: c.hospital ?? null };
}

function toFinances(f: NonNullable<UpdateInput['financialImpact']>): Finances {
  return {
    lostIncome: f.lostIncome ?? null,
    expectedMedicalCosts: f.expectedMedicalCosts ?? null,
    debts: f.debts ?? null,
    notes: f.notes ?? null,
  };
}

function toCorrections(c: { name?: string; phone?: string; address?: string }): Corrections {
  return {
    ...(c.name !== undefined ? { name: c.name } : {}),
    ...(c.phone !== undefined ? { phone: c.phone } : {}),
    ...(c.address !== undefined ? { address: c.address } : {}),
  };
}

function sealer(ctx: AppContext, table: string, rowId: string) {
  return (column: string, value: unknown) => (value === null ? null : ctx.cipher.encrypt(JSON.stringify(value), { table, column, rowId }));
}

function sealText(ctx: AppContext, table: string, column: string, rowId: string, value: string | undefined | null): string | null {
  return value === undefined || value === null ? null : ctx.cipher.encrypt(value, { table, column, rowId });
}

// ---------------------------------------------------------------------------------------------
// Versions and consents
// ---------------------------------------------------------------------------------------------

/** Writes the version row of a change; old and new values (if any) only as ciphertext. */
async function writeVersion(
  ctx: AppContext,
  db: Executor,
  input: { caseId: string; version: number; action: string; by: string | null; fields: string[]; changes?: FieldChange[] },
): Promise<void> {
  const id = newId(ctx.now().getTime());
  const seal = sealer(ctx, 'case_versions', id);
  const changes = input.changes ?? [];
  await insertVersion(db, {
    id,
    case_id: input.caseId,
    version: input.version,
    action: input.action,
    fields: JSON.stringify(input.fields),
    changed_at: ctx.now().toISOString(),
    changed_by: input.by,
    old_values_enc: changes.length > 0 ? seal('old_values_enc', Object.fromEntries(changes.map((c) => [c.field, c.old]))) : null,
    new_values_enc: changes.length > 0 ? seal('new_values_enc', Object.fromEntries(changes.map((c) => [c.field, c.new]))) : null,
  });
}

function consentRow(
  ctx: AppContext,
  c: { caseId: string; customerId: string; by: string },
  fields: Pick<CaseConsentTable, 'kind' | 'partner_id' | 'basis' | 'channel' | 'given_at' | 'evidence_ref' | 'source'> & {
    scope?: string | null;
    note?: string | null;
  },
): CaseConsentTable {
  const id = newId(ctx.now().getTime());
  return {
    id,
    case_id: c.caseId,
    customer_id: c.customerId,
    kind: fields.kind,
    partner_id: fields.partner_id,
    basis: fields.basis,
    channel: fields.channel,
    given_at: fields.given_at,
    evidence_ref: fields.evidence_ref,
    scope_enc: sealText(ctx, 'case_consents', 'scope_enc', id, fields.scope),
    note_enc: sealText(ctx, 'case_consents', 'note_enc', id, fields.note),
    source: fields.source,
    status: 'active',
    recorded_at: ctx.now().toISOString(),
    recorded_by: c.by,
    withdrawn_at: null,
    withdrawn_by: null,
    withdrawal_channel: null,
    withdrawal_note_enc: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Registration (P2.3.3)
// ---------------------------------------------------------------------------------------------

async function nextCaseNumber(db: Executor, now: Date): Promise<string> {
  const year = now.getUTCFullYear();
  const last = await lastCaseNumberOfYear(db, year);
  return formatCaseNumber(year, (last === undefined ? 0 : (caseNumberSequence(last, year) ?? 0)) + 1);
}

/**
 * Registers a confirmed lead as a case: the form's sensitive sections encrypted, consent records
 * (or the legal basis) written, the lead marked registered, all in the caller's transaction.
 */
export async function registerCase(ctx: AppContext, db: Executor, actor: Actor, input: RegisterInput): Promise<z.input<typeof CaseView>> {
  const lead = await leadForRegistration(ctx, db, actor, input.leadId);
  if (!isBranchSupervisor(actor, { branch_id: lead.branchId })) throw new AppError('NOT_FOUND', 'no such lead');
  const consent = input.consent;
  if (!consent.healthProcessing && !consent.legalBasis) {
    throw new AppError(
      'CONSENT_REQUIRED',
      'record the customer’s consent to process health information, or the legal basis that replaces it',
    );
  }
  const now = ctx.now();
  const today = dayOf(now);
  assertReviewOn(input.reviewOn, today, 'body.reviewOn');
  if (consent.healthProcessing) assertGivenAt(ctx, consent.healthProcessing.givenAt, 'body.consent.healthProcessing.givenAt');
  for (const [i, s] of (consent.partnerSharing ?? []).entries()) {
    assertGivenAt(ctx, s.givenAt, `body.consent.partnerSharing.${i}.givenAt`);
    await assertPartner(db, s.partnerId, `body.consent.partnerSharing.${i}.partnerId`);
  }
  if (input.maintainerId !== undefined) await assertMaintainer(db, input.maintainerId, lead.branchId, 'body.maintainerId');
  const existing = await findActiveCaseOfCustomer(db, lead.customerId);
  if (existing) throw new AppError('CONFLICT', `the customer already has an active case, ${existing.case_number}`);

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
  await insertCase(db, row);

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

async function reload(db: Executor, id: string): Promise<CaseRecord> {
  const c = await findCaseById(db, id);
  if (!c) throw new AppError('NOT_FOUND', 'no such case');
  return c;
}

// ---------------------------------------------------------------------------------------------
// Reading: the case file and the list
// ---------------------------------------------------------------------------------------------

function stateOf(c: Pick<CaseTable, 'status' | 'next_update_due'>, today: string): UpdateState | null {
  return c.status === 'active' ? updateState(c.next_update_due, today) : null;
}

const staffRef = (id: string, name: string | null) => ({ id, displayName: name });

function closeReasonOf(value: string | null): CloseReason | null {
  return isCloseReason(value) ? value : null;
}

function legalBasisOf(value: string | null): (typeof LEGAL_BASES)[number] | null {
  return LEGAL_BASES.find((b) => b === value) ?? null;
}

const PurgeCountsSchema = z.record(z.string(), z.number());

/** The consent section: every record with its status; scope and notes for entitled readers only. */
async function consentSection(ctx: AppContext, db: Executor, actor: Actor, c: CaseRecord, consents: ConsentRecord[], read: ReadMode) {
  const records = [];
  for (const r of consents) {
    const base = {
      id: r.id,
      kind: r.kind,
      partnerId: r.partner_id,
      basis: legalBasisOf(r.basis),
      channel: r.channel,
      givenAt: r.given_at,
      evidenceRef: r.evidence_ref,
      source: r.source,
      status: r.status,
      recordedAt: r.recorded_at,
      recordedBy: staffRef(r.recorded_by, r.recorded_by_name),
      withdrawnAt: r.withdrawn_at,
      withdrawnBy: r.withdrawn_by === null ? null : staffRef(r.withdrawn_by, r.withdrawn_by_name),
      withdrawalChannel: r.withdrawal_channel,
    };
    if (!read.entitled) {
      records.push(base);
      continue;
    }
    const plain = await readSensitive(db, ctx.cipher, actor, {
      table: 'case_consents',
      rowId: r.id,
      branchId: c.branch_id,
      fields: { scope_enc: r.scope_enc, note_enc: r.note_enc, withdrawal_note_enc: r.withdrawal_note_enc },
      purpose: read.purpose,
      reason: read.reason,
    });
    records.push({ ...base, scope: plain.scope_enc, note: plain.note_enc, withdrawalNote: plain.withdrawal_note_enc });
  }
  return records;
}

/** The history section: who, when, which fields; the old and new values for entitled readers only. */
async function historySection(ctx: AppContext, db: Executor, actor: Actor, c: CaseRecord, versions: VersionRecord[], read: ReadMode) {
  const entries = [];
  for (const v of versions) {
    const fields = z.array(z.string()).parse(JSON.parse(v.fields));
    const base = {
      version: v.version,
      action: v.action,
      at: v.changed_at,
      by: v.changed_by === null ? null : staffRef(v.changed_by, v.changed_by_name),
      fields,
    };
    if (!read.entitled) {
      entries.push(base);
      continue;
    }
    const plain = await readSensitive(db, ctx.cipher, actor, {
      table: 'case_versions',
      rowId: v.id,
      branchId: c.branch_id,
      fields: { old_values_enc: v.old_values_enc, new_values_enc: v.new_values_enc },
      purpose: read.purpose,
      reason: read.reason,
    });
    const before = parseStored(plain.old_values_enc, StoredValues);
    const after = parseStored(plain.new_values_enc, StoredValues);
    const changes =
      before === null && after === null
        ? null
        : [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].map((field) => ({
            field,
            old: before?.[field] ?? null,
            new: after?.[field] ?? null,
          }));
    entries.push({ ...base, changes });
  }
  return entries;
}

interface ReadMode {
  entitled: boolean;
  purpose: string;
  reason?: string;
  /** Why the sensitive sections are left out, for the page to say. */
  restricted?: Restriction;
}

/** The whole case file as this reader may see it. */
async function buildView(ctx: AppContext, db: Executor, actor: Actor, c: CaseRecord, read: ReadMode): Promise<z.input<typeof CaseView>> {
  const today = dayOf(ctx.now());
  const consents = await listConsents(db, c.id);
  const versions = await listVersions(db, c.id);
  const basic = {
    customer: { id: c.customer_id, customerNumber: c.customer_number, name: c.customer_name },
    branch: { id: c.branch_id, code: c.branch_code },
    leadId: c.lead_id,
    channel: c.channel,
    partnerId: c.partner_id,
    severity: c.severity,
    mobilityImpaired: c.mobility_impaired === 1,
    reviewOn: c.review_on,
    updateIntervalDays: c.update_interval_days,
    lastUpdateOn: c.last_update_on,
    nextUpdateDue: c.next_update_due,
    maintainer: c.maintainer_id === null ? null : staffRef(c.maintainer_id, c.maintainer_name),
    registeredAt: c.created_at,
    closedAt: c.closed_at,
    closeReason: closeReasonOf(c.close_reason),
    purgedAt: c.purged_at,
  };
  const activePartners = consents.filter((r) => r.kind === 'partner_sharing' && r.status === 'active' && r.partner_id !== null);
  const canShare = c.status === 'active' && consents.some((r) => r.kind !== 'partner_sharing' && r.status === 'active');
  const common = {
    id: c.id,
    caseNumber: c.case_number,
    status: c.status,
    version: c.version,
    consentWithdrawn: c.consent_withdrawn === 1,
    updateState: stateOf(c, today),
    sensitiveVisible: read.entitled,
    ...(!read.entitled && read.restricted ? { restricted: read.restricted } : {}),
    consent: {
      sharingPartners: canShare ? [...new Set(activePartners.map((r) => r.partner_id ?? ''))] : [],
      records: await consentSection(ctx, db, actor, c, consents, read),
    },
    history: await historySection(ctx, db, actor, c, versions, read),
    purge: c.purged_at === null ? null : { purgedAt: c.purged_at, counts: PurgeCountsSchema.parse(JSON.parse(c.purge_counts ?? '{}')) },
  };
  if (!read.entitled) return { ...common, basic };
  const plain = await readSensitive(db, ctx.cipher, actor, {
    table: 'cases',
    rowId: c.id,
    branchId: c.branch_id,
    fields: {
      condition_enc: c.condition_enc,
      finances_enc: c.finances_enc,
      corrections_enc: c.corrections_enc,
      close_note_enc: c.close_note_enc,
    },
    purpose: read.purpose,
    reason: read.reason,
  });
  return {
    ...common,
    basic: { ...basic, corrections: parseStored(plain.corrections_enc, StoredCorrections) },
    condition: parseStored(plain.condition_enc, StoredCondition),
    finances: parseStored(plain.finances_enc, StoredFinances),
    closing: { note: plain.close_note_enc },
  };
}

/** The case file; the sensitive sections only for entitled readers, each decryption audited. */
export async function caseView(ctx: AppContext, db: Executor, actor: Actor, id: string, reason?: string) {
  const c = await visibleCase(db, actor, id);
  const decision = await accessOf(ctx, db, actor, c, reason);
  if (decision.access === 'none') throw new AppError('NOT_FOUND', 'no such case');
  const full = decision.access === 'full';
  const inspecting = full && reason !== undefined && actor.roles.includes('inspector') && !isBranchSupervisor(actor, c);
  if (inspecting) {
    // The reason itself is recorded with every sensitive read below; this event says the file was opened for it.
    await recordAudit(
      db,
      actor,
      { action: 'case.inspected', target: { type: 'case', id: c.id }, branchId: c.branch_id, detail: { reason } },
      ctx.now(),
    );
  }
  // A break-glass read carries the grant's written reason into the audit trail.
  const readReason = inspecting ? reason : decision.grant?.reason;
  return buildView(ctx, db, actor, c, {
    entitled: full,
    purpose: decision.grant && !inspecting ? 'break_glass' : 'case_file',
    reason: full ? readReason : undefined,
    restricted: decision.restricted,
  });
}

// ---------------------------------------------------------------------------------------------
// For the teams feature
// ---------------------------------------------------------------------------------------------

/** What the teams feature needs of a case. */
export interface CaseFacts {
  id: string;
  caseNumber: string;
  branchId: string;
  status: 'active' | 'closed' | 'purged';
  customerName: string;
  nextUpdateDue: string;
}

function factsOf(c: CaseRecord): CaseFacts {
  return {
    id: c.id,
    caseNumber: c.case_number,
    branchId: c.branch_id,
    status: c.status,
    customerName: c.customer_name,
    nextUpdateDue: c.next_update_due,
  };
}

/** The case if the actor may see its branch (404 otherwise), with its need-to-know verdict for the actor. */
export async function caseForAccess(ctx: AppContext, db: Executor, actor: Actor, id: string) {
  const c = await visibleCase(db, actor, id);
  const decision = await accessOf(ctx, db, actor, c, undefined);
  if (decision.access === 'none') throw new AppError('NOT_FOUND', 'no such case');
  return { facts: factsOf(c), decision };
}

/** The facts of cases by id, without any access check (the caller has done it); unknown ids are skipped. */
export async function caseFactsByIds(db: Executor, ids: readonly string[]): Promise<CaseFacts[]> {
  const out: CaseFacts[] = [];
  for (const id of ids) {
    const c = await findCaseById(db, id);
    if (c) out.push(factsOf(c));
  }
  return out;
}

const CaseCursor = z.object({ id: z.string().max(64) });

/** A page of the cases the actor's branch holds (inspectors: every branch), newest first; no illness. */
export async function listCases(ctx: AppContext, db: Executor, actor: Actor, q: z.output<typeof CaseListQuery>) {
  const scope = branchScope(actor);
  if (scope !== undefined && q.branch !== undefined && q.branch !== scope) return { items: [], nextCursor: null };
  const today = dayOf(ctx.now());
  const after = decodeCursor(q.cursor, CaseCursor);
  const rows = await pageCases(db, {
    branchId: scope ?? q.branch,
    status: q.status,
    severity: q.severity,
    dueBetween: q.due === 'due' ? { from: today, to: addDays(today, DUE_SOON_DAYS) } : undefined,
    dueBefore: q.due === 'overdue' ? today : undefined,
    maintainerId: q.maintainer === 'me' ? actor.id : q.maintainer,
    q: q.q,
    beforeId: after?.id,
    limit: q.limit + 1,
  });
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return {
    items: items.map((c) => ({
      id: c.id,
      caseNumber: c.case_number,
      status: c.status,
      customer: { id: c.customer_id, customerNumber: c.customer_number, name: c.customer_name },
      branch: { id: c.branch_id, code: c.branch_code },
      channel: c.channel,
      severity: c.severity,
      mobilityImpaired: c.mobility_impaired === 1,
      maintainer: c.maintainer_id === null ? null : staffRef(c.maintainer_id, c.maintainer_name),
      nextUpdateDue: c.next_update_due,
      updateState: stateOf(c, today),
      consentWithdrawn: c.consent_withdrawn === 1,
      registeredAt: c.created_at,
      closedAt: c.closed_at,
      version: c.version,
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Changes: each one a version (who, when, which fields, values encrypted)
// ---------------------------------------------------------------------------------------------

/** Applies a change to the case at the version the caller read; a concurrent change is a 412. */
async function bump(db: Executor, c: CaseRecord, expected: number, changes: Partial<Omit<CaseTable, 'id' | 'version'>>): Promise<number> {
  if (!(await updateCaseRow(db, c.id, expected, changes))) throw new AppError('PRECONDITION_FAILED');
  return expected + 1;
}

/** PATCH: changes the editable sections; one version row with the changed fields' old and new values. */
export async function updateCase(ctx: AppContext, db: Executor, actor: Actor, id: string, expectedVersion: number, input: UpdateInput) {
  const c = await visibleCase(db, actor, id);
  assertEditor(actor, c);
  assertActive(c);
  // Changing the sensitive sections means reading the old values (P5.4.2).
  if (actor.agreementValid === false) throw new AppError('AGREEMENT_REQUIRED');
  if (c.version !== expectedVersion) throw new AppError('PRECONDITION_FAILED');
  const today = dayOf(ctx.now());
  if (input.reviewOn !== undefined) assertReviewOn(input.reviewOn, today, 'body.reviewOn');

  const wanted = {
    condition_enc: input.condition !== undefined ? c.condition_enc : null,
    finances_enc: input.financialImpact !== undefined ? c.finances_enc : null,
    corrections_enc: input.basic !== undefined ? c.corrections_enc : null,
  };
  // The old values are needed for the version: decrypting them is a read like any other.
  const plain = await readSensitive(db, ctx.cipher, actor, {
    table: 'cases',
    rowId: c.id,
    branchId: c.branch_id,
    fields: wanted,
    purpose: 'case_update',
  });
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (input.condition !== undefined) {
    before.condition = parseStored(plain.condition_enc, StoredCondition);
    after.condition = toCondition(input.condition);
  }
  if (input.financialImpact !== undefined) {
    before.financialImpact = parseStored(plain.finances_enc, StoredFinances);
    after.financialImpact = toFinances(input.financialImpact);
  }
  if (input.basic !== undefined) {
    before['basic.corrections'] = parseStored(plain.corrections_enc, StoredCorrections) ?? {};
    after['basic.corrections'] = toCorrections(input.basic.corrections);
  }
  if (input.severity !== undefined) {
    before.severity = c.severity;
    after.severity = input.severity;
  }
  if (input.mobilityImpaired !== undefined) {
    before.mobilityImpaired = c.mobility_impaired === 1;
    after.mobilityImpaired = input.mobilityImpaired;
  }
  if (input.reviewOn !== undefined) {
    before.reviewOn = c.review_on;
    after.reviewOn = input.reviewOn;
  }
  const changes = diffFields(before, after);
  if (changes.length === 0) return buildView(ctx, db, actor, c, { entitled: true, purpose: 'case_file' });

  const seal = sealer(ctx, 'cases', c.id);
  const changed = new Set(changes.map((ch) => ch.field.split('.')[0]));
  const corrections = input.basic ? toCorrections(input.basic.corrections) : undefined;
  const reviewOn = input.reviewOn ?? c.review_on;
  const version = await bump(db, c, expectedVersion, {
    ...(input.condition && changed.has('condition') ? { condition_enc: seal('condition_enc', toCondition(input.condition)) } : {}),
    ...(input.financialImpact && changed.has('financialImpact')
      ? { finances_enc: seal('finances_enc', toFinances(input.financialImpact)) }
      : {}),
    ...(corrections && changed.has('basic')
      ? { corrections_enc: Object.keys(corrections).length > 0 ? seal('corrections_enc', corrections) : null }
      : {}),
    ...(input.severity !== undefined ? { severity: input.severity } : {}),
    ...(input.mobilityImpaired !== undefined ? { mobility_impaired: input.mobilityImpaired ? 1 : 0 } : {}),
    review_on: reviewOn,
    next_update_due: nextUpdateDue({ lastUpdateOn: c.last_update_on, reviewOn, intervalDays: c.update_interval_days }),
    updated_at: ctx.now().toISOString(),
  });
  const fields = changes.map((ch) => ch.field);
  await writeVersion(ctx, db, { caseId: c.id, version, action: 'updated', by: actor.id, fields, changes });
  await recordAudit(
    db,
    actor,
    { action: 'case.updated', target: { type: 'case', id: c.id }, branchId: c.branch_id, detail: { version, fields } },
    ctx.now(),
  );
  return buildView(ctx, db, actor, await reload(db, c.id), { entitled: true, purpose: 'case_file' });
}

/** The view after a change, as the one who made it may see it. */
async function viewAfterChange(ctx: AppContext, db: Executor, actor: Actor, id: string) {
  const c = await reload(db, id);
  const decision = await accessOf(ctx, db, actor, c, undefined);
  return buildView(ctx, db, actor, c, {
    entitled: decision.access === 'full',
    purpose: 'case_file',
    reason: decision.grant?.reason,
    restricted: decision.restricted,
  });
}

/** Records the periodic update (P5.3.1): the reminder starts again from today. */
export async function recordReview(ctx: AppContext, db: Executor, actor: Actor, id: string, input: { note?: string }) {
  const c = await visibleCase(db, actor, id);
  assertEditor(actor, c);
  assertActive(c);
  const today = dayOf(ctx.now());
  const due = nextUpdateDue({ lastUpdateOn: today, reviewOn: c.review_on, intervalDays: c.update_interval_days });
  const version = await bump(db, c, c.version, { last_update_on: today, next_update_due: due, updated_at: ctx.now().toISOString() });
  const changes: FieldChange[] = [
    { field: 'lastUpdateOn', old: c.last_update_on, new: today },
    { field: 'nextUpdateDue', old: c.next_update_due, new: due },
    ...(input.note !== undefined ? [{ field: 'note', old: null, new: input.note }] : []),
  ];
  await writeVersion(ctx, db, { caseId: c.id, version, action: 'reviewed', by: actor.id, fields: changes.map((ch) => ch.field), changes });
  await recordAudit(
    db,
    actor,
    { action: 'case.reviewed', target: { type: 'case', id: c.id }, branchId: c.branch_id, detail: { version, nextUpdateDue: due } },
    ctx.now(),
  );
  return viewAfterChange(ctx, db, actor, c.id);
}

/** Designates the colleague who maintains the file (P5.3.2). */
export async function assignMaintainer(ctx: AppContext, db: Executor, actor: Actor, id: string, staffId: string) {
  const c = await visibleCase(db, actor, id);
  assertSupervisor(actor, c);
  assertActive(c);
  await assertMaintainer(db, staffId, c.branch_id, 'body.staffId');
  if (c.maintainer_id === staffId) return viewAfterChange(ctx, db, actor, c.id);
  const version = await bump(db, c, c.version, { maintainer_id: staffId, updated_at: ctx.now().toISOString() });
  const changes = [{ field: 'maintainer', old: c.maintainer_id, new: staffId }];
  await writeVersion(ctx, db, { caseId: c.id, version, action: 'maintainer_assigned', by: actor.id, fields: ['maintainer'], changes });
  await recordAudit(
    db,
    actor,
    {
      action: 'case.maintainer_assigned',
      target: { type: 'case', id: c.id },
      branchId: c.branch_id,
      detail: { version, from: c.maintainer_id, to: staffId },
    },
    ctx.now(),
  );
  return viewAfterChange(ctx, db, actor, c.id);
}

/** Closes a case with its reason; the retention period starts now. */
export async function closeCase(ctx: AppContext, db: Executor, actor: Actor, id: string, input: { reason: CloseReason; note?: string }) {
  const c = await visibleCase(db, actor, id);
  assertSupervisor(actor, c);
  assertActive(c);
  const now = ctx.now().toISOString();
  const version = await bump(db, c, c.version, {
    status: 'closed',
    closed_at: now,
    closed_by: actor.id,
    close_reason: input.reason,
    close_note_enc: sealText(ctx, 'cases', 'close_note_enc', c.id, input.note),
    updated_at: now,
  });
  const changes: FieldChange[] = [
    { field: 'status', old: 'active', new: 'closed' },
    { field: 'closeReason', old: null, new: input.reason },
    ...(input.note !== undefined ? [{ field: 'closeNote', old: null, new: input.note }] : []),
  ];
  await writeVersion(ctx, db, { caseId: c.id, version, action: 'closed', by: actor.id, fields: changes.map((ch) => ch.field), changes });
  await recordAudit(
    db,
    actor,
    { action: 'case.closed', target: { type: 'case', id: c.id }, branchId: c.branch_id, detail: { version, reason: input.reason } },
    ctx.now(),
  );
  return viewAfterChange(ctx, db, actor, c.id);
}

// ---------------------------------------------------------------------------------------------
// Consent (PIPL Art. 28–29)
// ---------------------------------------------------------------------------------------------

async function refreshConsentFlag(
  ctx: AppContext,
  db: Executor,
  c: CaseRecord,
  action: string,
  by: string,
  fields: string[],
): Promise<number> {
  const flag = consentWithdrawnFlag(await listConsents(db, c.id)) ? 1 : 0;
  const version = await bump(db, c, c.version, { consent_withdrawn: flag, updated_at: ctx.now().toISOString() });
  const changes = flag !== c.consent_withdrawn ? [{ field: 'consentWithdrawn', old: c.consent_withdrawn === 1, new: flag === 1 }] : [];
  await writeVersion(ctx, db, {
    caseId: c.id,
    version,
    action,
    by,
    fields: [...fields, ...changes.map((ch) => ch.field)],
    changes,
  });
  return version;
}

/** Records one more consent: to process health information, or to share with a named partner. */
export async function addConsent(ctx: AppContext, db: Executor, actor: Actor, id: string, input: ConsentInput) {
  const c = await visibleCase(db, actor, id);
  assertEditor(actor, c);
  assertActive(c);
  assertGivenAt(ctx, input.givenAt, 'body.givenAt');
  if (input.kind === 'partner_sharing') await assertPartner(db, input.partnerId, 'body.partnerId');
  const row = consentRow(
    ctx,
    { caseId: c.id, customerId: c.customer_id, by: actor.id },
    {
      kind: input.kind,
      partner_id: input.kind === 'partner_sharing' ? input.partnerId : null,
      basis: null,
      channel: input.channel,
      given_at: input.givenAt,
      evidence_ref: input.evidenceRef,
      source: 'added',
      scope: input.scope,
    },
  );
  await insertConsent(db, row);
  const version = await refreshConsentFlag(ctx, db, c, 'consent_added', actor.id, [`consent.${input.kind}`]);
  await recordAudit(
    db,
    actor,
    {
      action: 'case.consent_added',
      target: { type: 'case', id: c.id },
      branchId: c.branch_id,
      detail: { version, consentId: row.id, kind: row.kind, partnerId: row.partner_id },
    },
    ctx.now(),
  );
  return viewAfterChange(ctx, db, actor, c.id);
}

/**
 * Withdraws a consent at once (PIPL Art. 15): sharing under it stops, the case stays and is
 * flagged. A withdrawal is honoured whatever the case's state.
 */
export async function withdrawConsent(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  consentId: string,
  input: { channel: string; note?: string },
) {
  const c = await visibleCase(db, actor, id);
  assertEditor(actor, c);
  const record = (await listConsents(db, c.id)).find((r) => r.id === consentId);
  if (!record) throw new AppError('NOT_FOUND', 'no such consent');
  if (record.kind === 'legal_basis') throw new AppError('CONFLICT', 'a legal basis is not a consent and cannot be withdrawn');
  const now = ctx.now().toISOString();
  const done = await markConsentWithdrawn(db, record.id, {
    withdrawn_at: now,
    withdrawn_by: actor.id,
    withdrawal_channel: input.channel,
    withdrawal_note_enc: sealText(ctx, 'case_consents', 'withdrawal_note_enc', record.id, input.note),
  });
  if (!done) throw new AppError('CONFLICT', 'this consent is already withdrawn');
  const version = await refreshConsentFlag(ctx, db, c, 'consent_withdrawn', actor.id, [`consent.${record.kind}`]);
  await recordAudit(
    db,
    actor,
    {
      action: 'case.consent_withdrawn',
      target: { type: 'case', id: c.id },
      branchId: c.branch_id,
      detail: { version, consentId: record.id, kind: record.kind, partnerId: record.partner_id, channel: input.channel },
    },
    ctx.now(),
  );
  return viewAfterChange(ctx, db, actor, c.id);
}

// ---------------------------------------------------------------------------------------------
// Retention
// ---------------------------------------------------------------------------------------------

/** What one retention run did. */
/**
 * Clears the texts other features keep about a case (retention.repository.ts): null where the
 * column allows it, else the ciphertext of an empty text, so every reader still decrypts; answers
 * how many values were cleared.
 */
async function purgeLinkedTexts(ctx: AppContext, db: Executor, caseId: string): Promise<number> {
  const leadIds = await leadIdsOfCase(db, caseId);
  let cleared = 0;
  for (const text of CASE_LINKED_TEXTS) {
    for (const rowId of await rowsWithText(db, text, caseId, leadIds)) {
      const empty = text.nullable ? null : ctx.cipher.encrypt('', { table: text.table, column: text.column, rowId });
      await clearText(db, text, rowId, empty);
      cleared += 1;
    }
  }
  return cleared;
}

export interface RetentionResult {
  cutoff: string;
  purged: number;
  counts: PurgeCounts;
}

const RETENTION_BATCH = 100;

/**
 * Purges the sensitive fields of cases closed longer ago than the retention period
 * (`LIFELINE_RETENTION_YEARS`), one transaction per case, each leaving a tombstone (status
 * `purged`, the time and the counts) and an audit event. Safe to run at any time, and again.
 */
export async function runRetention(
  ctx: AppContext,
  opts: { actor?: AuditActor; onProgress?: (purged: number) => void } = {},
): Promise<RetentionResult> {
  const actor = opts.actor ?? SYSTEM_ACTOR;
  const now = ctx.now();
  const cutoff = retentionCutoff(now, ctx.config.cases.retentionYears).toISOString();
  const total: PurgeCounts = { caseFields: 0, versionValues: 0, consentFields: 0, linkedTexts: 0 };
  const seen = new Set<string>();
  let purged = 0;
  for (;;) {
    const batch = (await closedCasesBefore(ctx.db, cutoff, RETENTION_BATCH)).filter((c) => !seen.has(c.id));
    if (batch.length === 0) break;
    for (const c of batch) {
      seen.add(c.id);
      const done = await ctx.db.transaction().execute(async (trx) => {
        const purgedRows = await purgeCaseRows(trx, c.id, now.toISOString());
        if (!purgedRows) return undefined;
        const result = { ...purgedRows, counts: { ...purgedRows.counts, linkedTexts: await purgeLinkedTexts(ctx, trx, c.id) } };
        await setPurgeCounts(trx, c.id, result.counts);
        await writeVersion(ctx, trx, {
          caseId: c.id,
          version: result.version,
          action: 'purged',
          by: actor.id,
          fields: [
            'condition',
            'financialImpact',
            'basic.corrections',
            'closeNote',
            'history.values',
            'consent.scope',
            'consent.notes',
            'linked.texts',
          ],
        });
        await recordAudit(
          trx,
          actor,
          {
            action: 'case.purged',
            target: { type: 'case', id: c.id },
            branchId: c.branch_id,
            detail: { retentionYears: ctx.config.cases.retentionYears, cutoff, counts: result.counts },
          },
          now,
        );
        return result.counts;
      });
      if (!done) continue;
      purged += 1;
      total.caseFields += done.caseFields;
      total.versionValues += done.versionValues;
      total.consentFields += done.consentFields;
      total.linkedTexts += done.linkedTexts;
      opts.onProgress?.(purged);
    }
  }
  return { cutoff, purged, counts: total };
}
