import type { Executor } from '../../platform/db/database.js';
import type { RuleSetTable } from '../../platform/db/tables/analysis.js';

/** The active rule set's row, if a supervisor has activated one. */
export async function findActiveRuleSet(db: Executor): Promise<RuleSetTable | undefined> {
  return db.selectFrom('rule_sets').selectAll().where('status', '=', 'active').executeTakeFirst();
}
