import { useQueryClient } from '@tanstack/react-query';

/** The tabs of the case page, in their order; the URL's `?tab=` names one. */
export const CASE_TABS = ['overview', 'team', 'services', 'risk', 'discussion', 'timeline', 'consent'] as const;
export type CaseTab = (typeof CASE_TABS)[number];

/** True when a `?tab=` value names a tab of the case page. */
export function isCaseTab(value: string | null): value is CaseTab {
  return CASE_TABS.some((tab) => tab === value);
}

/** The address of a case's page, opened on one of its tabs (the overview when none is given). */
export function caseLink(caseId: string, tab?: CaseTab): string {
  const path = `/cases/${encodeURIComponent(caseId)}`;
  return tab && tab !== 'overview' ? `${path}?tab=${tab}` : path;
}

/**
 * Refreshes everything shown about a case after a change to it: the file, its team, its tasks and
 * timeline (which also list the file's own events), its alerts and the lists it appears in. Every
 * change made from the case page goes through this, so no panel is left showing the old state.
 */
export function useRefreshCase(caseId: string): () => Promise<void> {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: ['case', caseId] }),
      queryClient.invalidateQueries({ queryKey: ['team', caseId] }),
      queryClient.invalidateQueries({ queryKey: ['work'] }),
      queryClient.invalidateQueries({ queryKey: ['alerts', 'case', caseId] }),
      queryClient.invalidateQueries({ queryKey: ['cases'] }),
    ]);
  };
}
