import { z } from 'zod';
import {
  ALERT_RESOLUTIONS,
  ALERT_STATUSES,
  type AlertStatus,
  isContactOverdue,
  minutesBetween,
  percentile,
} from '../../domain/alert-lifecycle.js';
import type { FindingRule } from '../../domain/analysis/engine.js';
import { EvidenceSchema } from '../../domain/analysis/evidence.js';
import { MonitoringSchema } from '../../domain/risk-assessment.js';
import type { Transaction } from '../../domain/analysis/transaction.js';
import { hasPermission } from '../../domain/roles.js';
import { type AuditActor, recordAudit } from '../../platform/audit/audit.service.js';
import { readSensitive } from '../../platform/audit/sensitive-read.js';
import { newId } from '../../platform/crypto/ids.js';
import { clearLinkedTexts } from '../../platform/crypto/text-purge.js';
import type { Executor } from '../../platform/db/database.js';
import type { FundAlertTable } from '../../platform/db/tables/alerts.js';
import { branchScope, canSeeBranch } from '../../platform/http/access.js';
import { type Actor, type AppContext, bankDay } from '../../platform/http/context.js';
import { AppError, deniedAsNotFound } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import { enqueueSms, fundAlertSmsText } from '../../platform/jobs/sms.js';
import { activeTeam, caseFactsByIds, caseForAccess } from '../case-access/case-access.service.js';
import { branchesByIds, staffNames } from '../staff/staff.service.js';
import { customerOutflows, storedTransactionById } from '../transactions/transactions.service.js';
import { createSystemTask } from '../work/work.service.js';
import {
  ALERT_CASE_TEXTS,
  type AlertPosition,
  alertTimings,
  findAlert,
  insertAlert,
  pageAlerts as pageAlertRows,
  setContactTask,
} from './alerts.repository.js';
import type { AlertListQuery } from './alerts.schemas.js';

/** An alert with what its views show beside it: case number, customer name, branch code, the staff it names. */
export type AlertRecord = FundAlertTable & {
  case_number: string;
  customer_name: string;
  branch_code: string;
  contacted_by_name: string | null;
  verified_by_name: string | null;
  resolved_by_name: string | null;
};

/** The alerts with their names, asked of case access and the staff feature once per list. */
async function alertRecords(db: Executor, rows: readonly FundAlertTable[]): Promise<AlertRecord[]> {
  const cases = new Map(
    (
      await caseFactsByIds(
        db,
        rows.map((a) => a.case_id),
      )
    ).map((c) => [c.id, c]),
  );
  const branches = await branchesByIds(
    db,
    rows.map((a) => a.branch_id),
  );
  const names = await staffNames(
    db,
    rows.flatMap((a) => [a.contacted_by, a.verified_by, a.resolved_by]),
  );
  const name = (id: string | null) => (id === null ? null : (names.get(id) ?? null));
  return rows.map((a) => ({
    ...a,
    case_number: cases.get(a.case_id)?.caseNumber ?? '',
    customer_name: cases.get(a.case_id)?.customerName ?? '',
    branch_code: branches.get(a.branch_id)?.code ?? '',
    contacted_by_name: name(a.contacted_by),
    verified_by_name: name(a.verified_by),
    resolved_by_name: name(a.resolved_by),
  }));
}

/** One alert with its names, if it exists. */
export async function findAlertRecord(db: Executor, id: string): Promise<AlertRecord | undefined> {
  const row = await findAlert(db, id);
  return row ? (await alertRecords(db, [row]))[0] : undefined;
}

/** Lifeline's transaction analysis, as the audit trail names it. */
export const ANALYSIS_ACTOR: AuditActor = { id: null, username: 'system:analysis', ip: null };

const DAY_MS = 86_400_000;
/** The evidence chart: the customer's outflows of this many days up to the flagged one. */
const EVIDENCE_DAYS = 30;
const EVIDENCE_MAX_ROWS = 1000;

