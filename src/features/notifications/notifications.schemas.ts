import { z } from 'zod';
import { pageQuery } from '../../platform/http/text.js';

const id = z.string().min(1).max(64);

/** What a notification is about (notifications.service.ts notify). */
export const NOTIFICATION_KINDS = [
  'mention',
  'action_item',
  'lead_new',
  'team_assigned',
  'task_assigned',
  'task_overdue',
  'lead_overdue',
  'service_requested',
  'service_approval',
  'service_decided',
] as const;

export const NotificationIdParams = z.strictObject({ id });
export const StaffIdParams = z.strictObject({ id });

export const NotificationListQuery = pageQuery.extend({
  unread: z.enum(['true', 'false']).optional(),
});
export const NotificationView = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  /** The case it is about, if any; a new or overdue lead has none. */
  caseId: z.string().nullable(),
  caseNumber: z.string().nullable(),
  /** The lead it is about, if any. */
  leadId: z.string().nullable(),
  sourceId: z.string(),
  /** Who caused it; null when Lifeline did (a referral, an analysis finding, a daily check). */
  actor: z.object({ id: z.string(), displayName: z.string() }).nullable(),
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
