import { type Finding, type FindingRule, hitDetail } from '../../domain/analysis/engine.js';
import defaultRules from '../../domain/analysis/rules.default.json' with { type: 'json' };
import type { CompiledRuleSet } from '../../domain/analysis/rules.js';
import type { Transaction } from '../../domain/analysis/transaction.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import type { Executor } from '../../platform/db/database.js';
import type { AppContext } from '../../platform/http/context.js';
import { activeCaseForCustomer } from '../case-access/case-access.service.js';
import { customersMatching } from '../customers/customers.service.js';
import { analysisLeadFacts } from '../leads/leads.service.js';
import type { LeadAnalysis } from '../leads/leads.schemas.js';
import { createLead } from '../leads/intake.service.js';
import { ANALYSIS_ACTOR, raiseAlert } from './alerts.service.js';

/** What acting on a batch's findings made. */
export interface FindingsOutcome {
  leads: number;
  alerts: number;
}

/** Why an illness signal made no lead (docs/alerts.md). */
type Skip = 'unknown_customer' | 'active_case' | 'open_lead' | 'recently_rejected';

const DAY_MS = 86_400_000;

/** Rule descriptions by id: a rule's id names its detector, so the shipped text describes it whatever the set's version. */
const DESCRIPTIONS = new Map(defaultRules.rules.map((r) => [r.id, r.description]));

/**
 * The finding of an analysis lead as data (leads' LeadAnalysisSchema): the score, and each rule
 * with its weight, its facts and the transactions it fired on — rendered by the lead page in the
 * reader's language, whole (no text to cut short).
 */
export function leadAnalysis(f: Finding, rules: CompiledRuleSet, txns: ReadonlyMap<string, Transaction>): LeadAnalysis {
  return {
    score: f.score,
    threshold: rules.thresholds.illness_signal,
    ruleSetVersion: rules.version,
    rules: f.rules.map((r) => ({
      id: r.id,
      weight: rules.byId[r.id]?.weight ?? 0,
      facts: r.facts,
      transactions: r.evidence.flatMap((id) => {
        const t = txns.get(id);
        return t
          ? [
              {
                id,
                bookedAt: new Date(t.atMs).toISOString(),
                direction: t.direction,
                amountMinor: t.amountMinor,
                currency: t.currency,
                counterpartyName: t.counterpartyName || null,
              },
            ]
          : [];
      }),
    })),
  };
}

/** The lead's summary for machines (API readers): one English line; pages render the analysis instead. */
export function analysisLeadSummary(f: Finding, rules: CompiledRuleSet): string {
  return `Transaction analysis: illness signal, score ${f.score} (threshold ${rules.thresholds.illness_signal}, rule set ${rules.version}); rules: ${f.rules.map((r) => r.id).join(', ')}`;
}

async function skipped(ctx: AppContext, db: Executor, reason: Skip, f: Finding, customer?: { id: string; branchId: string }) {
  await recordAudit(
    db,
    ANALYSIS_ACTOR,
    {
      action: 'analysis.lead_suppressed',
      ...(customer ? { target: { type: 'customer', id: customer.id }, branchId: customer.branchId } : {}),
      // The customer number only when no customer has it (nothing else identifies the finding then).
      detail: { reason, kind: f.kind, ...(customer ? {} : { customerNumber: f.customerNumber }) },
    },
    ctx.now(),
  );
}

/** An illness signal → a lead for a supervisor to verify, unless a repeat or suppressed (P2.2.3); true when one was made. */
async function leadFor(
  ctx: AppContext,
  db: Executor,
  f: Finding,
  rules: CompiledRuleSet,
  txns: ReadonlyMap<string, Transaction>,
  batchId: string | null,
): Promise<boolean> {
  const customer = (await customersMatching(ctx, db, { customerNumber: f.customerNumber }, 1))[0];
  if (!customer) {
    await skipped(ctx, db, 'unknown_customer', f);
    return false;
  }
  if (await activeCaseForCustomer(db, customer.id)) {
    await skipped(ctx, db, 'active_case', f, customer);
    return false;
  }
  const facts = await analysisLeadFacts(db, customer.id);
  if (facts.openLeadId !== null) {
    await skipped(ctx, db, 'open_lead', f, customer);
    return false;
  }
  const last = facts.lastAnalysis;
  if (last?.status === 'rejected' && last.decided_at !== null) {
    const until = Date.parse(last.decided_at) + ctx.config.alerts.suppressDays * DAY_MS;
    if (ctx.now().getTime() < until) {
      await skipped(ctx, db, 'recently_rejected', f, customer);
      return false;
    }
  }
  await createLead(
    ctx,
    db,
    {
      channel: 'analysis',
      customerNumber: customer.customerNumber,
      summary: analysisLeadSummary(f, rules),
      analysis: leadAnalysis(f, rules, txns),
      ...(batchId !== null ? { sourceRef: `batch:${batchId}` } : {}),
    },
    { system: 'analysis' },
  );
  return true;
}

