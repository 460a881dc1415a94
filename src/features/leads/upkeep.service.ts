import { clearLinkedTexts } from '../../platform/crypto/text-purge.js';
import type { Executor } from '../../platform/db/database.js';
import type { AppContext } from '../../platform/http/context.js';
import { notifyAll } from '../notifications/notifications.service.js';
import { branchSupervisorIds } from '../staff/staff.service.js';
import { LEAD_TEXTS, leadIdsOfCase, leadTimings, overdueLeads } from './leads.repository.js';

// Keeping the leads in order: reminders of passed deadlines, retention of their texts.

/** Clears the texts of the leads that became a case or were linked to it (retention, P5.3); answers how many values it cleared. */
export async function clearCaseLeadTexts(ctx: AppContext, db: Executor, caseId: string): Promise<number> {
  return clearLinkedTexts(ctx.cipher, db, LEAD_TEXTS, await leadIdsOfCase(db, caseId));
}

/**
 * Tells the supervisors of the branch, and the colleague asked to check, of every lead past its
 * verification deadline, once per lead (P2.3.2; the daily job). Answers how many leads it looked at.
 */
export async function notifyOverdueLeads(ctx: AppContext): Promise<number> {
  let after: string | undefined;
  let seen = 0;
  for (;;) {
    const batch = await overdueLeads(ctx.db, ctx.now().toISOString(), after, 200);
    if (batch.length === 0) return seen;
    after = batch.at(-1)?.id;
    seen += batch.length;
    await ctx.db.transaction().execute(async (trx) => {
      for (const lead of batch) {
        const recipients = [...(await branchSupervisorIds(trx, lead.branch_id)), ...(lead.assigned_to === null ? [] : [lead.assigned_to])];
        await notifyAll(ctx, trx, null, recipients, {
          kind: 'lead_overdue',
          leadId: lead.id,
          sourceId: lead.id,
          dedupKey: `lead_overdue|${lead.id}`,
        });
      }
    });
  }
}

/** The leads raised in a period with their deadline and decision time (the indicators, P8.2.2). */
export async function leadTimingFacts(db: Executor, q: { fromInstant: string; untilInstant: string; branchId: string | null }) {
  return (await leadTimings(db, q)).map((l) => ({ createdAt: l.created_at, dueAt: l.due_at, decidedAt: l.decided_at }));
}
