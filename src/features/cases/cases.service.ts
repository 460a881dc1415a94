import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

/** The active case of a customer, if any (the leads feature links duplicates to it). */
export async function activeCaseForCustomer(
  _db: Kysely<Database>,
  _customerId: string,
): Promise<{ id: string; caseNumber: string } | undefined> {
  return undefined;
}
