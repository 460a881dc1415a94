import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { get, query } from '../../api/client';
import { hasPermission } from '../../app/access';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { Pager, useCursorPages } from '../../components/Pager';
import { formatInstant } from '../../i18n/format';
import { INCIDENT_STATUSES, type IncidentPage, type IncidentStatus, incidentLink } from './api';
import { IncidentForm } from './IncidentForm';

/** The badge of an incident's status. */
export function IncidentStatusBadge({ status }: { status: IncidentStatus }) {
  const { t } = useTranslation();
  const tone = status === 'open' ? 'badge-overdue' : status === 'in_progress' ? 'badge-active' : 'badge-success';
  return (
    <span className={`badge ${tone}`} data-testid="incident-status">
      {t(`incidents.status.${status}`)}
    </span>
  );
}

/** P7.3.1: the operational-incident log of the reader's branch (inspectors: every branch), and the form to record one. */
export function IncidentsPage() {
  const { t, i18n } = useTranslation();
  const { user } = useSignedIn();
  const [params] = useSearchParams();
  const requestId = params.get('requestId') ?? undefined;
  const caseId = params.get('caseId') ?? undefined;
  const record = hasPermission(user.roles, 'incident.record');
  const [status, setStatus] = useState<IncidentStatus | ''>('');
  const [formOpen, setFormOpen] = useState(requestId !== undefined || caseId !== undefined);
  const pages = useCursorPages();
  const list = useQuery({
    queryKey: ['incidents', 'list', status, pages.cursor],
    queryFn: () => get<IncidentPage>(`/api/v1/incidents${query({ status: status || undefined, cursor: pages.cursor })}`),
  });
  const items = list.data?.items ?? [];
  return (
    <div className="page" data-testid="incidents-page">
      <header className="page-header">
        <div>
          <h1>{t('incidents.title')}</h1>
          <p className="page-sub">{t('incidents.intro')}</p>
        </div>
        {record && !formOpen && (
          <div className="title-actions">
            <button type="button" className="button button-primary" onClick={() => setFormOpen(true)} data-testid="incident-new">
              {t('incidents.new')}
            </button>
          </div>
        )}
      </header>
      {record && formOpen && (
        <section className="card">
          <h2 className="card-title">{t('incidents.new')}</h2>
          <IncidentForm link={{ requestId, caseId }} />
        </section>
      )}
      <section className="card card-flush">
        <div className="toolbar toolbar-split">
          <h2 className="toolbar-title">{t('incidents.log')}</h2>
          <label>
            {t('incidents.field.status')}{' '}
            <select
              value={status}
              onChange={(e) => {
                setStatus(INCIDENT_STATUSES.find((s) => s === e.target.value) ?? '');
                pages.reset();
              }}
            >
              <option value="">{t('incidents.allStatuses')}</option>
              {INCIDENT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`incidents.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {list.isPending && <Loading />}
        <ErrorNotice error={list.error} />
        {list.data && items.length === 0 && <Empty>{t('incidents.none')}</Empty>}
        {items.length > 0 && (
          <div className="table-scroll">
            <table className="table" data-testid="incidents">
              <thead>
                <tr>
                  <th scope="col">{t('incidents.field.foundAt')}</th>
                  <th scope="col">{t('incidents.field.status')}</th>
                  <th scope="col">{t('incidents.field.owner')}</th>
                  <th scope="col">{t('incidents.field.link')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('incidents.open')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr key={i.id} data-testid="incident-row">
                    <td className="nowrap">{formatInstant(i.foundAt, i18n.language)}</td>
                    <td>
                      <IncidentStatusBadge status={i.status} />
                    </td>
                    <td>{i.owner.name}</td>
                    <td>{i.requestId ? t('incidents.linkRequest') : i.caseId ? t('incidents.linkCase') : t('common.none')}</td>
                    <td>
                      <Link to={incidentLink(i.id)}>{t('incidents.open')}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager pages={pages} nextCursor={list.data?.nextCursor} busy={list.isFetching} />
      </section>
    </div>
  );
}
