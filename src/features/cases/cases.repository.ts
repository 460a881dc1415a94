import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { likeText } from '../../platform/db/like.js';
import type { CaseConsentTable, CaseVersionTable } from '../../platform/db/tables/cases.js';
import type { CaseTable } from '../../platform/db/tables/case-access.js';

/**
 * A case with what its views show beside it. The customer's number and name and the staff names
 * are read by join: read-only, and a list of hundreds of cases cannot ask another feature's
 * service once per row.
 */
export interface CaseRecord extends CaseTable {
  customer_number: string;
  customer_name: string;
  branch_code: string;
  maintainer_name: string | null;
}

function caseQuery(db: Executor) {
  return db
    .selectFrom('cases')
    .innerJoin('customers', 'customers.id', 'cases.customer_id')
    .innerJoin('branches', 'branches.id', 'cases.branch_id')
    .leftJoin('staff as maintainer', 'maintainer.id', 'cases.maintainer_id')
    .selectAll('cases')
    .select([
      'customers.customer_number as customer_number',
      'customers.name as customer_name',
      'branches.code as branch_code',
      'maintainer.display_name as maintainer_name',
    ]);
}

/** One case with its customer, branch and maintainer names. */
export async function findCaseById(db: Executor, id: string): Promise<CaseRecord | undefined> {
  return caseQuery(db).where('cases.id', '=', id).executeTakeFirst();
}

/** The active case of a customer, if any. */
export async function findActiveCaseOfCustomer(db: Executor, customerId: string): Promise<{ id: string; case_number: string } | undefined> {
  return (
    db
      .selectFrom('cases')
      .select(['id', 'case_number'])
      .where('customer_id', '=', customerId)
      // A literal, not a parameter: SQLite then uses the partial unique index of active cases
      // (one row) instead of scanning every active case.
      .where('status', '=', sql.lit('active'))
      .executeTakeFirst()
  );
}

/** The customer number and branch of every customer with an active case. */
export async function listActiveCaseCustomers(db: Executor): Promise<{ customer_number: string; branch_id: string }[]> {
  return db
    .selectFrom('cases')
    .innerJoin('customers', 'customers.id', 'cases.customer_id')
    .select(['customers.customer_number', 'customers.branch_id'])
    .where('cases.status', '=', sql.lit('active'))
    .execute();
}