/**
 * The rules of a fund-safety finding grouped by the transactions they name: one alert per flagged
 * transaction, each rule narrowed to that transaction — its evidence is the transaction alone and
 * its facts and detail are those of the hit on it (a rule's latest numbers may be about another
 * transaction of the same run, issue 10).
 */
export function flaggedTransactions(f: Finding): Map<string, FindingRule[]> {
  const out = new Map<string, FindingRule[]>();
  for (const r of f.rules) {
    for (const hit of r.hits) {
      const list = out.get(hit.txnId) ?? [];
      list.push({
        id: r.id,
        evidence: [hit.txnId],
        detail: hitDetail(hit.facts, hit.monitoring),
        facts: hit.facts,
        hits: [hit],
        ...(hit.monitoring ? { monitoring: hit.monitoring } : {}),
      });
      out.set(hit.txnId, list);
    }
  }
  return out;
}

/** The score of one flagged transaction: its rules' weights, capped like a finding's. */
export function transactionScore(rules: readonly FindingRule[], set: CompiledRuleSet): number {
  return Math.min(
    set.scoreCap,
    rules.reduce((sum, r) => sum + (set.byId[r.id]?.weight ?? 0), 0),
  );
}

/** Fund-safety findings → one alert per flagged transaction, for customers with an active case only (P7.2). */
async function alertsFor(
  ctx: AppContext,
  db: Executor,
  f: Finding,
  rules: CompiledRuleSet,
  txns: ReadonlyMap<string, Transaction>,
  batchId: string | null,
): Promise<number> {
  const customer = (await customersMatching(ctx, db, { customerNumber: f.customerNumber }, 1))[0];
  // P7.2 protects registered customers; everyone else's fund safety is the bank's ordinary fraud controls.
  const activeCase = customer ? await activeCaseForCustomer(db, customer.id) : undefined;
  if (!customer || !activeCase) return 0;
  let raised = 0;
  for (const [txnId, hitRules] of flaggedTransactions(f)) {
    const txn = txns.get(txnId);
    if (!txn) continue;
    const made = await raiseAlert(ctx, db, {
      customerId: customer.id,
      customerNumber: customer.customerNumber,
      caseId: activeCase.id,
      txn,
      rules: hitRules.map((r) => ({ ...r, weight: rules.byId[r.id]?.weight ?? 0, description: DESCRIPTIONS.get(r.id) ?? '' })),
      score: transactionScore(hitRules, rules),
      batchId,
    });
    if (made) raised += 1;
  }
  return raised;
}

/**
 * Turns the findings of newly stored transactions into leads (illness signals) and alerts (fund
 * safety), in the caller's transaction. `txns` holds the transactions the findings may name;
 * `rules` is the rule set that made them (weights and thresholds in the explanations come from it).
 */
export async function actOnFindings(
  ctx: AppContext,
  db: Executor,
  findings: readonly Finding[],
  txns: ReadonlyMap<string, Transaction>,
  rules: CompiledRuleSet,
  batchId: string | null,
): Promise<FindingsOutcome> {
  const outcome: FindingsOutcome = { leads: 0, alerts: 0 };
  if (findings.length === 0) return outcome;
  for (const f of findings) {
    if (f.kind === 'illness_signal') {
      if (await leadFor(ctx, db, f, rules, txns, batchId)) outcome.leads += 1;
    } else {
      outcome.alerts += await alertsFor(ctx, db, f, rules, txns, batchId);
    }
  }
  return outcome;
}
