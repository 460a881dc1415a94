import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { GrantListResponse, GrantView } from '../../../../src/features/case-access/case-access.schemas.js';
import type { AgreementView, MissingAgreementsResponse } from '../../../../src/features/staff/agreements.schemas.js';
import type { TeamView, WorkloadView } from '../../../../src/features/teams/teams.schemas.js';
import { TEAM_ROLES } from '../../../../src/domain/roles.js';
import { get } from '../../api/client';

export { TEAM_ROLES };
export type TeamRole = (typeof TEAM_ROLES)[number];
export type Team = z.output<typeof TeamView>;
export type Workload = z.output<typeof WorkloadView>;
export type Grant = z.output<typeof GrantView>;
export type GrantList = z.output<typeof GrantListResponse>;
export type Agreement = z.output<typeof AgreementView>;
export type MissingAgreements = z.output<typeof MissingAgreementsResponse>;

/** The current team of a case. */
export function useTeam(caseId: string) {
  return useQuery({
    queryKey: ['team', caseId],
    queryFn: () => get<Team>(`/api/v1/cases/${encodeURIComponent(caseId)}/team`),
    staleTime: 0,
  });
}

/** Whether the reader's confidentiality agreement is in force (asked afresh: it can lapse or be recorded). */
export function useMyAgreement() {
  return useQuery({
    queryKey: ['agreement', 'mine'],
    queryFn: () => get<{ valid: boolean }>('/api/v1/agreements/mine'),
    staleTime: 60_000,
  });
}
