import { z } from 'zod';
import type { Executor } from '../../platform/db/database.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor } from '../../platform/http/text.js';
import type { PageQuery } from '../work/work.schemas.js';
import { type TimelineEntry, workTimelineEntries } from '../work/work.service.js';
import { caseView } from './case-view.service.js';

const TimelineCursor = z.object({ o: z.number().int().min(0).max(1_000_000) });

/**
 * Everything that happened on a case in order: the case file's events (registration, changes,
 * consents, closing), interactions, tasks created and completed (from the work feature). The
 * notes of interactions and tasks only for entitled readers. Paged by position.
 */
export async function caseTimeline(ctx: AppContext, db: Executor, actor: Actor, caseId: string, q: z.output<typeof PageQuery>) {
  // The case file as this reader may see it: decides access (404, inspectors' reasons) and gives its history.
  const file = await caseView(ctx, db, actor, caseId, q.reason);
  const full = file.sensitiveVisible;
  const entries: TimelineEntry[] = file.history.map((v) => ({
    at: v.at,
    kind: `case.${v.action}`,
    actor: v.by ?? null,
    summary: v.fields.join(', '),
    ref: { type: 'case', id: caseId },
  }));
  entries.push(...(await workTimelineEntries(ctx, db, actor, { id: caseId, branchId: file.basic.branch.id }, full)));
  entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const from = decodeCursor(q.cursor, TimelineCursor)?.o ?? 0;
  const items = entries.slice(from, from + q.limit);
  return {
    sensitiveVisible: full,
    items,
    nextCursor: from + q.limit < entries.length ? encodeCursor({ o: from + q.limit }) : null,
  };
}
