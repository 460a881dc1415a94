import { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import { enqueueEmail } from '../../platform/jobs/outbox.js';
import { getStaff, staffNames } from '../staff/staff.service.js';
import {
  countUnread,
  findContact,
  insertNotification,
  listNotifications,
  markAllRead,
  markRead,
  upsertContact,
} from './notifications.repository.js';
import type { NotificationView } from './notifications.schemas.js';

/** A notification and its e-mail, in the caller's transaction; the e-mail names only the case number. */
export async function notify(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  n: { recipientId: string; kind: 'mention' | 'action_item'; caseId: string; caseNumber: string; sourceId: string },
): Promise<void> {
  const now = ctx.now();
  await insertNotification(db, {
    id: newId(now.getTime()),
    recipient_id: n.recipientId,
    kind: n.kind,
    case_id: n.caseId,
    case_number: n.caseNumber,
    source_id: n.sourceId,
    actor_id: actor.id,
    created_at: now.toISOString(),
    read_at: null,
  });
  const contact = await findContact(db, n.recipientId);
  const what = n.kind === 'mention' ? 'mentioned you in the discussion of' : 'assigned you an action item in';
  await enqueueEmail(
    db,
    {
      to: contact?.email ?? null,
      subject:
        n.kind === 'mention' ? `Lifeline: you were mentioned in case ${n.caseNumber}` : `Lifeline: an action item in case ${n.caseNumber}`,
      text: `${actor.displayName} ${what} case ${n.caseNumber}.\nOpen Lifeline to read it.\n\nThis message holds no case details on purpose.\n`,
    },
    { enabled: ctx.config.mail.smtpUrl !== null, now },
  );
}

const NotificationCursor = z.object({ id: z.string().max(64) });

/** A page of the actor's own notifications, newest first, with the unread count for the bell. */
export async function pageNotifications(db: Executor, actor: Actor, q: { limit: number; cursor?: string; unread?: 'true' | 'false' }) {
  const before = decodeCursor(q.cursor, NotificationCursor);
  const rows = await listNotifications(db, actor.id, { unreadOnly: q.unread === 'true', beforeId: before?.id, limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const names = await staffNames(
    db,
    page.map((r) => r.actor_id),
  );
  const items = page.map(
    (r): z.input<typeof NotificationView> => ({
      id: r.id,
      kind: r.kind,
      caseId: r.case_id,
      caseNumber: r.case_number,
      sourceId: r.source_id,
      actor: { id: r.actor_id, displayName: names.get(r.actor_id) ?? '' },
      createdAt: r.created_at,
      readAt: r.read_at,
    }),
  );
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null,
    unreadCount: await countUnread(db, actor.id),
  };
}

/** Marks one of the actor's notifications read; someone else's is "not found". */
export async function readNotification(ctx: AppContext, db: Executor, actor: Actor, id: string) {
  if (!(await markRead(db, actor.id, id, ctx.now().toISOString()))) throw new AppError('NOT_FOUND', 'no such notification');
  return { updated: 1, unreadCount: await countUnread(db, actor.id) };
}

/** Marks all of the actor's notifications read. */
export async function readAllNotifications(ctx: AppContext, db: Executor, actor: Actor) {
  const updated = await markAllRead(db, actor.id, ctx.now().toISOString());
  return { updated, unreadCount: await countUnread(db, actor.id) };
}

/** Sets (or, with null, clears) a staff member's e-mail address for notifications; audited. */
export async function setStaffEmail(ctx: AppContext, db: Executor, actor: Actor, staffId: string, email: string | null) {
  const staff = await getStaff(db, staffId);
  const now = ctx.now();
  await upsertContact(
    db,
    email === null
      ? { staff_id: staff.id, email: null }
      : { staff_id: staff.id, email, updated_at: now.toISOString(), updated_by: actor.id },
  );
  await recordAudit(
    db,
    actor,
    { action: 'staff.email_set', target: { type: 'staff', id: staff.id }, branchId: staff.branch_id, detail: { cleared: email === null } },
    now,
  );
  return { staffId: staff.id, email };
}

/** A staff member's e-mail address for notifications, or null. */
export async function staffEmail(db: Executor, staffId: string) {
  const staff = await getStaff(db, staffId);
  return { staffId: staff.id, email: (await findContact(db, staff.id))?.email ?? null };
}
