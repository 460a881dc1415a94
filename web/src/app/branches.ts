import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client';
import type { Branch, Page } from '../api/types';

/** The bank's branches; they rarely change, so they are fetched once per sign-in. */
export function useBranches() {
  return useQuery({
    queryKey: ['branches'],
    queryFn: () => get<Page<Branch>>('/api/v1/branches'),
    staleTime: 10 * 60_000,
  });
}

/** A function naming a branch, by id or code, in the interface language; the code when unknown, nothing while loading. */
export function useBranchName(): (idOrCode: string) => string {
  const { i18n } = useTranslation();
  const { data } = useBranches();
  const english = i18n.language.startsWith('en');
  return (idOrCode) => {
    // Until the list arrives, show nothing rather than flash the code in the other language.
    if (!data) return '';
    const branch = data?.items.find((b) => b.id === idOrCode || b.code === idOrCode);
    if (!branch) return idOrCode;
    return english ? branch.nameEn : branch.nameZh;
  };
}
