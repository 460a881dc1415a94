/** The table of the analysis feature: the engine's state per customer; conventions in schema.ts. */
export interface AnalysisTables {
  analysis_states: AnalysisStateTable;
}

/** The engine's bounded state of one customer (AnalysisState.exportRecord), so a day's file needs only the new day. */
export interface AnalysisStateTable {
  customer_number: string;
  record: Uint8Array;
  updated_at: string;
}
