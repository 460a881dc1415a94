import { TEAM_ROLES } from '../../domain/roles.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { CaseTeamMemberTable } from '../../platform/db/tables/case-access.js';
import { type Actor, type AppContext, bankDay } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import {
  activeMemberships,
  activeMembershipsOf,
  addMembership,
  caseFactsByIds,
  caseForAccess,
  endMemberships,
} from '../case-access/case-access.service.js';
import { notify } from '../notifications/notifications.service.js';
import { getStaff, pageStaff, staffNames } from '../staff/staff.service.js';
import { overdueTaskCounts, syncDutiesForCase } from '../work/duties.service.js';

type TeamRole = (typeof TEAM_ROLES)[number];

// ---------------------------------------------------------------------------------------------
// Team assignment (P3.1)
// ---------------------------------------------------------------------------------------------

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { errors: [{ path, message }] });
}

async function teamAnswer(db: Executor, caseId: string, caseNumber: string) {
  const rows = await activeMemberships(db, caseId);
  const names = await staffNames(
    db,
    rows.map((r) => r.staff_id),
  );
  return {
    caseId,
    caseNumber,
    members: rows.map((r) => ({
      staffId: r.staff_id,
      displayName: names.get(r.staff_id) ?? null,
      role: r.role,
      primary: r.is_primary === 1,
      assignedAt: r.assigned_at,
      assignedBy: r.assigned_by,
    })),
  };
}

/** The current team of a case the actor may see. */
export async function teamOfCase(ctx: AppContext, db: Executor, actor: Actor, caseId: string) {
  const { facts } = await caseForAccess(ctx, db, actor, caseId);
  return teamAnswer(db, facts.id, facts.caseNumber);
}

/** One requested member of a team. */
export interface MemberInput {
  staffId: string;
  role: TeamRole;
  primary?: boolean;
}

/**
 * Replaces a case's team (PUT semantics): members must be active staff of the case's branch
 * holding the role; exactly one primary customer manager. Memberships that go are marked removed,
 * new ones added, unchanged ones kept; each change audited with who and role.
 */
export async function assignTeam(ctx: AppContext, db: Executor, actor: Actor, caseId: string, members: readonly MemberInput[]) {
  const { facts } = await caseForAccess(ctx, db, actor, caseId);
  if (!(actor.roles.includes('supervisor') && actor.branchId === facts.branchId)) {
    throw new AppError('FORBIDDEN', 'only a supervisor of the case’s branch assigns its team');
  }
  if (facts.status !== 'active') throw new AppError('CONFLICT', `the case is ${facts.status}`);
  const seen = new Set<string>();
  for (const [i, m] of members.entries()) {
    const key = `${m.staffId}|${m.role}`;
    if (seen.has(key)) throw invalid(`body.members.${i}`, 'the same colleague twice in the same role');
    seen.add(key);
    if (m.primary && m.role !== 'customer_manager') throw invalid(`body.members.${i}.primary`, 'only a customer manager can be primary');
    let staff: Awaited<ReturnType<typeof getStaff>>;
    try {
      staff = await getStaff(db, m.staffId);
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') throw invalid(`body.members.${i}.staffId`, 'no such staff member');
      throw err;
    }
    if (staff.branch_id !== facts.branchId) throw invalid(`body.members.${i}.staffId`, 'must belong to the case’s branch');
    if (staff.status !== 'active') throw invalid(`body.members.${i}.staffId`, 'this account is disabled');
    if (!staff.roles.includes(m.role)) throw invalid(`body.members.${i}.role`, 'the colleague does not hold this role');
  }
  const primaries = members.filter((m) => m.role === 'customer_manager' && m.primary === true).length;
  if (primaries !== 1) throw invalid('body.members', 'exactly one customer manager must be primary');

  const now = ctx.now().toISOString();
  const current = await activeMemberships(db, facts.id);
  const same = (row: CaseTeamMemberTable, m: MemberInput) =>
    row.staff_id === m.staffId && row.role === m.role && (row.is_primary === 1) === (m.primary === true);
  const leaving = current.filter((row) => !members.some((m) => same(row, m)));
  const joining = members.filter((m) => !current.some((row) => same(row, m)));
  await endMemberships(
    db,
    leaving.map((r) => r.id),
    now,
    actor.id,
  );
  for (const r of leaving) {
    await recordAudit(
      db,
      actor,
      {
        action: 'team.removed',
        target: { type: 'case', id: facts.id },
        branchId: facts.branchId,
        detail: { staffId: r.staff_id, role: r.role, primary: r.is_primary === 1 },
      },
      ctx.now(),
    );
  }
  for (const m of joining) {
    await addMembership(db, {
      id: newId(ctx.now().getTime()),
      case_id: facts.id,
      staff_id: m.staffId,
      role: m.role,
      is_primary: m.primary === true ? 1 : 0,
      assigned_at: now,
      assigned_by: actor.id,
      removed_at: null,
      removed_by: null,
    });
    await recordAudit(
      db,
      actor,
      {
        action: 'team.assigned',
        target: { type: 'case', id: facts.id },
        branchId: facts.branchId,
        detail: { staffId: m.staffId, role: m.role, primary: m.primary === true },
      },
      ctx.now(),
    );
    await notify(ctx, db, actor, {
      recipientId: m.staffId,
      kind: 'team_assigned',
      sourceId: facts.id,
      case: { id: facts.id, caseNumber: facts.caseNumber },
      // A second role on the same case in the same change is one occasion.
      dedupKey: `team_assigned|${facts.id}|${m.staffId}|${now}`,
    });
  }
  // P3.2: the members' recurring duties follow the team at once (the work feature's daily run catches up too).
  if (leaving.length > 0 || joining.length > 0) await syncDutiesForCase(ctx, db, facts.id);
  return teamAnswer(db, facts.id, facts.caseNumber);
}

