import { useQuery } from '@tanstack/react-query';
import { request } from '../../api/client';
import type { CaseView } from '../../api/types';

/** One case file with its ETag; `reason` is an inspector's stated reason to see the sensitive sections. */
export function useCase(id: string, reason: string | null) {
  return useQuery({
    queryKey: ['case', id, reason],
    queryFn: () =>
      request<CaseView>('GET', `/api/v1/cases/${encodeURIComponent(id)}${reason ? `?reason=${encodeURIComponent(reason)}` : ''}`),
    staleTime: 0,
  });
}
