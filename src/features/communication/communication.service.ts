import { clearLinkedTexts } from '../../platform/crypto/text-purge.js';
import { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { withSensitiveReads } from '../../platform/audit/sensitive-read.js';
import { newId } from '../../platform/crypto/ids.js';
import type { Executor } from '../../platform/db/database.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import { notify } from '../notifications/notifications.service.js';
import { activeTeam, caseForTeamWork } from '../case-access/case-access.service.js';
import { getStaff, pageColleagues, staffRefsByIds } from '../staff/staff.service.js';
import { createAdHocTask } from '../work/work.service.js';
import {
  insertActionItem,
  insertMeeting,
  insertMessage,
  listActionItems,
  listMeetings,
  listMessages,
  COMMUNICATION_CASE_TEXTS,
} from './communication.repository.js';
import type { MeetingBody, MessageView, MeetingView } from './communication.schemas.js';

/** The usernames @-mentioned in a text, in order of first mention, without duplicates. */
export function parseMentions(body: string): string[] {
  const out: string[] = [];
  for (const m of body.matchAll(/(?:^|[^\w@.])@([A-Za-z0-9][A-Za-z0-9._-]{0,62}[A-Za-z0-9_]|[A-Za-z0-9])/g)) {
    const name = (m[1] ?? '').toLowerCase();
    if (name !== '' && !out.includes(name)) out.push(name);
  }
  return out;
}

/**
 * The case for a thread or meeting: 404 for those who may not see the case, 403 for those who see
 * it but not its confidential sections (the discussion is as confidential as the file: P1.3.2).
 */
function caseForDiscussion(ctx: AppContext, db: Executor, actor: Actor, caseId: string) {
  return caseForTeamWork(ctx, db, actor, caseId, 'only the case’s team and its branch’s supervisors take part in its discussion');
}

const cipherCtx = (table: 'case_messages' | 'case_meetings' | 'meeting_action_items', column: string, rowId: string) => ({
  table,
  column,
  rowId,
});

/** Resolves mentioned usernames to staff: the case's team and the author's branch colleagues. */
async function resolveMentions(db: Executor, actor: Actor, caseId: string, usernames: string[]): Promise<string[]> {
  if (usernames.length === 0) return [];
  const found = new Map<string, string>();
  for (const member of await activeTeam(db, caseId)) {
    const s = await getStaff(db, member.staffId);
    found.set(s.username.toLowerCase(), s.id);
  }
  for (const name of usernames.slice(0, 20)) {
    if (found.has(name)) continue;
    const page = await pageColleagues(db, actor, { limit: 20, q: name });
    const hit = page.items.find((c) => c.username.toLowerCase() === name);
    if (hit) found.set(name, hit.id);
  }
  return usernames.flatMap((n) => {
    const staffId = found.get(n);
    return staffId && staffId !== actor.id ? [staffId] : [];
  });
}

type MessageOut = z.input<typeof MessageView>;

/** Posts a message to a case's thread; mentioned colleagues get a notification and an e-mail. */
export async function postMessage(ctx: AppContext, db: Executor, actor: Actor, caseId: string, body: string): Promise<MessageOut> {
  const facts = await caseForDiscussion(ctx, db, actor, caseId);
  const now = ctx.now();
  const id = newId(now.getTime());
  const mentions = await resolveMentions(db, actor, facts.id, parseMentions(body));
  await insertMessage(db, {
    id,
    case_id: facts.id,
    author_id: actor.id,
    body_enc: ctx.cipher.encrypt(body, cipherCtx('case_messages', 'body_enc', id)),
    mentions: JSON.stringify(mentions),
    created_at: now.toISOString(),
  });
  for (const recipientId of mentions) {
    await notify(ctx, db, actor, { recipientId, kind: 'mention', case: { id: facts.id, caseNumber: facts.caseNumber }, sourceId: id });
  }
  await recordAudit(
    db,
    actor,
    {
      action: 'case.message_posted',
      target: { type: 'case', id: facts.id },
      branchId: facts.branchId,
      detail: { messageId: id, mentions: mentions.length },
    },
    now,
  );
  return {
    id,
    caseId: facts.id,
    author: { id: actor.id, username: actor.username, displayName: actor.displayName },
    body,
    mentions,
    createdAt: now.toISOString(),
  };
}

const MessageCursor = z.object({ id: z.string().max(64) });

/** A page of a case's thread, oldest first. */
export async function pageMessages(ctx: AppContext, db: Executor, actor: Actor, caseId: string, q: { limit: number; cursor?: string }) {
  const facts = await caseForDiscussion(ctx, db, actor, caseId);
  const after = decodeCursor(q.cursor, MessageCursor);
  const rows = await listMessages(db, facts.id, { afterId: after?.id, limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const authors = await staffRefsByIds(
    db,
    page.map((r) => r.author_id),
  );
  // Reading the thread is reading the case (P1.3.2): one audited read per page, like the file.
  const scope = { target: { type: 'case', id: facts.id }, branchId: facts.branchId, purpose: 'case_thread' };
  const items = await withSensitiveReads(db, ctx.cipher, actor, scope, (read) =>
    page.map(
      (r): MessageOut => ({
        id: r.id,
        caseId: r.case_id,
        author: {
          id: r.author_id,
          username: authors.get(r.author_id)?.username ?? '',
          displayName: authors.get(r.author_id)?.displayName ?? '',
        },
        body: read('case_messages', r.id, { body_enc: r.body_enc }).body_enc ?? '',
        mentions: z.array(z.string()).parse(JSON.parse(r.mentions)),
        createdAt: r.created_at,
      }),
    ),
  );
  const last = items.at(-1);
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null };
}

/** A staff id that must exist, or a 400 naming the field. */
async function existingStaff(db: Executor, staffId: string, path: string): Promise<void> {
  try {
    await getStaff(db, staffId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') {
      throw new AppError('VALIDATION_FAILED', 'unknown staff member', {
        errors: [{ path, message: 'no such staff member', reason: 'unknown' }],
      });
    }
    throw err;
  }
}

type MeetingOut = z.input<typeof MeetingView>;

/** Makes the work feature's ad-hoc task for an action item; its field errors name the item. */
async function taskFor(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  caseId: string,
  item: { assigneeId: string; title: string; dueOn: string },
  i: number,
) {
  try {
    return await createAdHocTask(ctx, db, actor, caseId, item, { notify: false });
  } catch (err) {
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
      const errors = (err.errors ?? []).map((e) => ({ ...e, path: e.path.replace(/^body\./, `body.actionItems.${i}.`) }));
      throw new AppError('VALIDATION_FAILED', err.message, { errors });
    }
    throw err;
  }
}

/**
 * Records a team meeting's minutes. Each action item becomes an ad-hoc task of the work feature
 * (the assignee's "my work"), is kept with the meeting under the task's id, and its assignee notified.
 */
export async function recordMeeting(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  caseId: string,
  input: z.output<typeof MeetingBody>,
): Promise<MeetingOut> {
  const facts = await caseForDiscussion(ctx, db, actor, caseId);
  const attendees = [...new Set(input.attendees)];
  for (const [i, a] of attendees.entries()) await existingStaff(db, a, `body.attendees.${i}`);
  for (const [i, item] of input.actionItems.entries()) await existingStaff(db, item.assigneeId, `body.actionItems.${i}.assigneeId`);
  const now = ctx.now();
  const id = newId(now.getTime());
  const heldAt = new Date(input.heldAt).toISOString();
  await insertMeeting(db, {
    id,
    case_id: facts.id,
    held_at: heldAt,
    attendees: JSON.stringify(attendees),
    minutes_enc: ctx.cipher.encrypt(input.minutes, cipherCtx('case_meetings', 'minutes_enc', id)),
    recorded_by: actor.id,
    created_at: now.toISOString(),
  });
  const items: MeetingOut['actionItems'] = [];
  for (const [i, item] of input.actionItems.entries()) {
    const task = await taskFor(ctx, db, actor, facts.id, item, i);
    const itemId = newId(now.getTime());
    await insertActionItem(db, {
      id: itemId,
      meeting_id: id,
      case_id: facts.id,
      assignee_id: item.assigneeId,
      title_enc: ctx.cipher.encrypt(item.title, cipherCtx('meeting_action_items', 'title_enc', itemId)),
      due_on: item.dueOn,
      status: 'open',
      task_id: task.id,
      created_at: now.toISOString(),
    });
    items.push({ id: itemId, assigneeId: item.assigneeId, title: item.title, dueOn: item.dueOn, status: 'open', taskId: task.id });
    if (item.assigneeId !== actor.id) {
      await notify(ctx, db, actor, {
        recipientId: item.assigneeId,
        kind: 'action_item',
        case: { id: facts.id, caseNumber: facts.caseNumber },
        sourceId: itemId,
      });
    }
  }
  await recordAudit(
    db,
    actor,
    {
      action: 'case.meeting_recorded',
      target: { type: 'case', id: facts.id },
      branchId: facts.branchId,
      detail: { meetingId: id, attendees: attendees.length, actionItems: items.length },
    },
    now,
  );
  return {
    id,
    caseId: facts.id,
    heldAt,
    attendees,
    minutes: input.minutes,
    recordedBy: actor.id,
    actionItems: items,
    createdAt: now.toISOString(),
  };
}

/** The case's meetings, newest first (at most 100). */
export async function caseMeetings(ctx: AppContext, db: Executor, actor: Actor, caseId: string): Promise<{ items: MeetingOut[] }> {
  const facts = await caseForDiscussion(ctx, db, actor, caseId);
  const meetings = await listMeetings(db, facts.id, 100);
  const items = await listActionItems(
    db,
    meetings.map((m) => m.id),
  );
  // Reading the minutes is reading the case (P1.3.2): one audited read for the list.
  const scope = { target: { type: 'case', id: facts.id }, branchId: facts.branchId, purpose: 'case_meetings' };
  return withSensitiveReads(db, ctx.cipher, actor, scope, (read) => ({
    items: meetings.map((m) => ({
      id: m.id,
      caseId: m.case_id,
      heldAt: m.held_at,
      attendees: z.array(z.string()).parse(JSON.parse(m.attendees)),
      minutes: read('case_meetings', m.id, { minutes_enc: m.minutes_enc }).minutes_enc ?? '',
      recordedBy: m.recorded_by,
      createdAt: m.created_at,
      actionItems: items
        .filter((i) => i.meeting_id === m.id)
        .map((i) => ({
          id: i.id,
          assigneeId: i.assignee_id,
          title: read('meeting_action_items', i.id, { title_enc: i.title_enc }).title_enc ?? '',
          dueOn: i.due_on,
          status: i.status,
          taskId: i.task_id,
        })),
    })),
  }));
}

/** Clears a case's thread, minutes and action items (retention, P5.3); answers how many values it cleared. */
export async function clearCaseTexts(ctx: AppContext, db: Executor, caseId: string): Promise<number> {
  return clearLinkedTexts(ctx.cipher, db, COMMUNICATION_CASE_TEXTS, [caseId]);
}
