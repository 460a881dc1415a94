import { z } from 'zod';
import type { Restriction } from '../../domain/access.js';
import { addDays, type CloseReason, DUE_SOON_DAYS, isCloseReason, type UpdateState, updateState } from '../../domain/case-rules.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { type ScopedRead, withSensitiveReads } from '../../platform/audit/sensitive-read.js';
import type { Executor } from '../../platform/db/database.js';
import type { CaseTable } from '../../platform/db/tables/case-access.js';
import { branchScope } from '../../platform/http/access.js';
import { type Actor, type AppContext, bankDay } from '../../platform/http/context.js';
import { deniedAsNotFound } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import { type CaseRecord, pageCaseRecords } from '../case-access/case-records.service.js';
import { type CaseListQuery, type CaseView, LEGAL_BASES } from './cases.schemas.js';
import {
  accessOf,
  type ConsentRecord,
  consentsOf,
  isBranchSupervisor,
  parseStored,
  reload,
  StoredCondition,
  StoredCorrections,
  StoredFinances,
  StoredValues,
  type VersionRecord,
  versionsOf,
  visibleCase,
} from './cases.service.js';

// ---------------------------------------------------------------------------------------------
// Reading: the case file and the list
// ---------------------------------------------------------------------------------------------

function stateOf(c: Pick<CaseTable, 'status' | 'next_update_due'>, today: string): UpdateState | null {
  return c.status === 'active' ? updateState(c.next_update_due, today) : null;
}

export const staffRef = (id: string, name: string | null) => ({ id, displayName: name });

function closeReasonOf(value: string | null): CloseReason | null {
  return isCloseReason(value) ? value : null;
}

function legalBasisOf(value: string | null): (typeof LEGAL_BASES)[number] | null {
  return LEGAL_BASES.find((b) => b === value) ?? null;
}

const PurgeCountsSchema = z.record(z.string(), z.number());

/** The consent section: every record with its status; scope and notes for entitled readers only. */
function consentSection(consents: ConsentRecord[], read: ReadMode, decrypt: ScopedRead) {
  const records = [];
  for (const r of consents) {
    const base = {
      id: r.id,
      kind: r.kind,
      partnerId: r.partner_id,
      basis: legalBasisOf(r.basis),
      channel: r.channel,
      givenAt: r.given_at,
      evidenceRef: r.evidence_ref,
      source: r.source,
      status: r.status,
      recordedAt: r.recorded_at,
      recordedBy: staffRef(r.recorded_by, r.recorded_by_name),
      withdrawnAt: r.withdrawn_at,
      withdrawnBy: r.withdrawn_by === null ? null : staffRef(r.withdrawn_by, r.withdrawn_by_name),
      withdrawalChannel: r.withdrawal_channel,
    };
    if (!read.entitled) {
      records.push(base);
      continue;
    }
    const plain = decrypt('case_consents', r.id, {
      scope_enc: r.scope_enc,
      note_enc: r.note_enc,
      withdrawal_note_enc: r.withdrawal_note_enc,
    });
    records.push({ ...base, scope: plain.scope_enc, note: plain.note_enc, withdrawalNote: plain.withdrawal_note_enc });
  }
  return records;
}

/** The history section: who, when, which fields; the old and new values for entitled readers only. */
function historySection(versions: VersionRecord[], read: ReadMode, decrypt: ScopedRead) {
  const entries = [];
  for (const v of versions) {
    const fields = z.array(z.string()).parse(JSON.parse(v.fields));
    const base = {
      version: v.version,
      action: v.action,
      at: v.changed_at,
      by: v.changed_by === null ? null : staffRef(v.changed_by, v.changed_by_name),
      fields,
    };
    if (!read.entitled) {
      entries.push(base);
      continue;
    }
    const plain = decrypt('case_versions', v.id, { old_values_enc: v.old_values_enc, new_values_enc: v.new_values_enc }, v.version);
    const before = parseStored(plain.old_values_enc, StoredValues);
    const after = parseStored(plain.new_values_enc, StoredValues);
    const changes =
      before === null && after === null
        ? null
        : [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].map((field) => ({
            field,
            old: before?.[field] ?? null,
            new: after?.[field] ?? null,
          }));
    entries.push({ ...base, changes });
  }
  return entries;
}

export interface ReadMode {
  entitled: boolean;
  purpose: string;
  reason?: string;
  /** Why the sensitive sections are left out, for the page to say. */
  restricted?: Restriction;
}