/** The highest case number of a year (`CI-2026-…`), for the next one. */
export async function lastCaseNumberOfYear(db: Executor, year: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('cases')
    .select('case_number')
    .where('case_number', 'like', `CI-${year}-%`)
    .orderBy(sql`length(${sql.ref('case_number')})`, 'desc')
    .orderBy('case_number', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.case_number;
}

export async function insertCase(db: Executor, row: CaseTable): Promise<void> {
  await db.insertInto('cases').values(row).execute();
}

/**
 * Changes a case and bumps its version, only when it still has the version the caller read;
 * answers whether it did.
 */
export async function updateCaseRow(
  db: Executor,
  id: string,
  expectedVersion: number,
  changes: Partial<Omit<CaseTable, 'id' | 'version'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('cases')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertVersion(db: Executor, row: CaseVersionTable): Promise<void> {
  await db.insertInto('case_versions').values(row).execute();
}

/** A version with the name of who made it. */
export interface VersionRecord extends CaseVersionTable {
  changed_by_name: string | null;
}

/** A case's versions, oldest first. */
export async function listVersions(db: Executor, caseId: string): Promise<VersionRecord[]> {
  return db
    .selectFrom('case_versions')
    .leftJoin('staff', 'staff.id', 'case_versions.changed_by')
    .selectAll('case_versions')
    .select('staff.display_name as changed_by_name')
    .where('case_versions.case_id', '=', caseId)
    .orderBy('case_versions.version')
    .execute();
}

export async function insertConsent(db: Executor, row: CaseConsentTable): Promise<void> {
  await db.insertInto('case_consents').values(row).execute();
}

/** A consent with the names of who recorded and who withdrew it. */
export interface ConsentRecord extends CaseConsentTable {
  recorded_by_name: string | null;
  withdrawn_by_name: string | null;
}

/** A case's consent records, in the order they were recorded. */
export async function listConsents(db: Executor, caseId: string): Promise<ConsentRecord[]> {
  return db
    .selectFrom('case_consents')
    .leftJoin('staff as recorder', 'recorder.id', 'case_consents.recorded_by')
    .leftJoin('staff as withdrawer', 'withdrawer.id', 'case_consents.withdrawn_by')
    .selectAll('case_consents')
    .select(['recorder.display_name as recorded_by_name', 'withdrawer.display_name as withdrawn_by_name'])
    .where('case_consents.case_id', '=', caseId)
    .orderBy('case_consents.recorded_at')
    .orderBy('case_consents.id')
    .execute();
}

/** Marks an active consent withdrawn; answers whether it was active. */
export async function markConsentWithdrawn(
  db: Executor,
  id: string,
  changes: Pick<CaseConsentTable, 'withdrawn_at' | 'withdrawn_by' | 'withdrawal_channel' | 'withdrawal_note_enc'>,
): Promise<boolean> {
  const result = await db
    .updateTable('case_consents')
    .set({ ...changes, status: 'withdrawn' })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * True when an active case of the customer holds an active consent to share with the partner and
 * an active basis to process health information at all (consent or a recorded legal basis).
 */
export async function hasActiveSharingConsent(db: Executor, customerId: string, partnerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('case_consents as sharing')
    .innerJoin('cases', 'cases.id', 'sharing.case_id')
    .select('sharing.id')
    .where('sharing.customer_id', '=', customerId)
    .where('sharing.partner_id', '=', partnerId)
    .where('sharing.kind', '=', 'partner_sharing')
    .where('sharing.status', '=', 'active')
    .where('cases.status', '=', 'active')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('case_consents as basis')
          .select('basis.id')
          .whereRef('basis.case_id', '=', 'sharing.case_id')
          .where('basis.kind', 'in', ['health_processing', 'legal_basis'])
          .where('basis.status', '=', 'active'),
      ),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The filters of the case list; all given ones must match. */
export interface CaseListFilter {
  branchId?: string;
  status?: CaseTable['status'];
  severity?: CaseTable['severity'];
  /** Active cases whose update falls in [from, to] (`due`), or before `before` (`overdue`). */
  dueBetween?: { from: string; to: string };
  dueBefore?: string;
  maintainerId?: string;
  /** A case number, a customer number, or a fragment of the customer's name. */
  q?: string;
  /** Ids below this one (the list runs newest first). */
  beforeId?: string;
  limit: number;
}

/** A page of cases, newest first. */
export async function pageCases(db: Executor, f: CaseListFilter): Promise<CaseRecord[]> {
  let query = caseQuery(db);
  if (f.branchId !== undefined) query = query.where('cases.branch_id', '=', f.branchId);
  if (f.status !== undefined) query = query.where('cases.status', '=', f.status);
  if (f.severity !== undefined) query = query.where('cases.severity', '=', f.severity);
  if (f.dueBetween !== undefined) {
    query = query
      .where('cases.status', '=', 'active')
      .where('cases.next_update_due', '>=', f.dueBetween.from)
      .where('cases.next_update_due', '<=', f.dueBetween.to);
  }
  if (f.dueBefore !== undefined) query = query.where('cases.status', '=', 'active').where('cases.next_update_due', '<', f.dueBefore);
  if (f.maintainerId !== undefined) query = query.where('cases.maintainer_id', '=', f.maintainerId);
  if (f.q !== undefined) {
    const upper = f.q.toUpperCase();
    const needle = f.q;
    query = query.where((eb) =>
      eb.or([eb('cases.case_number', '=', upper), eb('customers.customer_number', '=', upper), likeText('customers.name', needle)]),
    );
  }
  if (f.beforeId !== undefined) query = query.where('cases.id', '<', f.beforeId);
  return query.orderBy('cases.id', 'desc').limit(f.limit).execute();
}

/** Ids of closed cases closed at or before the cut-off, oldest first. */
export async function closedCasesBefore(db: Executor, cutoff: string, limit: number): Promise<{ id: string; branch_id: string }[]> {
  return db
    .selectFrom('cases')
    .select(['id', 'branch_id'])
    .where('status', '=', 'closed')
    .where('closed_at', '<=', cutoff)
    .orderBy('closed_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Records what a purge cleared on the tombstone. */
export async function setPurgeCounts(db: Executor, id: string, counts: PurgeCounts): Promise<void> {
  await db
    .updateTable('cases')
    .set({ purge_counts: JSON.stringify(counts) })
    .where('id', '=', id)
    .execute();
}

/** What a purge cleared. */
export interface PurgeCounts {
  caseFields: number;
  versionValues: number;
  consentFields: number;
  /** Texts other features keep about the case (retention.repository.ts); 0 until they are cleared. */
  linkedTexts: number;
}

function countSet(values: readonly (string | null)[]): number {
  return values.filter((v) => v !== null).length;
}

/**
 * Clears every ciphertext of a closed case, its versions and its consents, and turns it into a
 * tombstone; answers what it cleared (for setPurgeCounts, once the linked texts are counted too) and
 * the case's new version, or undefined when the case was no longer closed.
 */
export async function purgeCaseRows(
  db: Executor,
  id: string,
  purgedAt: string,
): Promise<{ counts: PurgeCounts; version: number } | undefined> {
  const row = await db
    .selectFrom('cases')
    .select(['condition_enc', 'finances_enc', 'corrections_enc', 'close_note_enc', 'version'])
    .where('id', '=', id)
    .where('status', '=', 'closed')
    .executeTakeFirst();
  if (!row) return undefined;
  const versions = await db.selectFrom('case_versions').select(['old_values_enc', 'new_values_enc']).where('case_id', '=', id).execute();
  const consents = await db
    .selectFrom('case_consents')
    .select(['scope_enc', 'note_enc', 'withdrawal_note_enc'])
    .where('case_id', '=', id)
    .execute();
  const counts: PurgeCounts = {
    caseFields: countSet([row.condition_enc, row.finances_enc, row.corrections_enc, row.close_note_enc]),
    versionValues: countSet(versions.flatMap((v) => [v.old_values_enc, v.new_values_enc])),
    consentFields: countSet(consents.flatMap((c) => [c.scope_enc, c.note_enc, c.withdrawal_note_enc])),
    linkedTexts: 0,
  };
  const updated = await db
    .updateTable('cases')
    .set({
      condition_enc: null,
      finances_enc: null,
      corrections_enc: null,
      close_note_enc: null,
      status: 'purged',
      purged_at: purgedAt,
      updated_at: purgedAt,
      version: row.version + 1,
    })
    .where('id', '=', id)
    .where('status', '=', 'closed')
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return undefined;
  await db.updateTable('case_versions').set({ old_values_enc: null, new_values_enc: null }).where('case_id', '=', id).execute();
  await db
    .updateTable('case_consents')
    .set({ scope_enc: null, note_enc: null, withdrawal_note_enc: null })
    .where('case_id', '=', id)
    .execute();
  return { counts, version: row.version + 1 };
}
