import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { hasPermission } from '../../app/access';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Feedback';
import { SERVICE_STATUSES, type RequestFilter, useServiceRequests, useServiceTypes } from './api';
import { RequestTable } from './ServiceBits';

// Requests come by due time, so the late and the nearly late are always on the first page.
const PAGE = 200;

/** The service requests of the reader's cases or branch (P4, P6.2.2), by due time, with filters kept in the address. */
export function ServiceRequestsPage() {
  const { t, i18n } = useTranslation();
  const { user } = useSignedIn();
  const [search, setSearch] = useSearchParams();
  const ids = { status: useId(), type: useId(), overdue: useId() };
  const types = useServiceTypes();
  const status = search.get('status') ?? '';
  const type = search.get('type') ?? '';
  const overdue = search.get('overdue') === 'true';
  const filter: RequestFilter = {
    limit: PAGE,
    ...(status ? { status } : {}),
    ...(type ? { type } : {}),
    ...(overdue ? { overdue: 'true' } : {}),
  };
  const list = useServiceRequests(filter);
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearch(next, { replace: true });
  };
  const english = i18n.language.startsWith('en');

  return (
    <div className="page" data-testid="service-requests-page">
      <header className="page-header">
        <div>
          <h1>{t('services.list.title')}</h1>
          <p className="page-sub">{t('services.list.intro')}</p>
        </div>
        {hasPermission(user.roles, 'service.decide') && (
          <Link className="button" to="/services/approvals">
            {t('services.approvals.title')}
          </Link>
        )}
      </header>

      <search className="card" aria-label={t('services.list.filters')}>
        <form className="filter-grid" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor={ids.status}>{t('services.field.status')}</label>
            <select id={ids.status} value={status} onChange={(e) => set('status', e.target.value)} data-testid="services-filter-status">
              <option value="">{t('services.list.any')}</option>
              {SERVICE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`services.status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.type}>{t('services.field.type')}</label>
            <select id={ids.type} value={type} onChange={(e) => set('type', e.target.value)} data-testid="services-filter-type">
              <option value="">{t('services.list.any')}</option>
              {(types.data ?? []).map((x) => (
                <option key={x.code} value={x.code}>
                  {english ? x.name.en : x.name.zh}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.overdue}>{t('services.field.sla')}</label>
            <select
              id={ids.overdue}
              value={overdue ? 'true' : ''}
              onChange={(e) => set('overdue', e.target.value)}
              data-testid="services-filter-overdue"
            >
              <option value="">{t('services.list.any')}</option>
              <option value="true">{t('services.list.overdueOnly')}</option>
            </select>
          </div>
        </form>
      </search>

      <ErrorNotice error={list.error ?? types.error} />
      {list.isPending ? (
        <Loading />
      ) : (
        <section className="card card-flush">
          <h2 className="card-title">
            {t('services.list.results')}
            {list.data && <span className="count">{t('common.count', { count: list.data.items.length })}</span>}
          </h2>
          <RequestTable items={list.data?.items ?? []} />
          {list.data?.nextCursor && <p className="table-foot muted">{t('services.list.tooMany', { count: PAGE })}</p>}
        </section>
      )}
    </div>
  );
}
