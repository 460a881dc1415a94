/** The tables of the notifications feature: in-app notifications and staff e-mail addresses; conventions in schema.ts. */
export interface NotificationsTables {
  notifications: NotificationTable;
  staff_contacts: StaffContactTable;
}

/** What a notification is about; the web app words each kind in the reader's language. */
export type NotificationKind =
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

/** An in-app notification: never sensitive content, only the kind and the case number or the lead. */
export interface NotificationTable {
  id: string;
  recipient_id: string;
  kind: NotificationKind;
  case_id: string | null;
  case_number: string | null;
  lead_id: string | null;
  source_id: string;
  /** Who caused it; null when Lifeline did (a referral, a daily check). */
  actor_id: string | null;
  /** One notification per recipient and occasion: a second one with the same key is not written. */
  dedup_key: string | null;
  created_at: string;
  read_at: string | null;
}

/** A staff member's work e-mail address, set by an administrator. */
export interface StaffContactTable {
  staff_id: string;
  email: string;
  updated_at: string;
  updated_by: string;
}
