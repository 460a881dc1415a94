import { get, query } from '../../api/client';
import type { Page } from '../../api/types';

/** A post of a case's thread. */
export interface CaseMessage {
  id: string;
  caseId: string;
  author: { id: string; username: string; displayName: string };
  body: string;
  mentions: string[];
  createdAt: string;
}

/** A team meeting of a case with its action items. */
export interface Meeting {
  id: string;
  caseId: string;
  heldAt: string;
  attendees: string[];
  minutes: string;
  recordedBy: string;
  actionItems: { id: string; assigneeId: string; title: string; dueOn: string; status: 'open' | 'done'; taskId: string | null }[];
  createdAt: string;
}

/** An in-app notification: the kind and the case number, never case content. */
export interface AppNotification {
  id: string;
  kind:
    | 'mention'
    | 'action_item'
    | 'lead_new'
    | 'team_assigned'
    | 'task_assigned'
    | 'task_overdue'
    | 'lead_overdue'
    | 'service_requested'
    | 'service_approval'
    | 'service_decided';
  /** The case it is about; a new or overdue lead has none. */
  caseId: string | null;
  caseNumber: string | null;
  leadId: string | null;
  /** The record behind it: a comment, a task, a lead, a service request. */
  sourceId: string;
  /** Who caused it; null when Lifeline did (a referral, an analysis finding, a daily check). */
  actor: { id: string; displayName: string } | null;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationPage extends Page<AppNotification> {
  unreadCount: number;
}

/** A colleague of one's branch, for @mentions, attendees and attendance. */
export interface Colleague {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
}

/** Colleagues whose name or username contains the text (first 20). */
export async function findColleagues(text: string): Promise<Colleague[]> {
  return (await get<Page<Colleague>>(`/api/v1/staff/colleagues${query({ q: text, limit: 20 })}`)).items;
}

/** The @word being typed at the end of a draft, or null. */
export function mentionAt(draft: string): string | null {
  const m = /(?:^|\s)@([A-Za-z0-9._-]*)$/.exec(draft);
  return m ? (m[1] ?? '') : null;
}
