/** The tables of the risk feature: the risk officer's case assessment and its measures (P3.2.3); conventions in schema.ts. */
export interface RiskTables {
  risk_assessments: RiskAssessmentTable;
  risk_measures: RiskMeasureTable;
}

/** A case's risk assessment: the officer's notes, the chosen sensitivity of monitoring and the review date. */
export interface RiskAssessmentTable {
  id: string;
  case_id: string;
  notes_enc: string | null;
  sensitivity: 'normal' | 'heightened' | 'high';
  review_on: string;
  updated_by: string;
  updated_at: string;
  version: number;
}

/**
 * A measure of a case's assessment: a stronger monitoring (in force at once) or a credit-limit
 * change (proposed, then approved by a second person and sent to core banking, or rejected).
 */
export interface RiskMeasureTable {
  id: string;
  case_id: string;
  kind: 'monitoring' | 'credit_limit';
  sensitivity: 'normal' | 'heightened' | 'high' | null;
  loan_id: string | null;
  current_limit_minor: number | null;
  new_limit_minor: number | null;
  currency: string | null;
  /** monitoring: in_force → superseded; credit_limit: proposed → approved | rejected | withdrawn. */
  status: 'in_force' | 'superseded' | 'proposed' | 'approved' | 'rejected' | 'withdrawn';
  proposed_by: string;
  proposed_at: string;
  decided_by: string | null;
  decided_at: string | null;
  /** The outbox row of the credit-limit instruction to core banking, once approved. */
  instruction_id: string | null;
}
