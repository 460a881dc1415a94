import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get, post, query } from '../../api/client';
import type { AuditEvent, AuditVerifyResult, Page } from '../../api/types';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { formatCount, formatInstant } from '../../i18n/format';

const PAGE_SIZE = 50;

function detailText(detail: unknown): string {
  if (detail === null || detail === undefined) return '';
  if (typeof detail === 'string') return detail;
  const json = JSON.stringify(detail);
  return json === '{}' ? '' : json;
}

/** The audit trail: who did what, when, to which record, from where; and a check of the hash chain. */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;

  const events = useInfiniteQuery({
    queryKey: ['audit', 'events'],
    queryFn: ({ pageParam }) => get<Page<AuditEvent>>(`/api/v1/audit/events${query({ limit: PAGE_SIZE, cursor: pageParam })}`),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const queryClient = useQueryClient();
  const verify = useMutation({
    mutationFn: () => post<AuditVerifyResult>('/api/v1/audit/verify'),
    // The list then shows the same events the check has just covered.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['audit', 'events'] }),
  });
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('audit.title')}</h1>
          <p className="page-sub">{t('audit.intro')}</p>
        </div>
        <button type="button" className="button" onClick={() => verify.mutate()} disabled={verify.isPending} data-testid="audit-verify">
          {verify.isPending ? t('audit.verifying') : t('audit.verify')}
        </button>
      </header>

      <ErrorNotice error={verify.error} />
      {verify.data && (
        <div className={verify.data.ok ? 'notice notice-success' : 'notice notice-error'} role="status" data-testid="audit-verify-result">
          {verify.data.ok
            ? t('audit.chainOk', { count: verify.data.checked, checked: formatCount(verify.data.checked, locale) })
            : t('audit.chainBroken', {
                checked: formatCount(verify.data.checked, locale),
                id: verify.data.firstBrokenId ?? t('common.none'),
              })}
        </div>
      )}

      <section className="card card-flush">
        {events.isPending && <Loading />}
        <ErrorNotice error={events.error} />
        {events.data && items.length === 0 && <Empty>{t('audit.none')}</Empty>}
        {items.length > 0 && (
          <div className="table-wrap">
            <table className="table table-dense">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('audit.field.seq')}
                  </th>
                  <th scope="col">{t('audit.field.occurredAt')}</th>
                  <th scope="col">{t('audit.field.actor')}</th>
                  <th scope="col">{t('audit.field.action')}</th>
                  <th scope="col">{t('audit.field.target')}</th>
                  <th scope="col">{t('audit.field.outcome')}</th>
                  <th scope="col">{t('audit.field.ip')}</th>
                  <th scope="col">{t('audit.field.detail')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <tr key={e.id} data-testid="audit-row">
                    <td className="num mono">{e.seq}</td>
                    <td className="nowrap">{formatInstant(e.occurredAt, locale)}</td>
                    {/* The trail's own record — user names, event codes, targets, details — is machine data, shown as code in every language. */}
                    <td>{e.actorUsername ? <code>{e.actorUsername}</code> : t('audit.system')}</td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td className="truncate" title={e.targetId ?? undefined}>
                      {e.targetType ? <code>{`${e.targetType}:${e.targetId ?? ''}`}</code> : t('common.none')}
                    </td>
                    <td>
                      <span className={`badge badge-${e.outcome}`}>{t(`audit.outcome.${e.outcome}`, { defaultValue: e.outcome })}</span>
                    </td>
                    <td className="mono">{e.ip ?? t('common.none')}</td>
                    <td className="truncate" title={detailText(e.detail)}>
                      <code>{detailText(e.detail)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {events.hasNextPage && (
          <div className="pager">
            <button
              type="button"
              className="button button-small"
              onClick={() => void events.fetchNextPage()}
              disabled={events.isFetchingNextPage}
            >
              {events.isFetchingNextPage ? t('common.loading') : t('common.loadMore')}
            </button>
          </div>
        )}
      </section>
    </div>
  );
}
