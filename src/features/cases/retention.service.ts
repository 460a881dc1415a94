import { retentionCutoff } from '../../domain/case-rules.js';
import { type AuditActor, SYSTEM_ACTOR, recordAudit } from '../../platform/audit/audit.service.js';
import type { Executor } from '../../platform/db/database.js';
import type { AppContext } from '../../platform/http/context.js';
import { casesClosedBefore, purgeCaseRecord, recordPurgeCounts } from '../case-access/case-records.service.js';
import { clearCaseTexts as clearAlertTexts } from '../alerts/alerts.service.js';
import { clearCaseTexts as clearCommunicationTexts } from '../communication/communication.service.js';
import { clearCreditTexts } from '../credit/emergency-loan.service.js';
import { clearCaseLeadTexts } from '../leads/upkeep.service.js';
import { clearIncidentTexts } from '../procedures/incidents.service.js';
import { clearServiceTexts } from '../services/requests.service.js';
import { clearRiskTexts } from '../risk/risk.service.js';
import { clearCaseTexts as clearWorkTexts } from '../work/upkeep.service.js';
import { purgeVersionsAndConsents } from './cases.repository.js';
import { writeVersion } from './cases.service.js';

// ---------------------------------------------------------------------------------------------
// Retention (P5.3): the case file purges itself and asks each feature that keeps texts about the
// case to clear them, in the same transaction (docs/architecture.md: the flow's owner orchestrates).
// ---------------------------------------------------------------------------------------------

/** What a purge cleared. */
export interface PurgeCounts {
  caseFields: number;
  versionValues: number;
  consentFields: number;
  /** Texts other features keep about the case: tasks, interactions, thread, minutes, alerts, leads. */
  linkedTexts: number;
}

/** Clears the texts the other features keep about a case; answers how many values were cleared. */
async function clearLinkedTextsOfCase(ctx: AppContext, db: Executor, caseId: string): Promise<number> {
  return (
    (await clearWorkTexts(ctx, db, caseId)) +
    (await clearCommunicationTexts(ctx, db, caseId)) +
    (await clearAlertTexts(ctx, db, caseId)) +
    (await clearCaseLeadTexts(ctx, db, caseId)) +
    (await clearServiceTexts(ctx, db, caseId)) +
    (await clearCreditTexts(ctx, db, caseId)) +
    (await clearIncidentTexts(ctx, db, caseId)) +
    (await clearRiskTexts(ctx, db, caseId))
  );
}

/** What one retention run did. */
export interface RetentionResult {
  cutoff: string;
  purged: number;
  counts: PurgeCounts;
}

const RETENTION_BATCH = 100;

/**
 * Purges the sensitive fields of cases closed longer ago than the retention period
 * (`LIFELINE_RETENTION_YEARS`), one transaction per case, each leaving a tombstone (status
 * `purged`, the time and the counts) and an audit event. Safe to run at any time, and again.
 */
export async function runRetention(
  ctx: AppContext,
  opts: { actor?: AuditActor; onProgress?: (purged: number) => void } = {},
): Promise<RetentionResult> {
  const actor = opts.actor ?? SYSTEM_ACTOR;
  const now = ctx.now();
  const cutoff = retentionCutoff(now, ctx.config.cases.retentionYears).toISOString();
  const total: PurgeCounts = { caseFields: 0, versionValues: 0, consentFields: 0, linkedTexts: 0 };
  const seen = new Set<string>();
  let purged = 0;
  for (;;) {
    const batch = (await casesClosedBefore(ctx.db, cutoff, RETENTION_BATCH)).filter((c) => !seen.has(c.id));
    if (batch.length === 0) break;
    for (const c of batch) {
      seen.add(c.id);
      const done = await ctx.db.transaction().execute(async (trx) => {
        const record = await purgeCaseRecord(trx, c.id, now.toISOString());
        if (!record) return undefined;
        const file = await purgeVersionsAndConsents(trx, c.id);
        const counts: PurgeCounts = { caseFields: record.cleared, ...file, linkedTexts: await clearLinkedTextsOfCase(ctx, trx, c.id) };
        const result = { version: record.version, counts };
        await recordPurgeCounts(trx, c.id, { ...counts });
        await writeVersion(ctx, trx, {
          caseId: c.id,
          version: result.version,
          action: 'purged',
          by: actor.id,
          fields: [
            'condition',
            'financialImpact',
            'basic.corrections',
            'closeNote',
            'history.values',
            'consent.scope',
            'consent.notes',
            'linked.texts',
          ],
        });
        await recordAudit(
          trx,
          actor,
          {
            action: 'case.purged',
            target: { type: 'case', id: c.id },
            branchId: c.branch_id,
            detail: { retentionYears: ctx.config.cases.retentionYears, cutoff, counts: result.counts },
          },
          now,
        );
        return result.counts;
      });
      if (!done) continue;
      purged += 1;
      total.caseFields += done.caseFields;
      total.versionValues += done.versionValues;
      total.consentFields += done.consentFields;
      total.linkedTexts += done.linkedTexts;
      opts.onProgress?.(purged);
    }
  }
  return { cutoff, purged, counts: total };
}
