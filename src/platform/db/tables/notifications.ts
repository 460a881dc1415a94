/** The tables of the notifications feature: in-app notifications and staff e-mail addresses; conventions in schema.ts. */
export interface NotificationsTables {
  notifications: NotificationTable;
  staff_contacts: StaffContactTable;
}

/** An in-app notification: never sensitive content, only the kind and the case number. */
export interface NotificationTable {
  id: string;
  recipient_id: string;
  kind: 'mention' | 'action_item';
  case_id: string;
  case_number: string;
  source_id: string;
  actor_id: string;
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
