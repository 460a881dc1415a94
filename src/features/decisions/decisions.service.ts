import { Counter } from 'prom-client';
import { AnalysisEngine } from '../../domain/analysis/engine.js';
import type { CompiledRuleSet } from '../../domain/analysis/rules.js';
import { AnalysisState } from '../../domain/analysis/state.js';
import { type Transaction, transactionInput } from '../../domain/analysis/transaction.js';
import type { Executor } from '../../platform/db/database.js';
import { canSeeBranch } from '../../platform/http/access.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError, deniedAsNotFound } from '../../platform/http/errors.js';
import { activeCaseCustomers } from '../case-access/case-access.service.js';
import { monitoringFor } from '../analysis/monitoring.service.js';
import { loadEngineStates } from '../analysis/state.service.js';
import { customersMatching } from '../customers/customers.service.js';
import { activeRuleSet } from '../rules/rules.service.js';
import type { Decision } from './decisions.schemas.js';

/**
 * How long the compiled active rule set and the set of protected customers are reused: an
 * activation, a registration or a closing takes effect on decisions within this time.
 */
export const RULES_CACHE_MS = 5_000;

/** A value loaded from the database and reused for `ms`; a failed load is not kept. */
function reusedFor<T>(ms: number, now: () => Date, load: (db: Executor) => Promise<T>): (db: Executor) => Promise<T> {
  let cached: { value: Promise<T>; until: number } | undefined;
  return (db) => {
    const at = now().getTime();
    if (cached && cached.until > at) return cached.value;
    const entry = { value: load(db), until: at + ms };
    cached = entry;
    entry.value.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return entry.value;
  };
}

// One counter per process (the module is loaded once); labels are the two enums, never an id.
const decisions = new Counter({
  name: 'lifeline_transaction_decisions_total',
  help: 'Real-time transaction decisions by outcome and whether the customer is protected (P7.2)',
  labelNames: ['decision', 'protected'],
});

/** The active rule set, and the same with its fund-safety rules only and every hit reported. */
interface DecisionRules {
  active: CompiledRuleSet;
  fundSafety: CompiledRuleSet;
}

/**
 * The rule set a decision runs: the fund-safety rules of the active set only. Its threshold is 0
 * so that the engine reports every rule that fired with its detail; the decision compares the
 * score with the active set's own threshold.
 */
function fundSafetyOnly(rules: CompiledRuleSet): CompiledRuleSet {
  const kept = rules.rules.filter((r) => r.kind === 'fund_safety');
  return {
    ...rules,
    thresholds: { ...rules.thresholds, fund_safety: 0 },
    rules: kept,
    byId: Object.fromEntries(kept.map((r) => [r.id, r])),
  };
}

/** Decides on transactions before they are booked; one per app, holding the rule-set cache. */
export interface Decider {
  /**
   * allow / review / hold for one transaction of a customer, judged against the customer's stored
   * state without changing it. A staff caller (trying rules) must see the customer's branch.
   */
  decide(db: Executor, txn: Transaction, actor: Actor | null): Promise<Decision>;
}

/** Makes the decider of one app (docs/decisions-api.md). */
export function createDecider(ctx: AppContext): Decider {
  const rulesNow = reusedFor<DecisionRules>(RULES_CACHE_MS, ctx.now, async (db) => {
    const active = await activeRuleSet(db);
    return { active, fundSafety: fundSafetyOnly(active) };
  });
  // The customers with an active case: a payment system's decision then costs no query at all for
  // the (many) customers who are not protected, and one (their state) for those who are.
  const protectedNow = reusedFor(RULES_CACHE_MS, ctx.now, activeCaseCustomers);

  const isProtected = async (db: Executor, customerNumber: string, actor: Actor | null): Promise<boolean> => {
    if (actor) {
      // A staff member trying rules sees only customers of their own branch.
      const [customer] = await customersMatching(ctx, db, { customerNumber }, 1);
      if (!customer) throw new AppError('NOT_FOUND', 'no such customer');
      if (!canSeeBranch(actor, customer.branchId)) throw deniedAsNotFound('customer', customer.id);
    }
    return (await protectedNow(db)).has(customerNumber);
  };

  return {
    async decide(db, txn, actor) {
      const [rules, protectedCustomer] = await Promise.all([rulesNow(db), isProtected(db, txn.customerNumber, actor)]);
      if (!protectedCustomer) {
        // P7.2 protects registered customers: others are not judged at all (docs/decisions-api.md).
        decisions.inc({ decision: 'allow', protected: 'false' });
        return { decision: 'allow', protected: false, score: 0, rules: [], rulesVersion: rules.active.version, monitoring: null };
      }
      // The stronger monitoring is read on every decision (no cache): a risk officer's change applies to the next transaction.
      const [records, monitoring] = await Promise.all([
        loadEngineStates(db, [txn.customerNumber]),
        monitoringFor(db, [txn.customerNumber]),
      ]);
      // A state of its own for this one request: whatever the engine folds in is dropped.
      const state = new AnalysisState(1);
      const record = records.get(txn.customerNumber);
      if (record) state.importRecord(txn.customerNumber, record);
      const engine = new AnalysisEngine(rules.fundSafety, state, monitoring);
      engine.observe(transactionInput(txn));
      const finding = engine.finish().findings.find((f) => f.kind === 'fund_safety');
      const score = finding?.score ?? 0;
      const decision = score >= rules.active.thresholds.fund_safety ? 'hold' : finding ? 'review' : 'allow';
      decisions.inc({ decision, protected: 'true' });
      return {
        decision,
        protected: true,
        score,
        rules: (finding?.rules ?? []).map((r) => ({ id: r.id, detail: r.detail })),
        rulesVersion: rules.active.version,
        monitoring: monitoring.get(txn.customerNumber) ?? null,
      };
    },
  };
}
