import { AnalysisEngine, type RuleHit } from '../../domain/analysis/engine.js';
import { type CompiledRuleSet, RULE_IDS, type RuleId, type RuleKind } from '../../domain/analysis/rules.js';
import { AnalysisState } from '../../domain/analysis/state.js';
import { type Transaction, transactionInput } from '../../domain/analysis/transaction.js';

/**
 * The comparison behind a rule-set dry run: the same transactions through two fresh engines, a
 * candidate rule set and the active one. Pure (no I/O): the service feeds it stored rows.
 */

const DAY_MS = 86_400_000;
const KINDS: readonly RuleKind[] = ['illness_signal', 'fund_safety'];

/** A customer whose finding differs between the two rule sets, with both sides' scores and rules. */
export interface ChangedCustomer {
  customerNumber: string;
  score: number;
  rules: RuleId[];
  activeScore: number;
  activeRules: RuleId[];
}

/** Findings of one kind under each rule set and the customers that changed. */
export interface KindComparison {
  kind: RuleKind;
  active: number;
  candidate: number;
  newlyFound: { count: number; customers: ChangedCustomer[] };
  noLongerFound: { count: number; customers: ChangedCustomer[] };
}

/** The customers a rule fired for under each rule set (whatever the score). */
export interface RuleComparison {
  id: RuleId;
  kind: RuleKind;
  active: number;
  candidate: number;
}

/** What the comparison found. */
export interface Comparison {
  customers: number;
  kinds: KindComparison[];
  rules: RuleComparison[];
}

/** Options of a comparison. */
export interface ComparisonOptions {
  /** "Today" for the absence rule (payroll stopped): the day the replay runs up to. */
  asOf: Date;
  /** Changed customers listed per kind and direction; the counts go on. */
  listCap?: number;
  /** Customers per pair of engines: the state of a finished group is dropped, so memory stays bounded. */
  groupCustomers?: number;
}

/** One side's rules and score per customer and kind, from the engine's hits. */
function byCustomer(rules: CompiledRuleSet, hits: readonly RuleHit[]): Map<string, Record<RuleKind, { score: number; rules: RuleId[] }>> {
  const out = new Map<string, Record<RuleKind, { score: number; rules: RuleId[] }>>();
  for (const hit of hits) {
    let entry = out.get(hit.customerNumber);
    if (!entry) {
      entry = { illness_signal: { score: 0, rules: [] }, fund_safety: { score: 0, rules: [] } };
      out.set(hit.customerNumber, entry);
    }
    const side = entry[hit.kind];
    side.rules.push(hit.id);
    side.score = Math.min(rules.scoreCap, side.score + (rules.byId[hit.id]?.weight ?? 0));
  }
  return out;
}

/**
 * Feeds both engines and tallies their differences. Transactions must come customer by customer,
 * each customer's in booking order (as the engine needs); a customer never spans two groups.
 */
export class RuleSetComparison {
  private readonly listCap: number;
  private readonly groupCustomers: number;
  private readonly today: number;
  private candidateEngine: AnalysisEngine;
  private activeEngine: AnalysisEngine;
  private lastCustomer: string | undefined;
  private customers = 0;
  private readonly ruleCounts = new Map<RuleId, { active: number; candidate: number }>();
  private readonly kinds: Record<RuleKind, KindComparison>;

  constructor(
    private readonly candidate: CompiledRuleSet,
    private readonly active: CompiledRuleSet,
    opts: ComparisonOptions,
  ) {
    this.listCap = opts.listCap ?? 50;
    this.groupCustomers = opts.groupCustomers ?? 4096;
    this.today = Math.floor(opts.asOf.getTime() / DAY_MS);
    this.candidateEngine = new AnalysisEngine(candidate, new AnalysisState(this.groupCustomers));
    this.activeEngine = new AnalysisEngine(active, new AnalysisState(this.groupCustomers));
    const empty = (kind: RuleKind): KindComparison => ({
      kind,
      active: 0,
      candidate: 0,
      newlyFound: { count: 0, customers: [] },
      noLongerFound: { count: 0, customers: [] },
    });
    this.kinds = { illness_signal: empty('illness_signal'), fund_safety: empty('fund_safety') };
  }

  /** Folds one transaction into both engines. */
  observe(t: Transaction): void {
    if (t.customerNumber !== this.lastCustomer) {
      if (this.candidateEngine.state.size >= this.groupCustomers) this.flush();
      this.lastCustomer = t.customerNumber;
      this.customers += 1;
    }
    const input = transactionInput(t);
    this.candidateEngine.observe(input);
    this.activeEngine.observe(input);
  }

  /** The tally once every transaction was observed. */
  finish(): Comparison {
    this.flush();
    const rules: RuleComparison[] = [];
    for (const id of RULE_IDS) {
      const kind = (this.candidate.byId[id] ?? this.active.byId[id])?.kind;
      if (kind) rules.push({ id, kind, ...(this.ruleCounts.get(id) ?? { active: 0, candidate: 0 }) });
    }
    return { customers: this.customers, kinds: KINDS.map((k) => this.kinds[k]), rules };
  }

  private flush(): void {
    const candidate = this.finishEngine(this.candidateEngine);
    const active = this.finishEngine(this.activeEngine);
    for (const [side, hits] of [
      ['candidate', candidate.hits],
      ['active', active.hits],
    ] as const) {
      for (const hit of hits) {
        const counts = this.ruleCounts.get(hit.id) ?? { active: 0, candidate: 0 };
        counts[side] += 1;
        this.ruleCounts.set(hit.id, counts);
      }
    }
    const candidateBy = byCustomer(this.candidate, candidate.hits);
    const activeBy = byCustomer(this.active, active.hits);
    const found = (findings: readonly { kind: RuleKind; customerNumber: string }[]) => {
      const sets: Record<RuleKind, Set<string>> = { illness_signal: new Set(), fund_safety: new Set() };
      for (const f of findings) sets[f.kind].add(f.customerNumber);
      return sets;
    };
    const candidateFound = found(candidate.findings);
    const activeFound = found(active.findings);
    for (const kind of KINDS) {
      const tally = this.kinds[kind];
      tally.candidate += candidateFound[kind].size;
      tally.active += activeFound[kind].size;
      const changed = (customerNumber: string): ChangedCustomer => {
        const c = candidateBy.get(customerNumber)?.[kind];
        const a = activeBy.get(customerNumber)?.[kind];
        return {
          customerNumber,
          score: c?.score ?? 0,
          rules: c?.rules ?? [],
          activeScore: a?.score ?? 0,
          activeRules: a?.rules ?? [],
        };
      };
      for (const c of candidateFound[kind]) if (!activeFound[kind].has(c)) this.add(tally.newlyFound, changed(c));
      for (const c of activeFound[kind]) if (!candidateFound[kind].has(c)) this.add(tally.noLongerFound, changed(c));
    }
    this.candidateEngine = new AnalysisEngine(this.candidate, new AnalysisState(this.groupCustomers));
    this.activeEngine = new AnalysisEngine(this.active, new AnalysisState(this.groupCustomers));
  }

  private finishEngine(engine: AnalysisEngine) {
    // Every group is judged as of the same day, whatever its own latest booking: the end of the replay.
    if (engine.state.size > 0) engine.maxDay = Math.max(engine.maxDay, this.today);
    return engine.finish();
  }

  private add(change: { count: number; customers: ChangedCustomer[] }, customer: ChangedCustomer): void {
    change.count += 1;
    if (change.customers.length < this.listCap) change.customers.push(customer);
  }
}
