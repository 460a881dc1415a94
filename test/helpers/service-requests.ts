import { loadAccounts } from '../../src/features/customers/customers.service.js';
import type { CaseTeamMemberTable } from '../../src/platform/db/tables/case-access.js';
import { addTeamMembers, registerCaseViaApi } from './cases.js';
import { makeCustomer, type Session } from './factories.js';
import type { Harness } from './harness.js';

/** A service request as the tests of documents and signatures read it. */
export interface ServiceRequestRef {
  id: string;
  caseId: string;
  accountId: string;
  version: number;
}

/**
 * A registered case of `branch` with an account and its team named, and an `account_help`
 * request on it by the first team member (whose reduced checklist is the identity document).
 */
export async function serviceRequestOnCase(
  h: Harness,
  who: { teller: Session; supervisor: Session; requester: Session },
  team: { staffId: string; role: CaseTeamMemberTable['role'] }[],
  assignedBy: string,
): Promise<ServiceRequestRef> {
  const customer = await makeCustomer(h, { name: '签名客户' });
  await loadAccounts(h.ctx, h.db, [
    {
      accountNumber: `A-${customer.customerNumber}`,
      customerNumber: customer.customerNumber,
      type: 'current',
      currency: 'CNY',
      balanceMinor: 500_000,
      status: 'active',
      openedOn: '2015-01-01',
    },
  ]);
  const c = await registerCaseViaApi({ teller: who.teller, supervisor: who.supervisor }, customer.customerNumber, h.clock.now());
  await addTeamMembers(h, c.id, team, assignedBy);
  const account = await h.db
    .selectFrom('accounts')
    .select('id')
    .where('account_number', '=', `A-${customer.customerNumber}`)
    .executeTakeFirstOrThrow();
  const res = await who.requester.request({
    method: 'POST',
    url: `/api/v1/cases/${c.id}/service-requests`,
    payload: { type: 'account_help', details: { accountId: account.id, change: 'contact_details', description: '更新联系电话' } },
  });
  if (res.statusCode !== 201) throw new Error(`service request: ${res.statusCode} ${res.body}`);
  const r = res.json<{ id: string; version: number }>();
  return { id: r.id, caseId: c.id, accountId: account.id, version: r.version };
}

/** The smallest valid PNG (1×1, transparent), as a signature pad would send it. */
export const TINY_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
