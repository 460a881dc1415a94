/** The tables of the procedures feature (issue 12, P7.3.1), as Kysely sees them; conventions in schema.ts. */
export interface ProceduresTables {
  procedures: ProcedureTable;
  request_procedures: RequestProcedureTable;
  procedure_step_completions: ProcedureStepCompletionTable;
  incidents: IncidentTable;
}

/** One published version of a service type's procedure; versions are never changed nor deleted. */
export interface ProcedureTable {
  type_code: string;
  version: number;
  /** JSON: the ordered steps (domain/procedures.ts `ProcedureStep[]`). */
  steps: string;
  /** Null for the default installed at start-up. */
  published_by: string | null;
  published_at: string;
}

/** The procedure version a request follows: the one in force when it was made, pinned on first use. */
export interface RequestProcedureTable {
  request_id: string;
  type_code: string;
  version: number;
  pinned_at: string;
}

/** One step of a request's procedure, taken. */
export interface ProcedureStepCompletionTable {
  request_id: string;
  step_code: string;
  completed_by: string;
  completed_at: string;
}

/** An operational incident (P7.3.1: what went wrong, found when, why, what is done, by whom). Free texts are ciphertext. */
export interface IncidentTable {
  id: string;
  branch_id: string;
  request_id: string | null;
  case_id: string | null;
  what_enc: string;
  root_cause_enc: string | null;
  corrective_action_enc: string | null;
  found_at: string;
  owner_id: string;
  status: 'open' | 'in_progress' | 'resolved' | 'closed';
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
  version: number;
}
