import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import shippedRules from '../../domain/analysis/rules.default.json' with { type: 'json' };
import { type CompiledRuleSet, compileRuleSet, RuleSetError, type RuleSetProblem } from '../../domain/analysis/rules.js';
import { hasPermission } from '../../domain/roles.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import type { Executor } from '../../platform/db/database.js';
import type { RuleSetTable } from '../../platform/db/tables/rules.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { defaultRuleSet } from '../analysis/analysis.service.js';
import { getStaff } from '../staff/staff.service.js';
import { RuleSetComparison } from './rules.dry-run.js';
import { findActiveRuleSet, findRuleSet, insertRuleSet, listRuleSets, markRuleSetActive, retireActiveRuleSet } from './rules.repository.js';
import { type TransactionPosition, pageStoredTransactions, storedTransaction } from '../transactions/transactions.service.js';
import type { CreateRuleSetBody, DryRunResult, RuleSetDefinition, RuleSetDetail, RuleSetSummary } from './rules.schemas.js';

type SummaryOut = z.input<typeof RuleSetSummary>;
type DetailOut = z.input<typeof RuleSetDetail>;
type Definition = z.input<typeof RuleSetDefinition>;

const DAY_MS = 86_400_000;
const PAGE = 5000;
// Versions name URLs (`/rule-sets/{version}`): no slashes or spaces, and never the word `active`.
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/;

let lastCompiled: { definition: string; rules: CompiledRuleSet } | undefined;

/**
 * The rule set in force: the one a supervisor activated, else the shipped default. The row is read
 * every time (an activation counts from the next chunk, in every process); it is compiled again
 * only when its text changed.
 */
export async function activeRuleSet(db: Executor): Promise<CompiledRuleSet> {
  const row = await findActiveRuleSet(db);
  if (!row) return defaultRuleSet();
  if (lastCompiled?.definition !== row.definition)
    lastCompiled = { definition: row.definition, rules: compileRuleSet(JSON.parse(row.definition)) };
  return lastCompiled.rules;
}

/** A version as the API sees it: stored, or the shipped default while it is not stored. */
interface Resolved {
  row: RuleSetTable;
  builtIn: boolean;
  stored: boolean;
}

/**
 * The shipped default as a row that is not stored: active while no version was ever activated
 * (docs/analysis.md "Rule sets and the editor"), else on offer like a draft (a release that ships
 * a newer default).
 */
function shippedRow(active: boolean): RuleSetTable {
  return {
    version: shippedRules.version,
    definition: JSON.stringify(shippedRules),
    note: null,
    status: active ? 'active' : 'draft',
    created_by: null,
    created_at: '',
    activated_by: null,
    activated_at: null,
  };
}

async function resolve(db: Executor, version: string): Promise<Resolved | undefined> {
  const row = await findRuleSet(db, version);
  if (row) return { row, builtIn: row.created_by === null, stored: true };
  if (version !== shippedRules.version) return undefined;
  return { row: shippedRow(!(await findActiveRuleSet(db))), builtIn: true, stored: false };
}

async function requireVersion(db: Executor, version: string): Promise<Resolved> {
  const found = await resolve(db, version);
  if (!found) throw new AppError('NOT_FOUND', 'no such rule-set version');
  return found;
}

async function resolveActive(db: Executor): Promise<Resolved> {
  const row = await findActiveRuleSet(db);
  return row ? { row, builtIn: row.created_by === null, stored: true } : { row: shippedRow(true), builtIn: true, stored: false };
}

/** Names the staff behind a list, each looked up once. */
function namer(db: Executor) {
  const names = new Map<string, Promise<string>>();
  return async (id: string | null) => {
    if (id === null) return null;
    let name = names.get(id);
    if (!name) {
      name = getStaff(db, id).then((s) => s.display_name);
      names.set(id, name);
    }
    return { id, displayName: await name };
  };
}

async function summary(r: Resolved, name: ReturnType<typeof namer>): Promise<SummaryOut> {
  return {
    version: r.row.version,
    status: r.row.status,
    note: r.row.note,
    builtIn: r.builtIn,
    createdBy: await name(r.row.created_by),
    createdAt: r.stored ? r.row.created_at : null,
    activatedBy: await name(r.row.activated_by),
    activatedAt: r.row.activated_at,
  };
}

async function detail(db: Executor, r: Resolved): Promise<DetailOut> {
  // Stored definitions passed compileRuleSet on the way in, so they have the described shape.
  const definition = JSON.parse(r.row.definition) as Definition;
  return { ...(await summary(r, namer(db))), definition };
}

/** Every version, newest first, the shipped default last (listed as active while none was activated). */
export async function ruleSetVersions(db: Executor): Promise<{ items: SummaryOut[] }> {
  const name = namer(db);
  const rows = await listRuleSets(db);
  const resolved: Resolved[] = rows.map((row) => ({ row, builtIn: row.created_by === null, stored: true }));
  if (!rows.some((r) => r.version === shippedRules.version)) {
    resolved.push({ row: shippedRow(!rows.some((r) => r.status === 'active')), builtIn: true, stored: false });
  }
  return { items: await Promise.all(resolved.map((r) => summary(r, name))) };
}

/** One version with its definition (`active`: the one in force). */
export async function ruleSetDetail(db: Executor, version: string | 'active'): Promise<DetailOut> {
  return detail(db, version === 'active' ? await resolveActive(db) : await requireVersion(db, version));
}

