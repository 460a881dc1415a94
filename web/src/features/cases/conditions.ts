import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import type { ConditionCategoryView, ConditionGroupCode } from '../../api/types';

/** The condition categories of the registration form, as the server lists them. */
export function useConditions() {
  return useQuery({
    queryKey: ['conditions'],
    queryFn: async () => {
      const data = await get<ConditionCategoryView[] | { items: ConditionCategoryView[] }>('/api/v1/conditions');
      return Array.isArray(data) ? data : data.items;
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The display groups of the select; injury is split from the other circumstances. */
export type ConditionDisplayGroup = 'severe' | 'mild' | 'injury' | 'other';
export const CONDITION_DISPLAY_GROUPS: readonly ConditionDisplayGroup[] = ['severe', 'mild', 'injury', 'other'];

export function displayGroup(code: string, group: ConditionGroupCode): ConditionDisplayGroup {
  if (group === 'other' && code.includes('injury')) return 'injury';
  return group;
}

/** A function naming a condition category in the interface language; the code when unknown. */
export function useConditionName(): (code: string) => string {
  const { i18n } = useTranslation();
  const { data } = useConditions();
  const english = i18n.language.startsWith('en');
  return (code) => {
    const c = data?.find((x) => x.code === code);
    if (!c) return code;
    return english ? c.en : c.zh;
  };
}
