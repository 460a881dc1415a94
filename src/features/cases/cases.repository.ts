import type { Executor } from '../../platform/db/database.js';
import type { CaseConsentTable, CaseVersionTable } from '../../platform/db/tables/cases.js';

// The case file's own tables: its versions and consents. The case row itself belongs to case
// access (features/case-access), which guards every read of it.

export async function insertVersion(db: Executor, row: CaseVersionTable): Promise<void> {
  await db.insertInto('case_versions').values(row).execute();
}

/** A case's versions, oldest first. */
export async function listVersions(db: Executor, caseId: string): Promise<CaseVersionTable[]> {
  return db.selectFrom('case_versions').selectAll().where('case_id', '=', caseId).orderBy('version').execute();
}

export async function insertConsent(db: Executor, row: CaseConsentTable): Promise<void> {
  await db.insertInto('case_consents').values(row).execute();
}

/** A case's consent records, in the order they were recorded. */
export async function listConsents(db: Executor, caseId: string): Promise<CaseConsentTable[]> {
  return db.selectFrom('case_consents').selectAll().where('case_id', '=', caseId).orderBy('recorded_at').orderBy('id').execute();
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
 * True when the case holds an active consent to share with the partner and an active basis to
 * process health information at all (consent or a recorded legal basis).
 */
export async function hasActiveSharingConsent(db: Executor, caseId: string, partnerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('case_consents as sharing')
    .select('sharing.id')
    .where('sharing.case_id', '=', caseId)
    .where('sharing.partner_id', '=', partnerId)
    .where('sharing.kind', '=', 'partner_sharing')
    .where('sharing.status', '=', 'active')
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

function countSet(values: readonly (string | null)[]): number {
  return values.filter((v) => v !== null).length;
}

/** Clears the encrypted values of a case's versions and consents; answers how many it cleared. */
export async function purgeVersionsAndConsents(db: Executor, caseId: string): Promise<{ versionValues: number; consentFields: number }> {
  const versions = await db
    .selectFrom('case_versions')
    .select(['old_values_enc', 'new_values_enc'])
    .where('case_id', '=', caseId)
    .execute();
  const consents = await db
    .selectFrom('case_consents')
    .select(['scope_enc', 'note_enc', 'withdrawal_note_enc'])
    .where('case_id', '=', caseId)
    .execute();
  await db.updateTable('case_versions').set({ old_values_enc: null, new_values_enc: null }).where('case_id', '=', caseId).execute();
  await db
    .updateTable('case_consents')
    .set({ scope_enc: null, note_enc: null, withdrawal_note_enc: null })
    .where('case_id', '=', caseId)
    .execute();
  return {
    versionValues: countSet(versions.flatMap((v) => [v.old_values_enc, v.new_values_enc])),
    consentFields: countSet(consents.flatMap((c) => [c.scope_enc, c.note_enc, c.withdrawal_note_enc])),
  };
}