/** Every problem of a definition, with its path from the request body; none when it compiles. */
function definitionProblems(definition: Record<string, unknown>): RuleSetProblem[] {
  const problems: RuleSetProblem[] = [];
  try {
    compileRuleSet(definition);
  } catch (err) {
    if (!(err instanceof RuleSetError)) throw err;
    problems.push(...err.problems);
  }
  const version = definition.version;
  if (typeof version === 'string' && (!VERSION.test(version) || version === 'active')) {
    problems.push({ path: 'version', message: 'letters, digits, dot, dash and underscore, starting with a letter or digit; not "active"' });
  }
  return problems.map((p) => ({ path: p.path === '' ? 'body.definition' : `body.definition.${p.path}`, message: p.message }));
}

/** Stores a new draft version (supervisors), audited; its version must be new. */
export async function createRuleSet(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  body: z.output<typeof CreateRuleSetBody>,
): Promise<DetailOut> {
  const problems = definitionProblems(body.definition);
  if (problems.length > 0) {
    throw new AppError('RULES_INVALID', `the rule set has ${problems.length} problem(s)`, { errors: problems });
  }
  // It compiled, so the version is a string.
  const version = String(body.definition.version);
  if (await resolve(db, version)) throw new AppError('CONFLICT', `version ${version} exists already; give the new one another version`);
  const now = ctx.now();
  const row: RuleSetTable = {
    version,
    definition: JSON.stringify(body.definition),
    note: body.note || null,
    status: 'draft',
    created_by: actor.id,
    created_at: now.toISOString(),
    activated_by: null,
    activated_at: null,
  };
  await insertRuleSet(db, row);
  await recordAudit(
    db,
    actor,
    { action: 'rules.created', target: { type: 'rule_set', id: version }, branchId: actor.branchId, detail: { version } },
    now,
  );
  return detail(db, { row, builtIn: false, stored: true });
}

/**
 * Makes a version the active one (supervisors), in the caller's transaction: the previous one is
 * retired. The first activation stores the shipped default, active until then, as retired, so the
 * history keeps it. Ingestion picks the new set up at its next chunk (activeRuleSet reads it).
 */
export async function activateRuleSet(ctx: AppContext, db: Executor, actor: Actor, version: string): Promise<DetailOut> {
  const target = await requireVersion(db, version);
  if (target.row.status === 'active') throw new AppError('CONFLICT', `version ${version} is already active`);
  const at = ctx.now().toISOString();
  const previous = await findActiveRuleSet(db);
  if (previous) await retireActiveRuleSet(db);
  else if (!(await findRuleSet(db, shippedRules.version)))
    await insertRuleSet(db, { ...shippedRow(false), status: 'retired', created_at: at });
  if (target.stored) await markRuleSetActive(db, version, actor.id, at);
  else await insertRuleSet(db, { ...target.row, status: 'active', created_at: at, activated_by: actor.id, activated_at: at });
  await recordAudit(
    db,
    actor,
    {
      action: 'rules.activated',
      target: { type: 'rule_set', id: version },
      branchId: actor.branchId,
      detail: { version, previous: previous?.version ?? shippedRules.version },
    },
    ctx.now(),
  );
  const activated = await requireVersion(db, version);
  return detail(db, activated);
}

/**
 * Replays the stored transactions of the last `days` days through a version and through the
 * active set, and compares what each finds (docs/analysis.md). Reads only: no state, lead or alert
 * is written. Stops after LIFELINE_DRY_RUN_MAX_ROWS rows and says so.
 */
export async function dryRunRuleSet(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  version: string,
  days: number,
): Promise<z.input<typeof DryRunResult>> {
  const started = performance.now();
  const target = await requireVersion(db, version);
  const current = await resolveActive(db);
  const candidateJson = JSON.parse(target.row.definition) as Definition; // validated when stored
  const activeJson = JSON.parse(current.row.definition) as Definition; // validated when stored
  const to = ctx.now();
  const window = { from: new Date(to.getTime() - days * DAY_MS).toISOString(), to: to.toISOString() };
  const comparison = new RuleSetComparison(compileRuleSet(candidateJson), compileRuleSet(activeJson), { asOf: to });
  const maxRows = ctx.config.rules.dryRunMaxRows;
  let rows = 0;
  let truncated = false;
  let after: TransactionPosition | undefined;
  for (;;) {
    const room = maxRows - rows;
    const limit = Math.min(PAGE, room + 1);
    const page = await pageStoredTransactions(db, limit, after, window);
    const taken = page.slice(0, room);
    for (const r of taken) {
      const t = storedTransaction(r);
      // Stored rows were valid when they came in; one that is not any more is left out, as in a rebuild.
      if (typeof t !== 'string') comparison.observe(t);
    }
    rows += taken.length;
    if (page.length > room) truncated = true;
    const last = page.at(-1);
    if (truncated || page.length < limit || !last) break;
    after = { customerNumber: last.customer_number, bookedAt: last.booked_at, txnId: last.txn_id };
  }
  const result = comparison.finish();
  const withheld = !hasPermission(actor.roles, 'customer.read');
  const descriptions = new Map<string, string>();
  for (const r of [...activeJson.rules, ...candidateJson.rules]) descriptions.set(r.id, r.description);
  return {
    candidate: target.row.version,
    active: current.row.version,
    days,
    ...window,
    rows,
    customers: result.customers,
    seconds: Math.round(performance.now() - started) / 1000,
    truncated,
    maxRows,
    customersWithheld: withheld,
    kinds: result.kinds.map((k) =>
      withheld
        ? { ...k, newlyFound: { count: k.newlyFound.count, customers: [] }, noLongerFound: { count: k.noLongerFound.count, customers: [] } }
        : k,
    ),
    rules: result.rules.map((r) => ({ ...r, description: descriptions.get(r.id) ?? '' })),
  };
}
