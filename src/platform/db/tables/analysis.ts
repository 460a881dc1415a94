/** The tables of the analysis feature: the engine's state per customer, and the stronger monitoring it applies; conventions in schema.ts. */
export interface AnalysisTables {
  analysis_states: AnalysisStateTable;
  customer_monitoring: CustomerMonitoringTable;
}

/**
 * A stronger monitoring in force for one customer (P7.2.2), set by the risk officer's assessment:
 * the engine and the real-time decisions tighten the customer's fund-safety thresholds by the
 * level's factor. No row: the rule set's own thresholds.
 */
export interface CustomerMonitoringTable {
  customer_number: string;
  level: 'heightened' | 'high';
  /** The case whose assessment set it. */
  case_id: string;
  set_by: string;
  set_at: string;
}

/** The engine's bounded state of one customer (AnalysisState.exportRecord), so a day's file needs only the new day. */
export interface AnalysisStateTable {
  customer_number: string;
  record: Uint8Array;
  updated_at: string;
}
