import { z } from 'zod';
import { Id, pageQuery, text } from '../../platform/http/text.js';

export const INCIDENT_STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;

export const IncidentIdParams = z.strictObject({ id: Id });

const instant = z.iso.datetime({ offset: true });

/** P7.3.1: what went wrong, when it was found, and who owns it; linked to a service request or a case (or neither). */
export const IncidentBody = z.strictObject({
  whatWentWrong: text({ min: 1, max: 2000 }),
  foundAt: instant,
  rootCause: text({ min: 1, max: 2000 }).optional(),
  correctiveAction: text({ min: 1, max: 2000 }).optional(),
  ownerId: Id,
  requestId: Id.optional(),
  caseId: Id.optional(),
});

/** A follow-up: any of the fields, the status moving on. */
export const IncidentChangeBody = z
  .strictObject({
    whatWentWrong: text({ min: 1, max: 2000 }).optional(),
    rootCause: text({ min: 1, max: 2000 }).optional(),
    correctiveAction: text({ min: 1, max: 2000 }).optional(),
    ownerId: Id.optional(),
    status: z.enum(INCIDENT_STATUSES).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

export const IncidentListQuery = pageQuery.extend({ status: z.enum(INCIDENT_STATUSES).optional() });

const Person = z.object({ id: z.string(), name: z.string() });

/** An incident in a list: no free text. */
export const IncidentSummary = z.object({
  id: z.string(),
  branchId: z.string(),
  status: z.enum(INCIDENT_STATUSES),
  foundAt: z.string(),
  owner: Person,
  requestId: z.string().nullable(),
  caseId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export const IncidentList = z.object({ items: z.array(IncidentSummary), nextCursor: z.string().nullable() });

/** One incident with its texts (an audited read). */
export const IncidentView = IncidentSummary.extend({
  whatWentWrong: z.string(),
  rootCause: z.string().nullable(),
  correctiveAction: z.string().nullable(),
  createdBy: Person,
  updatedBy: Person,
});
