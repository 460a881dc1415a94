import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service.js';
import type { Executor } from '../../platform/db/database.js';
import { type Actor, type AppContext, bankDay } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { deleteAway, findAway, findAwayOn, upsertAway } from './away.repository.js';
import type { AwayBody, AwayView } from './away.schemas.js';
import { getStaff } from './staff.service.js';

// Staff away dates (P4.3.2: the wealth hotline is answered "at any time", so a call-back goes to a
// present colleague when the customer's own wealth manager is away): docs/wealth-replanning.md.

type View = z.input<typeof AwayView>;

async function viewOf(ctx: AppContext, db: Executor, staffId: string): Promise<View> {
  const a = await findAway(db, staffId);
  const today = bankDay(ctx);
  return {
    staffId,
    away: a ? { from: a.from_on, until: a.until_on, note: a.note, awayToday: a.from_on <= today && today <= a.until_on } : null,
  };
}

/** The staff member themselves, or a supervisor of their branch: anyone else gets 404 (the colleague's existence does not leak). */
async function assertMaySet(db: Executor, actor: Actor, staffId: string): Promise<void> {
  if (staffId === actor.id) return;
  const s = await getStaff(db, staffId).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return undefined;
    throw err;
  });
  if (!s || s.branch_id !== actor.branchId || !actor.roles.includes('supervisor'))
    throw new AppError('NOT_FOUND', 'no such staff member in your branch');
}

/** A staff member's away period as its owner or their supervisor sees it. */
export async function awayOf(ctx: AppContext, db: Executor, actor: Actor, staffId: string): Promise<View> {
  await assertMaySet(db, actor, staffId);
  return viewOf(ctx, db, staffId);
}

/** Records (or replaces) an away period: both days included, ending today or later. */
export async function setAway(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  staffId: string,
  body: z.output<typeof AwayBody>,
): Promise<View> {
  await assertMaySet(db, actor, staffId);
  if (body.until < body.from)
    throw new AppError('VALIDATION_FAILED', 'the away period ends before it starts', {
      errors: [{ path: 'body.until', message: 'before from', reason: 'order' }],
    });
  if (body.until < bankDay(ctx))
    throw new AppError('VALIDATION_FAILED', 'the away period is over', {
      errors: [{ path: 'body.until', message: 'in the past', reason: 'range' }],
    });
  await upsertAway(db, {
    staff_id: staffId,
    from_on: body.from,
    until_on: body.until,
    note: body.note ?? null,
    set_by: actor.id,
    set_at: ctx.now().toISOString(),
  });
  await recordAudit(
    db,
    actor,
    {
      action: 'staff.away_set',
      target: { type: 'staff', id: staffId },
      branchId: actor.branchId,
      detail: { from: body.from, until: body.until },
    },
    ctx.now(),
  );
  return viewOf(ctx, db, staffId);
}

/** Clears an away period (back early, or a mistake). */
export async function clearAway(ctx: AppContext, db: Executor, actor: Actor, staffId: string): Promise<View> {
  await assertMaySet(db, actor, staffId);
  if (await deleteAway(db, staffId))
    await recordAudit(
      db,
      actor,
      { action: 'staff.away_cleared', target: { type: 'staff', id: staffId }, branchId: actor.branchId },
      ctx.now(),
    );
  return viewOf(ctx, db, staffId);
}

/** Of these staff, those away on the day (`YYYY-MM-DD`). */
export async function staffAwayOn(db: Executor, staffIds: readonly string[], day: string): Promise<Set<string>> {
  return new Set(await findAwayOn(db, staffIds, day));
}