/**
 * A rule of an alert as stored (fund_alerts.rules): the finding's rule narrowed to the flagged
 * transaction, with its weight, description and facts. Alerts raised before issue 10 have no
 * facts (their pages show the stored detail text instead).
 */
const StoredRule = z.object({
  id: z.string(),
  description: z.string(),
  weight: z.number(),
  detail: z.string(),
  evidence: z.array(z.string()),
  facts: EvidenceSchema.optional(),
  /** The stronger monitoring (P7.2.2) the hit was judged by; absent under the rule set's own thresholds. */
  monitoring: MonitoringSchema.optional(),
});
type StoredRule = z.infer<typeof StoredRule>;

function storedRules(json: string) {
  // Written by raiseAlert from the engine's findings; a parse failure would be a bug worth a 500.
  return z
    .array(StoredRule)
    .parse(JSON.parse(json))
    .map((r: StoredRule) => ({ ...r, facts: r.facts ?? null, monitoring: r.monitoring ?? null }));
}

// ---------------------------------------------------------------------------------------------
// Raising an alert (from findings.service.ts)
// ---------------------------------------------------------------------------------------------

/** What a fund-safety finding says about one flagged transaction. */
export interface RaiseInput {
  customerId: string;
  customerNumber: string;
  caseId: string;
  txn: Transaction;
  rules: (FindingRule & { weight: number; description: string })[];
  score: number;
  batchId: string | null;
}

/** The colleague who calls the customer: the case's primary customer manager, else any of its customer managers. */
async function contactPerson(db: Executor, caseId: string): Promise<string | undefined> {
  const managers = (await activeTeam(db, caseId)).filter((m) => m.role === 'customer_manager');
  return (managers.find((m) => m.primary) ?? managers[0])?.staffId;
}

/** The contact task of a new alert: the case's primary customer manager calls the customer, today. */
async function contactTask(ctx: AppContext, db: Executor, caseId: string, branchId: string, alertId: string): Promise<string | null> {
  const assignee = await contactPerson(db, caseId);
  if (assignee === undefined) return null;
  const task = await createSystemTask(
    ctx,
    db,
    {
      caseId,
      branchId,
      assigneeId: assignee,
      kind: 'alert_contact',
      dueOn: bankDay(ctx),
    },
    ANALYSIS_ACTOR,
  );
  await setContactTask(db, alertId, task.id);
  return task.id;
}

/**
 * Raises the alert of one flagged transaction, in the caller's transaction: the alert (at most one
 * per transaction, whatever the batching), the contact task of the case's primary customer manager,
 * and the SMS to the customer through the outbox. False when the transaction already has its alert.
 */
export async function raiseAlert(ctx: AppContext, db: Executor, input: RaiseInput): Promise<boolean> {
  const facts = (await caseFactsByIds(db, [input.caseId]))[0];
  if (!facts) return false;
  const now = ctx.now();
  const at = now.toISOString();
  const id = newId(now.getTime());
  const inserted = await insertAlert(db, {
    id,
    dedup_key: input.txn.txnId,
    customer_id: input.customerId,
    customer_number: input.customerNumber,
    case_id: input.caseId,
    branch_id: facts.branchId,
    score: input.score,
    rules: JSON.stringify(
      input.rules.map(
        (r): StoredRule => ({
          id: r.id,
          description: r.description,
          weight: r.weight,
          detail: r.detail,
          evidence: r.evidence,
          facts: r.facts,
          ...(r.monitoring ? { monitoring: r.monitoring } : {}),
        }),
      ),
    ),
    flagged_txn_id: input.txn.txnId,
    flagged_at: new Date(input.txn.atMs).toISOString(),
    flagged_amount_minor: input.txn.amountMinor,
    currency: input.txn.currency,
    status: 'open',
    resolution: null,
    resolution_note_enc: null,
    contact_task_id: null,
    contact_channel: null,
    contact_outcome: null,
    contact_attempts: 0,
    contact_note_enc: null,
    contacted_by: null,
    verify_note_enc: null,
    verified_by: null,
    batch_id: input.batchId,
    raised_at: at,
    contacted_at: null,
    verified_at: null,
    resolved_at: null,
    resolved_by: null,
    version: 1,
  });
  if (!inserted) return false;

  const taskId = await contactTask(ctx, db, input.caseId, facts.branchId, id);
  const smsId = await enqueueSms(
    db,
    { customerId: input.customerId, text: fundAlertSmsText(ctx.config.alerts.smsBankName) },
    { enabled: ctx.config.alerts.smsGatewayUrl !== null, now },
  );
  await recordAudit(
    db,
    ANALYSIS_ACTOR,
    {
      action: 'alert.raised',
      target: { type: 'fund_alert', id },
      branchId: facts.branchId,
      detail: { caseId: input.caseId, txnId: input.txn.txnId, rules: input.rules.map((r) => r.id), score: input.score, taskId, smsId },
    },
    now,
  );
  return true;
}

