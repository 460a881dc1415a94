import { z } from 'zod';
import type { Executor } from '../../platform/db/database.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import type { PageQuery } from '../work/work.schemas.js';
import { type TimelineEntry, workTimelineEntries } from '../work/work.service.js';
import { caseView } from './case-view.service.js';
import { serviceTimelineEntries } from '../services/requests.service.js';
import { riskTimelineEntries } from '../risk/risk.service.js';
import { caseForAccess } from '../case-access/case-access.service.js';
import { withSensitiveReads } from '../../platform/audit/sensitive-read.js';

const TimelineCursor = z.object({ o: z.number().int().min(0).max(1_000_000) });

/**
 * Everything that happened on a case in order: the case file's events (registration, changes,
 * consents, closing), interactions, tasks created and completed (from the work feature). The
 * notes of interactions and tasks only for entitled readers. Paged by position.
 */
export async function caseTimeline(ctx: AppContext, db: Executor, actor: Actor, caseId: string, q: z.output<typeof PageQuery>) {
  const { facts, decision } = await caseForAccess(ctx, db, actor, caseId, q.reason);
  const reason = decision.grant?.reason ?? (actor.roles.includes('inspector') ? q.reason : undefined);
  // The whole timeline is one read: one audit event for the file's sections and the work's notes.
  const scope = { target: { type: 'case', id: caseId }, branchId: facts.branchId, purpose: 'case_timeline', ...(reason ? { reason } : {}) };
  const { file, entries } = await withSensitiveReads(db, ctx.cipher, actor, scope, async (read) => {
    // The case file as this reader may see it: decides access (404, inspectors' reasons) and gives its history.
    const file = await caseView(ctx, db, actor, caseId, q.reason, read);
    const entries: TimelineEntry[] = file.history.map((v) => ({
      at: v.at,
      kind: `case.${v.action}`,
      actor: v.by ?? null,
      summary: v.fields.join(', '),
      ref: { type: 'case', id: caseId },
    }));
    entries.push(...(await workTimelineEntries(ctx, db, actor, { id: caseId, branchId: facts.branchId }, file.sensitiveVisible, read)));
    entries.push(...(await serviceTimelineEntries(db, caseId)));
    entries.push(...(await riskTimelineEntries(db, caseId)));
    return { file, entries };
  });
  const full = file.sensitiveVisible;
  entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const from = decodeCursor(q.cursor, TimelineCursor)?.o ?? 0;
  const items = entries.slice(from, from + q.limit);
  return {
    sensitiveVisible: full,
    items,
    nextCursor: from + q.limit < entries.length ? encodeCursor({ o: from + q.limit }) : null,
  };
}
