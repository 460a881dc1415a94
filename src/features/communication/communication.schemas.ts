import { z } from 'zod';
import { isoDate, pageQuery, text } from '../../platform/http/text.js';

const id = z.string().min(1).max(64);
const instant = z.iso.datetime({ offset: true });

export const CaseIdParams = z.strictObject({ id });

export const MessageBody = z.strictObject({ body: text({ min: 1, max: 4000 }) });
export const MessageListQuery = pageQuery;

export const MessageView = z.object({
  id: z.string(),
  caseId: z.string(),
  author: z.object({ id: z.string(), username: z.string(), displayName: z.string() }),
  body: z.string(),
  mentions: z.array(z.string()),
  createdAt: z.string(),
});
export const MessageListResponse = z.object({ items: z.array(MessageView), nextCursor: z.string().nullable() });

export const MeetingBody = z.strictObject({
  heldAt: instant,
  attendees: z.array(id).min(1).max(50),
  minutes: text({ min: 1, max: 20_000 }),
  actionItems: z
    .array(z.strictObject({ assigneeId: id, title: text({ min: 1, max: 200 }), dueOn: isoDate }))
    .max(50)
    .default([]),
});

export const ActionItemView = z.object({
  id: z.string(),
  assigneeId: z.string(),
  title: z.string(),
  dueOn: z.string(),
  status: z.enum(['open', 'done']),
  /** The work task made for the item ("my work" of the assignee); its status is the one that counts. */
  taskId: z.string().nullable(),
});
export const MeetingView = z.object({
  id: z.string(),
  caseId: z.string(),
  heldAt: z.string(),
  attendees: z.array(z.string()),
  minutes: z.string(),
  recordedBy: z.string(),
  actionItems: z.array(ActionItemView),
  createdAt: z.string(),
});
export const MeetingListResponse = z.object({ items: z.array(MeetingView) });
