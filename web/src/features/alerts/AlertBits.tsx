import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlertStatus } from './api';

const STATUS_CLASS: Record<AlertStatus, string> = {
  open: 'badge-pending',
  contacted: 'badge-lead-in',
  verified: 'badge-lead-confirmed',
  resolved: 'badge-success',
};

/** The alert's status as a badge, with the overdue mark when the contact target has passed. */
export function AlertStatusBadge({ status, overdue }: { status: AlertStatus; overdue?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <span className={`badge ${STATUS_CLASS[status]}`} data-testid="alert-status">
        {t(`alerts.status.${status}`)}
      </span>
      {overdue && (
        <span className="badge badge-overdue" data-testid="alert-overdue">
          {t('alerts.overdue')}
        </span>
      )}
    </>
  );
}

/** How long ago an alert was raised, in the largest whole unit (minutes, hours, days). */
export function Elapsed({ since, now }: { since: string; now: number }) {
  const { t } = useTranslation();
  const minutes = Math.max(0, Math.floor((now - Date.parse(since)) / 60_000));
  if (minutes < 60) return <>{t('alerts.elapsed.minutes', { count: minutes })}</>;
  if (minutes < 48 * 60) return <>{t('alerts.elapsed.hours', { count: Math.floor(minutes / 60) })}</>;
  return <>{t('alerts.elapsed.days', { count: Math.floor(minutes / 1440) })}</>;
}

/** One labelled value of a `facts` list. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
