import { z } from 'zod';
import { type FieldChange, daysBetween } from '../../domain/case-rules.js';
import { CONDITION_CATEGORIES } from '../../domain/conditions.js';
import { hasPermission } from '../../domain/roles.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { CaseTable } from '../../platform/db/tables/case-access.js';
import type { CaseConsentTable } from '../../platform/db/tables/cases.js';
import { visibleInBranch } from '../../platform/http/access.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { verdictFor } from '../case-access/case-access.service.js';
import { type CaseRecord, changeCaseRecord, findCaseRecord } from '../case-access/case-records.service.js';
import { getPartner } from '../partners/partners.service.js';
import { getStaff } from '../staff/staff.service.js';
import { insertVersion, listConsents, listVersions } from './cases.repository.js';
import { staffNames } from '../staff/staff.service.js';
import type { CaseConsentTable as ConsentRow, CaseVersionTable } from '../../platform/db/tables/cases.js';
import type { UpdateInput } from './cases.schemas.js';

// The case file's shared rules and helpers; its use cases live beside it (registration, view,
// updates, consent, retention).

/** The condition categories (P2.3.3) for forms and filters. */
export function conditionCategories() {
  return { items: CONDITION_CATEGORIES.map((c) => ({ code: c.code, group: c.group, zh: c.zh, en: c.en })) };
}

// ---------------------------------------------------------------------------------------------
// Who may do what with a case (DESIGN.md "Roles"; docs/access.md)
// ---------------------------------------------------------------------------------------------

/** Consent times a little in the future are clock skew between a device and the server; more is a mistake. */
const GIVEN_AT_SKEW_MS = 5 * 60_000;

export function isBranchSupervisor(actor: Actor, c: { branch_id: string }): boolean {
  return actor.roles.includes('supervisor') && actor.branchId === c.branch_id;
}

/** The need-to-know verdict for this reader (case-access decides: docs/access.md). */
export async function accessOf(ctx: AppContext, db: Executor, actor: Actor, c: CaseRecord, reason: string | undefined) {
  return verdictFor(ctx, db, actor, { id: c.id, branchId: c.branch_id, maintainerId: c.maintainer_id }, reason);
}

/** May change the file: the branch's supervisors and the designated maintainer (P5.3.2). */
export function assertEditor(actor: Actor, c: CaseRecord): void {
  if (!isBranchSupervisor(actor, c) && actor.id !== c.maintainer_id) {
    throw new AppError('FORBIDDEN', 'only the branch’s supervisors and the case’s maintainer change a case file');
  }
}

export function assertSupervisor(actor: Actor, c: CaseRecord): void {
  if (!isBranchSupervisor(actor, c)) throw new AppError('FORBIDDEN', 'only a supervisor of the case’s branch may do this');
}

export function assertActive(c: CaseRecord): void {
  if (c.status !== 'active') throw new AppError('CONFLICT', `the case is ${c.status}`);
}

/** The case if the actor may see its branch; another branch's case is "not found". */
export async function visibleCase(db: Executor, actor: Actor, id: string): Promise<CaseRecord> {
  return visibleInBranch(actor, await findCaseRecord(db, id), 'case');
}

export function invalid(path: string, message: string, detail?: string): AppError {
  return new AppError('VALIDATION_FAILED', detail ?? message, { errors: [{ path, message }] });
}

export function assertReviewOn(reviewOn: string, today: string, path: string): void {
  if (daysBetween(today, reviewOn) < 0) throw invalid(path, 'must be today or later');
}

export function assertGivenAt(ctx: AppContext, givenAt: string, path: string): void {
  if (Date.parse(givenAt) > ctx.now().getTime() + GIVEN_AT_SKEW_MS) throw invalid(path, 'cannot be in the future');
}