// ---------------------------------------------------------------------------------------------
// Who sees what (docs/alerts.md)
// ---------------------------------------------------------------------------------------------

/** `work`: the case's team and the branch's supervisors (need-to-know); `read`: inspectors. */
export type Reach = 'work' | 'read';

export async function reachOf(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  a: { branch_id: string; case_id: string },
): Promise<Reach | null> {
  if (!canSeeBranch(actor, a.branch_id)) return null;
  try {
    const { decision } = await caseForAccess(ctx, db, actor, a.case_id);
    if (decision.access === 'full') return 'work';
    return actor.roles.includes('inspector') ? 'read' : null;
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}

export const NOT_FOUND = () => new AppError('NOT_FOUND', 'no such alert');

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

const staffRef = (id: string | null, name: string | null) => (id !== null && name !== null ? { id, displayName: name } : null);

function contactDueAt(ctx: AppContext, raisedAt: string): string {
  return new Date(Date.parse(raisedAt) + ctx.config.alerts.contactHours * 3_600_000).toISOString();
}

function toSummary(ctx: AppContext, a: AlertRecord) {
  return {
    id: a.id,
    status: a.status,
    resolution: a.resolution,
    score: a.score,
    case: { id: a.case_id, caseNumber: a.case_number },
    customer: { id: a.customer_id, customerNumber: a.customer_number, name: a.customer_name },
    branch: { id: a.branch_id, code: a.branch_code },
    transaction: { id: a.flagged_txn_id, bookedAt: a.flagged_at, amountMinor: Number(a.flagged_amount_minor), currency: a.currency },
    ruleIds: storedRules(a.rules).map((r) => r.id),
    raisedAt: a.raised_at,
    contactedAt: a.contacted_at,
    verifiedAt: a.verified_at,
    resolvedAt: a.resolved_at,
    overdue: isContactOverdue(a.status, a.raised_at, ctx.now(), ctx.config.alerts.contactHours),
    contactDueAt: contactDueAt(ctx, a.raised_at),
    version: a.version,
  };
}

export async function buildView(ctx: AppContext, db: Executor, actor: Actor, a: AlertRecord, reach: Reach, reason?: string) {
  const flagged = await storedTransactionById(db, a.flagged_txn_id);
  const from = new Date(Date.parse(a.flagged_at) - EVIDENCE_DAYS * DAY_MS).toISOString();
  const outflows = await customerOutflows(db, a.customer_number, from, a.flagged_at, EVIDENCE_MAX_ROWS);
  const inspecting = reach === 'read' && reason !== undefined;
  const notesVisible = reach === 'work' || inspecting;
  let notes: Record<'contact_note_enc' | 'verify_note_enc' | 'resolution_note_enc', string | null> | undefined;
  if (notesVisible) {
    notes = await readSensitive(db, ctx.cipher, actor, {
      table: 'fund_alerts',
      rowId: a.id,
      branchId: a.branch_id,
      fields: { contact_note_enc: a.contact_note_enc, verify_note_enc: a.verify_note_enc, resolution_note_enc: a.resolution_note_enc },
      purpose: 'fund_alert',
      ...(inspecting ? { reason } : {}),
    });
  }
  const note = (value: string | null | undefined) => (notes ? { note: value ?? null } : {});
  return {
    ...toSummary(ctx, a),
    rules: storedRules(a.rules),
    flagged: {
      id: a.flagged_txn_id,
      accountId: flagged?.account_id ?? '',
      bookedAt: a.flagged_at,
      amountMinor: Number(a.flagged_amount_minor),
      currency: a.currency,
      channel: flagged?.channel ?? '',
      counterpartyName: flagged?.counterparty_name ?? null,
      counterpartyAccount: flagged?.counterparty_account ?? null,
      mcc: flagged?.mcc ?? null,
      description: flagged?.description ?? null,
    },
    outflows: outflows.map((t) => ({
      id: t.txn_id,
      bookedAt: new Date(t.booked_at).toISOString(),
      amountMinor: Number(t.amount_minor),
      currency: t.currency,
      channel: t.channel,
      counterpartyName: t.counterparty_name,
      mcc: t.mcc,
      flagged: t.txn_id === a.flagged_txn_id,
    })),
    contact: {
      channel: a.contact_channel,
      outcome: a.contact_outcome,
      attempts: a.contact_attempts,
      by: staffRef(a.contacted_by, a.contacted_by_name),
      ...note(notes?.contact_note_enc),
    },
    verification: { by: staffRef(a.verified_by, a.verified_by_name), ...note(notes?.verify_note_enc) },
    resolutionDetail: { by: staffRef(a.resolved_by, a.resolved_by_name), ...note(notes?.resolution_note_enc) },
    contactTaskId: a.contact_task_id,
    canWork: reach === 'work' && hasPermission(actor.roles, 'alert.work'),
    notesVisible,
  };
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

const AlertCursor = z.object({ r: z.number().int().min(0).max(3), t: z.string().max(40), i: z.string().max(64) });
/** Rows looked at per request at most: a reader on few teams of a busy branch gets a shorter page and a cursor. */
const SCAN_MAX = 2000;
const SCAN_BATCH = 200;

/** A page of the alerts the reader may see: open first, oldest first; the branch's (inspectors: all), need-to-know applied. */
export async function pageAlerts(ctx: AppContext, db: Executor, actor: Actor, q: z.output<typeof AlertListQuery>) {
  const cursor = decodeCursor(q.cursor, AlertCursor);
  let pos: AlertPosition | undefined = cursor ? { rank: cursor.r, raisedAt: cursor.t, id: cursor.i } : undefined;
  const items: FundAlertTable[] = [];
  let scanned = 0;
  let exhausted = false;
  let lastScanned: AlertPosition | undefined;
  const reaches = new Map<string, Promise<Reach | null>>();
  while (items.length <= q.limit && scanned < SCAN_MAX && !exhausted) {
    const rows = await pageAlertRows(db, { branchId: branchScope(actor), status: q.status, after: pos, limit: SCAN_BATCH });
    exhausted = rows.length < SCAN_BATCH;
    for (const r of rows) {
      scanned += 1;
      pos = { rank: r.rank, raisedAt: r.raised_at, id: r.id };
      lastScanned = pos;
      // Alerts come one per flagged transaction, so many share a case: judge each case once.
      let reach = reaches.get(r.case_id);
      if (!reach) {
        reach = reachOf(ctx, db, actor, r);
        reaches.set(r.case_id, reach);
      }
      if ((await reach) !== null) items.push(r);
      if (items.length > q.limit) break;
    }
  }
  const page = items.slice(0, q.limit);
  const rankOf = (s: AlertStatus) => ALERT_STATUSES.indexOf(s);
  const last = page.at(-1);
  let next: AlertPosition | undefined;
  if (items.length > q.limit && last) next = { rank: rankOf(last.status), raisedAt: last.raised_at, id: last.id };
  else if (!exhausted && lastScanned) next = lastScanned;
  return {
    items: (await alertRecords(db, page)).map((a) => toSummary(ctx, a)),
    nextCursor: next ? encodeCursor({ r: next.rank, t: next.raisedAt, i: next.id }) : null,
  };
}

/** One alert with its evidence; 404 for readers the case's need-to-know leaves out. Reading notes is audited. */
export async function alertView(ctx: AppContext, db: Executor, actor: Actor, id: string, reason?: string) {
  const a = await findAlertRecord(db, id);
  if (!a) throw NOT_FOUND();
  const reach = await reachOf(ctx, db, actor, a);
  if (reach === null) throw deniedAsNotFound('alert', a.id);
  return buildView(ctx, db, actor, a, reach, reason);
}

/** The alerts of one case (for its page), for readers who may see them. */
export async function caseAlerts(ctx: AppContext, db: Executor, actor: Actor, caseId: string) {
  const { facts } = await caseForAccess(ctx, db, actor, caseId);
  if ((await reachOf(ctx, db, actor, { branch_id: facts.branchId, case_id: caseId })) === null) return { items: [] };
  const rows = await alertRecords(db, await pageAlertRows(db, { caseId, limit: 500 }));
  return { items: rows.map((a) => toSummary(ctx, a)) };
}

function countBy<K extends string>(keys: readonly K[], values: readonly (K | null)[]): Record<K, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>; // every key set just here
  for (const v of values) if (v !== null) out[v] += 1;
  return out;
}

function timing(minutes: number[]) {
  return { count: minutes.length, median: percentile(minutes, 0.5), p90: percentile(minutes, 0.9) };
}

/** Counts by status and resolution and the minutes from raised to contacted and to resolved, for alerts raised in [from, to). */
export async function alertMetrics(ctx: AppContext, db: Executor, actor: Actor, q: { from: string; to: string }) {
  const from = new Date(q.from).toISOString();
  const to = new Date(q.to).toISOString();
  const rows = await alertTimings(db, { branchId: branchScope(actor), from, to });
  const now = ctx.now();
  return {
    from,
    to,
    total: rows.length,
    byStatus: countBy(
      ALERT_STATUSES,
      rows.map((r) => r.status),
    ),
    byResolution: countBy(
      ALERT_RESOLUTIONS,
      rows.map((r) => r.resolution),
    ),
    minutesToContact: timing(rows.flatMap((r) => (r.contacted_at ? [minutesBetween(r.raised_at, r.contacted_at)] : []))),
    minutesToResolve: timing(rows.flatMap((r) => (r.resolved_at ? [minutesBetween(r.raised_at, r.resolved_at)] : []))),
    contactTargetHours: ctx.config.alerts.contactHours,
    overdue: rows.filter((r) => isContactOverdue(r.status, r.raised_at, now, ctx.config.alerts.contactHours)).length,
  };
}

/** The alerts raised in a period with the time their customer was reached, and the target (the indicators, P8.2.3). */
export async function alertContactFacts(
  ctx: AppContext,
  db: Executor,
  q: { fromInstant: string; untilInstant: string; branchId: string | null },
) {
  const rows = await alertTimings(db, {
    ...(q.branchId !== null ? { branchId: q.branchId } : {}),
    from: q.fromInstant,
    to: q.untilInstant,
  });
  return { alerts: rows.map((a) => ({ raisedAt: a.raised_at, contactedAt: a.contacted_at })), targetHours: ctx.config.alerts.contactHours };
}

/** Clears the notes of a case's alerts (retention, P5.3); answers how many values it cleared. */
export async function clearCaseTexts(ctx: AppContext, db: Executor, caseId: string): Promise<number> {
  return clearLinkedTexts(ctx.cipher, db, ALERT_CASE_TEXTS, [caseId]);
}

/** The status, resolution and flagged amount of each alert of a case, for the risk officer's fund-safety exposure (P7.2.2). */
export async function caseAlertAmounts(db: Executor, caseId: string) {
  const rows = await pageAlertRows(db, { caseId, limit: 500 });
  return rows.map((a) => ({
    status: a.status,
    resolution: a.resolution,
    amountMinor: Number(a.flagged_amount_minor),
    currency: a.currency,
  }));
}
