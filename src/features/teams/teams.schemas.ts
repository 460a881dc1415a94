import { z } from 'zod';
import { Id } from '../../platform/http/text.js';
import { ROLES, TEAM_ROLES } from '../../domain/roles.js';

/** Ids in URLs and bodies: what newId() makes, and nothing that could carry a personal identifier. */

export const CaseIdParams = z.strictObject({ id: Id });

export const TeamBody = z.strictObject({
  members: z
    .array(z.strictObject({ staffId: Id, role: z.enum(TEAM_ROLES), primary: z.boolean().optional() }))
    .min(1)
    .max(20),
});

export const TeamView = z.object({
  caseId: z.string(),
  caseNumber: z.string(),
  members: z.array(
    z.object({
      staffId: z.string(),
      displayName: z.string().nullable(),
      role: z.enum(TEAM_ROLES),
      primary: z.boolean(),
      assignedAt: z.string(),
      assignedBy: z.string(),
    }),
  ),
});

export const WorkloadView = z.object({
  branchId: z.string(),
  items: z.array(
    z.object({
      staffId: z.string(),
      displayName: z.string(),
      roles: z.array(z.enum(ROLES)),
      openCases: z.number().int(),
      openCasesByRole: z.record(z.enum(TEAM_ROLES), z.number().int()),
      overdueReviews: z.number().int(),
      /** Counted by the work feature (P3.2); null where no count is available. */
      overdueTasks: z.number().int().nullable(),
    }),
  ),
});