/** The whole case file as this reader may see it. */
export async function buildView(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  c: CaseRecord,
  read: ReadMode,
  outer?: ScopedRead,
): Promise<z.input<typeof CaseView>> {
  const today = bankDay(ctx);
  const consents = await consentsOf(db, c.id);
  const versions = await versionsOf(db, c.id);
  // One opening of the file is one audit event, naming every field and version it decrypted.
  const scope = { target: { type: 'case', id: c.id }, branchId: c.branch_id, purpose: read.purpose, reason: read.reason };
  const build = (decrypt: ScopedRead) => {
    const basic = {
      customer: { id: c.customer_id, customerNumber: c.customer_number, name: c.customer_name },
      branch: { id: c.branch_id, code: c.branch_code },
      leadId: c.lead_id,
      channel: c.channel,
      partnerId: c.partner_id,
      severity: c.severity,
      mobilityImpaired: c.mobility_impaired === 1,
      reviewOn: c.review_on,
      updateIntervalDays: c.update_interval_days,
      lastUpdateOn: c.last_update_on,
      nextUpdateDue: c.next_update_due,
      maintainer: c.maintainer_id === null ? null : staffRef(c.maintainer_id, c.maintainer_name),
      registeredAt: c.created_at,
      closedAt: c.closed_at,
      closeReason: closeReasonOf(c.close_reason),
      purgedAt: c.purged_at,
    };
    const activePartners = consents.filter((r) => r.kind === 'partner_sharing' && r.status === 'active' && r.partner_id !== null);
    const canShare = c.status === 'active' && consents.some((r) => r.kind !== 'partner_sharing' && r.status === 'active');
    const common = {
      id: c.id,
      caseNumber: c.case_number,
      status: c.status,
      version: c.version,
      consentWithdrawn: c.consent_withdrawn === 1,
      updateState: stateOf(c, today),
      sensitiveVisible: read.entitled,
      ...(!read.entitled && read.restricted ? { restricted: read.restricted } : {}),
      consent: {
        sharingPartners: canShare ? [...new Set(activePartners.map((r) => r.partner_id ?? ''))] : [],
        records: consentSection(consents, read, decrypt),
      },
      history: historySection(versions, read, decrypt),
      purge: c.purged_at === null ? null : { purgedAt: c.purged_at, counts: PurgeCountsSchema.parse(JSON.parse(c.purge_counts ?? '{}')) },
    };
    if (!read.entitled) return { ...common, basic };
    const plain = decrypt('cases', c.id, {
      condition_enc: c.condition_enc,
      finances_enc: c.finances_enc,
      corrections_enc: c.corrections_enc,
      close_note_enc: c.close_note_enc,
    });
    return {
      ...common,
      basic: { ...basic, corrections: parseStored(plain.corrections_enc, StoredCorrections) },
      condition: parseStored(plain.condition_enc, StoredCondition),
      finances: parseStored(plain.finances_enc, StoredFinances),
      closing: { note: plain.close_note_enc },
    };
  };
  return outer ? build(outer) : withSensitiveReads(db, ctx.cipher, actor, scope, build);
}

/** The case file; the sensitive sections only for entitled readers, each decryption audited. */
export async function caseView(ctx: AppContext, db: Executor, actor: Actor, id: string, reason?: string, outer?: ScopedRead) {
  const c = await visibleCase(db, actor, id);
  const decision = await accessOf(ctx, db, actor, c, reason);
  if (decision.access === 'none') throw deniedAsNotFound('case', c.id);
  const full = decision.access === 'full';
  const inspecting = full && reason !== undefined && actor.roles.includes('inspector') && !isBranchSupervisor(actor, c);
  if (inspecting) {
    // The reason itself is recorded with every sensitive read below; this event says the file was opened for it.
    await recordAudit(
      db,
      actor,
      { action: 'case.inspected', target: { type: 'case', id: c.id }, branchId: c.branch_id, detail: { reason } },
      ctx.now(),
    );
  }
  // A break-glass read carries the grant's written reason into the audit trail.
  const readReason = inspecting ? reason : decision.grant?.reason;
  return buildView(
    ctx,
    db,
    actor,
    c,
    {
      entitled: full,
      purpose: decision.grant && !inspecting ? 'break_glass' : 'case_file',
      reason: full ? readReason : undefined,
      restricted: decision.restricted,
    },
    outer,
  );
}

const CaseCursor = z.object({ id: z.string().max(64) });

/** A page of the cases the actor's branch holds (inspectors: every branch), newest first; no illness. */
export async function listCases(ctx: AppContext, db: Executor, actor: Actor, q: z.output<typeof CaseListQuery>) {
  const scope = branchScope(actor);
  if (scope !== undefined && q.branch !== undefined && q.branch !== scope) return { items: [], nextCursor: null };
  const today = bankDay(ctx);
  const after = decodeCursor(q.cursor, CaseCursor);
  const rows = await pageCaseRecords(db, {
    branchId: scope ?? q.branch,
    status: q.status,
    severity: q.severity,
    dueBetween: q.due === 'due' ? { from: today, to: addDays(today, DUE_SOON_DAYS) } : undefined,
    dueBefore: q.due === 'overdue' ? today : undefined,
    maintainerId: q.maintainer === 'me' ? actor.id : q.maintainer,
    q: q.q,
    beforeId: after?.id,
    limit: q.limit + 1,
  });
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return {
    items: items.map((c) => ({
      id: c.id,
      caseNumber: c.case_number,
      status: c.status,
      customer: { id: c.customer_id, customerNumber: c.customer_number, name: c.customer_name },
      branch: { id: c.branch_id, code: c.branch_code },
      channel: c.channel,
      severity: c.severity,
      mobilityImpaired: c.mobility_impaired === 1,
      maintainer: c.maintainer_id === null ? null : staffRef(c.maintainer_id, c.maintainer_name),
      nextUpdateDue: c.next_update_due,
      updateState: stateOf(c, today),
      consentWithdrawn: c.consent_withdrawn === 1,
      registeredAt: c.created_at,
      closedAt: c.closed_at,
      version: c.version,
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null,
  };
}

/** The view after a change, as the one who made it may see it. */
export async function viewAfterChange(ctx: AppContext, db: Executor, actor: Actor, id: string) {
  const c = await reload(db, id);
  const decision = await accessOf(ctx, db, actor, c, undefined);
  return buildView(ctx, db, actor, c, {
    entitled: decision.access === 'full',
    purpose: 'case_file',
    reason: decision.grant?.reason,
    restricted: decision.restricted,
  });
}
