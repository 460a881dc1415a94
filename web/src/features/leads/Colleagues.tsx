import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { hasPermission } from '../../app/access';
import { useSignedIn } from '../../auth/session';
import type { Colleague, Page } from '../../api/types';

/** The staff of the reader's own branch, for handing work to a named colleague. */
export function useColleagues() {
  const { user } = useSignedIn();
  return useQuery({
    queryKey: ['colleagues'],
    queryFn: () => get<Page<Colleague>>('/api/v1/staff/colleagues'),
    staleTime: 5 * 60_000,
    // Only case workers have a branch directory (inspectors and admins do not): never ask for a 403.
    enabled: hasPermission(user.roles, 'staff.directory'),
  });
}

/** A select of the branch's colleagues by name and role; never a free-typed id. */
export function ColleagueSelect({
  label,
  value,
  onChange,
  required = false,
  excludeId,
  emptyLabel,
  meLabel,
  testId,
}: {
  label: string;
  value: string;
  onChange: (id: string) => void;
  required?: boolean;
  excludeId?: string;
  emptyLabel?: string;
  /** Offers "me" (the API's alias of the reader) as the first choice. */
  meLabel?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const colleagues = useColleagues();
  const items = (colleagues.data?.items ?? []).filter((c) => c.id !== excludeId);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} required={required} data-testid={testId}>
        <option value="" disabled={required}>
          {colleagues.isPending ? t('common.loading') : (emptyLabel ?? t('staff.choose'))}
        </option>
        {meLabel && <option value="me">{meLabel}</option>}
        {items.map((c) => (
          <option key={c.id} value={c.id}>
            {c.displayName}
            {c.roles.length > 0 ? ` · ${c.roles.map((r) => t(`roles.${r}`)).join('、')}` : ''}
          </option>
        ))}
      </select>
      {colleagues.error ? <span className="field-error">{t('leads.colleaguesUnavailable')}</span> : null}
    </div>
  );
}