export async function assertPartner(db: Executor, partnerId: string, path: string): Promise<void> {
  try {
    await getPartner(db, partnerId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw invalid(path, 'no such partner');
    throw err;
  }
}

/** A maintainer must be an active colleague of the case's branch who can work on case files. */
export async function assertMaintainer(db: Executor, staffId: string, branchId: string, path: string): Promise<void> {
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
export const StoredCondition = z.object({
  category: z.string(),
  description: z.string(),
  diagnosedOn: z.string().nullable(),
  hospital: z.string().nullable(),
});
export const StoredFinances = z.object({
  lostIncome: StoredMoney.nullable(),
  expectedMedicalCosts: StoredMoney.nullable(),
  debts: StoredMoney.nullable(),
  notes: z.string().nullable(),
});
export const StoredCorrections = z.object({ name: z.string().optional(), phone: z.string().optional(), address: z.string().optional() });
export const StoredValues = z.record(z.string(), z.unknown());
export type Condition = z.infer<typeof StoredCondition>;
export type Finances = z.infer<typeof StoredFinances>;
export type Corrections = z.infer<typeof StoredCorrections>;

export function parseStored<T>(plain: string | null, schema: z.ZodType<T>): T | null {
  if (plain === null) return null;
  return schema.parse(JSON.parse(plain));
}

export function toCondition(c: NonNullable<UpdateInput['condition']>): Condition {
  return { category: c.category, description: c.description, diagnosedOn: c.diagnosedOn ?? null, hospital: c.hospital ?? null };
}

export function toFinances(f: NonNullable<UpdateInput['financialImpact']>): Finances {
  return {
    lostIncome: f.lostIncome ?? null,
    expectedMedicalCosts: f.expectedMedicalCosts ?? null,
    debts: f.debts ?? null,
    notes: f.notes ?? null,
  };
}

export function toCorrections(c: { name?: string; phone?: string; address?: string }): Corrections {
  return {
    ...(c.name !== undefined ? { name: c.name } : {}),
    ...(c.phone !== undefined ? { phone: c.phone } : {}),
    ...(c.address !== undefined ? { address: c.address } : {}),
  };
}

export function sealer(ctx: AppContext, table: string, rowId: string) {
  return (column: string, value: unknown) => (value === null ? null : ctx.cipher.encrypt(JSON.stringify(value), { table, column, rowId }));
}

export function sealText(ctx: AppContext, table: string, column: string, rowId: string, value: string | undefined | null): string | null {
  return value === undefined || value === null ? null : ctx.cipher.encrypt(value, { table, column, rowId });
}

// ---------------------------------------------------------------------------------------------
// Versions and consents
// ---------------------------------------------------------------------------------------------

/** Writes the version row of a change; old and new values (if any) only as ciphertext. */
export async function writeVersion(
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

export function consentRow(
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

export async function reload(db: Executor, id: string): Promise<CaseRecord> {
  const c = await findCaseRecord(db, id);
  if (!c) throw new AppError('NOT_FOUND', 'no such case');
  return c;
}

/** Applies a change to the case at the version the caller read; a concurrent change is a 412. */
export async function bump(
  db: Executor,
  c: CaseRecord,
  expected: number,
  changes: Partial<Omit<CaseTable, 'id' | 'version'>>,
): Promise<number> {
  if (!(await changeCaseRecord(db, c.id, expected, changes))) throw new AppError('PRECONDITION_FAILED');
  return expected + 1;
}

/** A version with the name of who made it. */
export interface VersionRecord extends CaseVersionTable {
  changed_by_name: string | null;
}

/** A consent with the names of who recorded and who withdrew it. */
export interface ConsentRecord extends ConsentRow {
  recorded_by_name: string | null;
  withdrawn_by_name: string | null;
}

/** A case's versions, oldest first, with the names of who made them. */
export async function versionsOf(db: Executor, caseId: string): Promise<VersionRecord[]> {
  const rows = await listVersions(db, caseId);
  const names = await staffNames(
    db,
    rows.map((v) => v.changed_by),
  );
  return rows.map((v) => ({ ...v, changed_by_name: v.changed_by === null ? null : (names.get(v.changed_by) ?? null) }));
}

/** A case's consent records in the order they were recorded, with the names of who recorded and withdrew them. */
export async function consentsOf(db: Executor, caseId: string): Promise<ConsentRecord[]> {
  const rows = await listConsents(db, caseId);
  const names = await staffNames(
    db,
    rows.flatMap((c) => [c.recorded_by, c.withdrawn_by]),
  );
  return rows.map((c) => ({
    ...c,
    recorded_by_name: names.get(c.recorded_by) ?? null,
    withdrawn_by_name: c.withdrawn_by === null ? null : (names.get(c.withdrawn_by) ?? null),
  }));
}
