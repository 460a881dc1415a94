import { type CompiledRuleSet, compileRuleSet } from '../../domain/analysis/rules.js';
import type { Executor } from '../../platform/db/database.js';
import { defaultRuleSet } from '../analysis/analysis.service.js';
import { findActiveRuleSet } from './rules.repository.js';

/** The rule set in force: the one a supervisor activated, else the shipped default. */
export async function activeRuleSet(db: Executor): Promise<CompiledRuleSet> {
  const row = await findActiveRuleSet(db);
  return row ? compileRuleSet(JSON.parse(row.definition)) : defaultRuleSet();
}
