import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { get, post, query } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { formatInstant } from '../../i18n/format';
import type { AppNotification, NotificationPage } from './api';
import { caseLink } from '../cases/caseLinks';

/** Where a notification leads: the lead, the service request, or the case on the tab the news is about. */
function target(n: AppNotification): string | null {
  if (n.kind.startsWith('service_')) return `/service-requests/${encodeURIComponent(n.sourceId)}`;
  if (n.leadId) return `/leads/${encodeURIComponent(n.leadId)}`;
  if (n.caseId === null) return null;
  if (n.kind === 'mention') return caseLink(n.caseId, 'discussion');
  if (n.kind === 'team_assigned') return caseLink(n.caseId);
  return caseLink(n.caseId, 'team');
}

/** One's notifications (mentions, action items, leads, team and task news, services), by case number only; mark read one by one or all. */
export function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const list = useInfiniteQuery({
    queryKey: ['notifications', 'list'],
    queryFn: ({ pageParam }) => get<NotificationPage>(`/api/v1/notifications${query({ limit: 50, cursor: pageParam })}`),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['notifications'] });
  const readOne = useMutation({ mutationFn: (id: string) => post(`/api/v1/notifications/${id}/read`), onSuccess: refresh });
  const readAll = useMutation({ mutationFn: () => post('/api/v1/notifications/read-all'), onSuccess: refresh });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = list.data?.pages[0]?.unreadCount ?? 0;

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('communication.notifications.title')}</h1>
          <p className="page-sub">{t('communication.notifications.unread', { count: unread })}</p>
        </div>
        <button
          type="button"
          className="button"
          onClick={() => readAll.mutate()}
          disabled={readAll.isPending || unread === 0}
          data-testid="notifications-read-all"
        >
          {t('communication.notifications.readAll')}
        </button>
      </header>
      <ErrorNotice error={readAll.error ?? readOne.error} />
      <section className="card card-flush">
        {list.isPending && <Loading />}
        <ErrorNotice error={list.error} />
        {list.data && items.length === 0 && <Empty>{t('communication.notifications.empty')}</Empty>}
        {items.length > 0 && (
          <table className="table table-dense">
            <thead>
              <tr>
                <th scope="col">{t('communication.notifications.when')}</th>
                <th scope="col">{t('communication.notifications.what')}</th>
                <th scope="col">{t('communication.notifications.case')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {items.map((n) => (
                <tr key={n.id} className={n.readAt ? 'row-muted' : undefined}>
                  <td className="nowrap">{formatInstant(n.createdAt, i18n.language)}</td>
                  <td>{t(`communication.notifications.kind.${n.kind}`, { name: n.actor?.displayName ?? t('leads.system') })}</td>
                  <td>
                    {target(n) === null ? (
                      t('common.none')
                    ) : (
                      <Link to={target(n) ?? ''} data-testid="notification-link">
                        {n.caseNumber ?? t('communication.notifications.openLead')}
                      </Link>
                    )}
                  </td>
                  <td>
                    {!n.readAt && (
                      <button type="button" className="link-button" onClick={() => readOne.mutate(n.id)}>
                        {t('communication.notifications.markRead')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {list.hasNextPage && (
          <button type="button" className="button" onClick={() => void list.fetchNextPage()}>
            {t('communication.notifications.more')}
          </button>
        )}
      </section>
    </div>
  );
}
