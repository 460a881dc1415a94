/** The table of the rules feature: versioned rule sets of the analysis engine; conventions in schema.ts. */
export interface RulesTables {
  rule_sets: RuleSetTable;
}

/** A version of the rule set (RuleSetJson as text); exactly one is `active` once any is. */
export interface RuleSetTable {
  version: string;
  definition: string;
  note: string | null;
  status: 'draft' | 'active' | 'retired';
  created_by: string | null;
  created_at: string;
  activated_by: string | null;
  activated_at: string | null;
}
