import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { get } from '../../api/client';
import { Icon } from '../../components/Icon';
import type { NotificationPage } from './api';

/** The top bar's bell: the number of unread notifications, refreshed every minute; opens the list. */
export function NotificationBell() {
  const { t } = useTranslation();
  const unread = useQuery({
    queryKey: ['notifications', 'unread-count'],
    queryFn: () => get<NotificationPage>('/api/v1/notifications?unread=true&limit=1'),
    refetchInterval: 60_000,
  });
  const count = unread.data?.unreadCount ?? 0;
  return (
    <Link
      to="/notifications"
      className="button button-ghost"
      aria-label={t('communication.notifications.bell', { count })}
      data-testid="notification-bell"
    >
      <Icon name="bell" />
      {count > 0 && (
        <span className="badge badge-pending" data-testid="notification-count">
          {count}
        </span>
      )}
    </Link>
  );
}
