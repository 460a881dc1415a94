import type { Executor } from '../../platform/db/database.js';
import { type AppContext, bankDay } from '../../platform/http/context.js';
import { activeTeam, type CaseFacts } from '../case-access/case-access.service.js';
import { staffAwayOn } from '../staff/away.service.js';
import { activeStaffIdsWithRole } from '../staff/staff.service.js';
import { openRequestCounts } from './wealth.repository.js';

/**
 * Who calls the customer back on the wealth hotline (P4.3.2, "at any time"): the case's wealth
 * manager (the primary one first) unless away today, else the present wealth manager of the branch
 * with the fewest unfinished service requests (ties: the earliest account, for a stable answer).
 * Null when every wealth manager of the branch is away: the branch's supervisors see it unassigned.
 */
export async function hotlineAssignee(ctx: AppContext, db: Executor, facts: Pick<CaseFacts, 'id' | 'branchId'>): Promise<string | null> {
  const today = bankDay(ctx);
  const team = (await activeTeam(db, facts.id))
    .filter((m) => m.role === 'wealth_manager')
    .sort((a, b) => Number(b.primary) - Number(a.primary));
  const branchWms = await activeStaffIdsWithRole(db, facts.branchId, 'wealth_manager');
  const away = await staffAwayOn(db, [...team.map((m) => m.staffId), ...branchWms], today);
  const own = team.find((m) => !away.has(m.staffId));
  if (own) return own.staffId;
  const present = branchWms.filter((id) => !away.has(id));
  const load = await openRequestCounts(db, present);
  return [...present].sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || a.localeCompare(b))[0] ?? null;
}
