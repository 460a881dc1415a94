/** The tables of the communication feature (issue 4), as Kysely sees them; conventions in schema.ts. */
export interface CommunicationTables {
  case_messages: CaseMessageTable;
  case_meetings: CaseMeetingTable;
  meeting_action_items: MeetingActionItemTable;
}

/** One post in a case's discussion thread (P9.1); the body is ciphertext. */
export interface CaseMessageTable {
  id: string;
  case_id: string;
  author_id: string;
  body_enc: string;
  /** JSON array of the staff ids mentioned. */
  mentions: string;
  created_at: string;
}

/** The minutes of one team meeting about a case; attendees a JSON array of staff ids. */
export interface CaseMeetingTable {
  id: string;
  case_id: string;
  held_at: string;
  attendees: string;
  minutes_enc: string;
  recorded_by: string;
  created_at: string;
}

/** An action item of a meeting, assigned to a colleague; it became the work task `task_id`, whose status counts. */
export interface MeetingActionItemTable {
  id: string;
  meeting_id: string;
  case_id: string;
  assignee_id: string;
  title_enc: string;
  due_on: string;
  status: 'open' | 'done';
  /** The ad-hoc task of the work feature made for it. */
  task_id: string | null;
  created_at: string;
}
