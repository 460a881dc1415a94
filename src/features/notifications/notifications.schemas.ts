import { z } from 'zod';
import { pageQuery } from '../../platform/http/text.js';

const id = z.string().min(1).max(64);

export const NotificationIdParams = z.strictObject({ id });
export const StaffIdParams = z.strictObject({ id });

export const NotificationListQuery = pageQuery.extend({
  unread: z.enum(['true', 'false']).optional(),
});
export const NotificationView = z.object({
  id: z.string(),
  kind: z.enum(['mention', 'action_item']),
  caseId: z.string(),
  caseNumber: z.string(),
  sourceId: z.string(),
  actor: z.object({ id: z.string(), displayName: z.string() }),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export const NotificationListResponse = z.object({
  items: z.array(NotificationView),
  nextCursor: z.string().nullable(),
  unreadCount: z.number().int(),
});
export const ReadAllResponse = z.object({ updated: z.number().int(), unreadCount: z.number().int() });

export const StaffEmailBody = z.strictObject({ email: z.email().max(254).nullable() });
export const StaffEmailResponse = z.object({ staffId: z.string(), email: z.string().nullable() });
