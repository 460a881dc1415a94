import { z } from 'zod';
import { type AuditActor, recordAudit } from '../../platform/audit/audit.service.js';
import type { NotificationKind } from '../../platform/db/tables/notifications.js';
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

/** What a notification is about: a case (with its number) or a lead, and who caused it. */
export interface NotificationInput {
  recipientId: string;
  kind: NotificationKind;
  /** The record that caused it (a message, a task, a lead…), for the page to link. */
  sourceId: string;
  case?: { id: string; caseNumber: string };
  leadId?: string;
  /** Set for occasions a daily check may meet again (an overdue item): a second one is not written. */
  dedupKey?: string;
}

/** The e-mail's subject per kind: only the case number or nothing, never case details (P5.4). */
const EMAIL_SUBJECT: Record<NotificationKind, string> = {
  mention: 'you were mentioned in a case discussion',
  action_item: 'an action item for you',
  lead_new: 'a new lead to verify',
  team_assigned: 'you were added to a case team',
  task_assigned: 'a new task for you',
  task_overdue: 'a task is overdue',
  lead_overdue: 'a lead is past its verification deadline',
  service_requested: 'a service to deliver',
  service_approval: 'a service request awaits your approval',
  service_decided: 'a service request was decided',
};

/**
 * A notification for a colleague and its e-mail, in the caller's transaction (so what a page says
 * happened has happened). Not sent to the one who caused it. The e-mail names the kind and the
 * case number only: details stay in Lifeline.
 */
export async function notify(ctx: AppContext, db: Executor, actor: AuditActor | null, n: NotificationInput): Promise<void> {
  if (actor?.id === n.recipientId) return;
  const now = ctx.now();
  const written = await insertNotification(db, {
    id: newId(now.getTime()),
    recipient_id: n.recipientId,
    kind: n.kind,
    case_id: n.case?.id ?? null,
    case_number: n.case?.caseNumber ?? null,
    lead_id: n.leadId ?? null,
    source_id: n.sourceId,
    actor_id: actor?.id ?? null,
    dedup_key: n.dedupKey ?? null,
    created_at: now.toISOString(),
    read_at: null,
  });
  if (!written) return;
  const contact = await findContact(db, n.recipientId);
  const about = n.case ? ` (case ${n.case.caseNumber})` : '';
  await enqueueEmail(
    db,
    {
      to: contact?.email ?? null,
      subject: `Lifeline: ${EMAIL_SUBJECT[n.kind]}${about}`,
      text: `Lifeline: ${EMAIL_SUBJECT[n.kind]}${about}.\nOpen Lifeline to read it.\n\nThis message holds no case details on purpose.\n`,
    },
    { enabled: ctx.config.mail.smtpUrl !== null, now },
  );
}

/** Notifies several colleagues of the same occasion (each once; the dedup key, if any, per recipient). */
export async function notifyAll(
  ctx: AppContext,
  db: Executor,
  actor: AuditActor | null,
  recipientIds: Iterable<string>,
  n: Omit<NotificationInput, 'recipientId'>,
): Promise<void> {
  for (const recipientId of new Set(recipientIds)) {
    await notify(ctx, db, actor, { ...n, recipientId, ...(n.dedupKey ? { dedupKey: `${n.dedupKey}|${recipientId}` } : {}) });
  }
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
      leadId: r.lead_id,
      sourceId: r.source_id,
      actor: r.actor_id === null ? null : { id: r.actor_id, displayName: names.get(r.actor_id) ?? '' },
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
