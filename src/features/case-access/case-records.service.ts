import type { Executor } from '../../platform/db/database.js';
import type { CaseTable } from '../../platform/db/tables/case-access.js';
import { customerIdsMatching, customerRefsByIds } from '../customers/customers.service.js';
import { branchesByIds, staffNames } from '../staff/staff.service.js';
import {
  type CaseRowFilter,
  closedCasesBefore,
  findCaseRow,
  insertCase,
  lastCaseNumberOfYear,
  pageCaseRows,
  purgeCaseRow,
  setPurgeCounts,
  updateCaseRow,
} from './case-access.repository.js';

// The case record as the case file (features/cases) stores and reads it. The row lives here, with
// the verdict that guards it; what it says is the case file's business.

/** A case row with what its views show beside it: the customer's number and name, the branch code, the maintainer's name. */
export interface CaseRecord extends CaseTable {
  customer_number: string;
  customer_name: string;
  branch_code: string;
  maintainer_name: string | null;
}

/** The rows with the names beside them: one query per kind of name for the whole list. */
async function withNames(db: Executor, rows: readonly CaseTable[]): Promise<CaseRecord[]> {
  const customers = await customerRefsByIds(
    db,
    rows.map((r) => r.customer_id),
  );
  const branches = await branchesByIds(
    db,
    rows.map((r) => r.branch_id),
  );
  const names = await staffNames(
    db,
    rows.map((r) => r.maintainer_id),
  );
  return rows.map((r) => ({
    ...r,
    customer_number: customers.get(r.customer_id)?.customerNumber ?? '',
    customer_name: customers.get(r.customer_id)?.name ?? '',
    branch_code: branches.get(r.branch_id)?.code ?? '',
    maintainer_name: r.maintainer_id === null ? null : (names.get(r.maintainer_id) ?? null),
  }));
}

/** One case record, without any access check (the caller decides with verdictFor). */
export async function findCaseRecord(db: Executor, id: string): Promise<CaseRecord | undefined> {
  const row = await findCaseRow(db, id);
  return row ? (await withNames(db, [row]))[0] : undefined;
}

/** The filters of the case list; all given ones must match. */
export type CaseRecordFilter = Omit<CaseRowFilter, 'search'> & {
  /** A case number, a customer number, or a fragment of the customer's name. */
  q?: string;
};

/** How many customers a name fragment may stand for in the case list's search. */
const SEARCH_CUSTOMERS = 1000;

/** A page of case records, newest first. */
export async function pageCaseRecords(db: Executor, f: CaseRecordFilter): Promise<CaseRecord[]> {
  const { q, ...filter } = f;
  const search =
    q === undefined
      ? undefined
      : {
          caseNumber: q.toUpperCase(),
          customerIds: await customerIdsMatching(db, { query: q, branchId: f.branchId, limit: SEARCH_CUSTOMERS }),
        };
  return withNames(db, await pageCaseRows(db, { ...filter, search }));
}

/** Stores a newly registered case. */
export async function storeNewCase(db: Executor, row: CaseTable): Promise<void> {
  await insertCase(db, row);
}

/** Changes a case at the version the caller read; answers false when another change came first. */
export async function changeCaseRecord(
  db: Executor,
  id: string,
  expectedVersion: number,
  changes: Partial<Omit<CaseTable, 'id' | 'version'>>,
): Promise<boolean> {
  return updateCaseRow(db, id, expectedVersion, changes);
}

/** The highest case number of a year, if any. */
export async function lastCaseNumber(db: Executor, year: number): Promise<string | undefined> {
  return lastCaseNumberOfYear(db, year);
}

/** Closed cases closed at or before the cut-off, oldest first (retention). */
export async function casesClosedBefore(db: Executor, cutoff: string, limit: number): Promise<{ id: string; branch_id: string }[]> {
  return closedCasesBefore(db, cutoff, limit);
}

/** Clears the case row's ciphertexts and makes it a tombstone; undefined when the case was no longer closed. */
export async function purgeCaseRecord(db: Executor, id: string, at: string): Promise<{ cleared: number; version: number } | undefined> {
  return purgeCaseRow(db, id, at);
}

/** Records on the tombstone what a purge cleared. */
export async function recordPurgeCounts(db: Executor, id: string, counts: Readonly<Record<string, number>>): Promise<void> {
  await setPurgeCounts(db, id, JSON.stringify(counts));
}
