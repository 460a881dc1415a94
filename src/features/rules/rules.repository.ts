import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { RuleSetTable } from '../../platform/db/tables/rules.js';

/** The active rule set's row, if a supervisor has activated one. */
export async function findActiveRuleSet(db: Executor): Promise<RuleSetTable | undefined> {
  return db.selectFrom('rule_sets').selectAll().where('status', '=', 'active').executeTakeFirst();
}

/** One stored version. */
export async function findRuleSet(db: Executor, version: string): Promise<RuleSetTable | undefined> {
  return db.selectFrom('rule_sets').selectAll().where('version', '=', version).executeTakeFirst();
}

/** Every stored version, newest first; the shipped default (no creator) last. */
export async function listRuleSets(db: Executor): Promise<RuleSetTable[]> {
  return db
    .selectFrom('rule_sets')
    .selectAll()
    .orderBy(sql`case when created_by is null then 1 else 0 end`)
    .orderBy('created_at', 'desc')
    .orderBy('version', 'desc')
    .execute();
}

/** Stores a version. */
export async function insertRuleSet(db: Executor, row: RuleSetTable): Promise<void> {
  await db.insertInto('rule_sets').values(row).execute();
}

/** Retires the active version, if any. */
export async function retireActiveRuleSet(db: Executor): Promise<void> {
  await db.updateTable('rule_sets').set({ status: 'retired' }).where('status', '=', 'active').execute();
}

/** Makes a stored version the active one (the caller has retired the previous one). */
export async function markRuleSetActive(db: Executor, version: string, by: string, at: string): Promise<void> {
  await db.updateTable('rule_sets').set({ status: 'active', activated_by: by, activated_at: at }).where('version', '=', version).execute();
}