// ---------------------------------------------------------------------------------------------
// Workload (P3.1: balanced assignments)
// ---------------------------------------------------------------------------------------------

/** Every staff member of a branch (or of all branches), following the staff feature's pages. */
async function allStaff(db: Executor, branchId: string | undefined) {
  const out: Awaited<ReturnType<typeof pageStaff>>['items'] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await pageStaff(db, { limit: 500, cursor, branchId });
    out.push(...page.items);
    if (page.nextCursor === null) return out;
    cursor = page.nextCursor;
  }
}

/** The overdue tasks of staff members, counted by the work feature (P3.2). */
async function overdueTasksOf(ctx: AppContext, db: Executor, staffIds: readonly string[]): Promise<Map<string, number> | null> {
  return overdueTaskCounts(ctx, db, staffIds);
}

/** Each case worker of the supervisor's branch: open cases by team role and overdue reviews of those cases. */
export async function workload(ctx: AppContext, db: Executor, actor: Actor) {
  const staff = (await allStaff(db, actor.branchId)).filter(
    (s) => s.status === 'active' && s.roles.some((r) => (TEAM_ROLES as readonly string[]).includes(r)),
  );
  const memberships = await activeMembershipsOf(
    db,
    staff.map((s) => s.id),
  );
  const cases = new Map((await caseFactsByIds(db, [...new Set(memberships.map((m) => m.case_id))])).map((c) => [c.id, c]));
  const tasks = await overdueTasksOf(
    ctx,
    db,
    staff.map((s) => s.id),
  );
  const today = bankDay(ctx);
  const items = staff.map((s) => {
    const byRole: Record<TeamRole, number> = { customer_manager: 0, wealth_manager: 0, risk_officer: 0, operations: 0, service_agent: 0 };
    const open = new Set<string>();
    const overdue = new Set<string>();
    for (const m of memberships) {
      if (m.staff_id !== s.id) continue;
      const c = cases.get(m.case_id);
      if (c?.status !== 'active') continue;
      byRole[m.role] += 1;
      open.add(c.id);
      if (c.nextUpdateDue < today) overdue.add(c.id);
    }
    return {
      staffId: s.id,
      displayName: s.displayName,
      roles: s.roles,
      openCases: open.size,
      openCasesByRole: byRole,
      overdueReviews: overdue.size,
      overdueTasks: tasks === null ? null : (tasks.get(s.id) ?? 0),
    };
  });
  return { branchId: actor.branchId, items };
}
