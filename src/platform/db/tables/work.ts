/** The tables of the work feature (issue 4), as Kysely sees them; conventions in schema.ts. */
export interface WorkTables {
  work_tasks: WorkTaskTable;
  work_interactions: WorkInteractionTable;
}

/** One dated task of a team member on a case (P3.2): a recurring duty, an ad-hoc task or a forwarded need. */
export interface WorkTaskTable {
  id: string;
  case_id: string;
  assignee_id: string;
  /** `alert_contact`: the system's task to call the customer about a fund-safety alert (P7.2.1). */
  /** `service_step`: operations executing part of an approved service request (a wealth re-plan's move, P4.3.1). */
  /** `loan_prepare`, `loan_past_due`: the loan watch's tasks for the risk officer (P7.1.2), titled with the loan number. */
  kind:
    | 'contact'
    | 'wealth_review'
    | 'risk_review'
    | 'follow_up_call'
    | 'ad_hoc'
    | 'forwarded_need'
    | 'alert_contact'
    | 'service_step'
    | 'loan_prepare'
    | 'loan_past_due';
  /** The title Lifeline itself gave a task (never sensitive); generated duties have none (the kind names them). */
  title: string | null;
  /** A title staff wrote (ad-hoc tasks, meeting action items): as confidential as the case, so ciphertext. */
  title_enc: string | null;
  /** Forwarded needs: the department the need went to (P3.2.5). */
  department: string | null;
  due_on: string;
  status: 'open' | 'done' | 'cancelled';
  /** `case|assignee|kind` while a generated task is open, else null (unique: one open duty per key). */
  duty_key: string | null;
  /** The interaction recorded when the task was completed, if any. */
  interaction_id: string | null;
  created_at: string;
  /** Null for tasks the system generated. */
  created_by: string | null;
  completed_at: string | null;
  completed_by: string | null;
  cancelled_at: string | null;
  /** The note given with the task (ad-hoc, forwarded need). */
  note_enc: string | null;
  /** The note given on completion. */
  completion_note_enc: string | null;
  /** `service_step` tasks: the service request they execute. */
  service_request_id: string | null;
}

/** A contact with the customer: call, visit, message or meeting, with its outcome (P3.2.1, P3.2.5). */
export interface WorkInteractionTable {
  id: string;
  case_id: string;
  kind: 'call' | 'visit' | 'message' | 'meeting';
  occurred_at: string;
  outcome: 'reached' | 'not_reached' | 'follow_up_needed' | 'need_raised';
  notes_enc: string | null;
  /** The task whose completion recorded it. */
  task_id: string | null;
  /** The task a need raised in it was forwarded as. */
  forwarded_task_id: string | null;
  recorded_at: string;
  recorded_by: string;
}
