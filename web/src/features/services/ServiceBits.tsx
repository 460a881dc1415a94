import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Empty } from '../../components/Feedback';
import { formatInstant } from '../../i18n/format';
import { caseLink } from '../cases/caseLinks';
import { requestLink, type ServiceRequestSummary, type ServiceStatus, type ServiceType, useServiceRequests, useServiceTypes } from './api';
import { slaParts, slaWords } from './sla';

const STATUS_BADGE: Record<ServiceStatus, string> = {
  requested: 'badge-pending',
  in_review: 'badge-pending',
  approved: 'badge-success',
  rejected: 'badge-failure',
  in_progress: 'badge-active',
  completed: 'badge-success',
  cancelled: 'badge-disabled',
};

/** A request's status as a badge in the reader's language. */
export function ServiceStatusBadge({ status }: { status: ServiceStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge ${STATUS_BADGE[status]}`} data-testid="service-status">
      {t(`services.status.${status}`)}
    </span>
  );
}

/** A function naming a catalogue entry in the reader's language (the catalogue's own names, which admins keep). */
export function useServiceTypeName(): (code: string) => string {
  const { i18n } = useTranslation();
  const types = useServiceTypes();
  const english = i18n.language.startsWith('en');
  return (code) => {
    const type = types.data?.find((x) => x.code === code);
    // Until the catalogue has loaded the name is left blank rather than shown as its code.
    if (!type) return '';
    return english ? type.name.en : type.name.zh;
  };
}

/** The name of a document of a checklist in the reader's language. */
export function useDocumentName(): (d: ServiceType['documentsReduced'][number]) => string {
  const { i18n } = useTranslation();
  return (d) => (i18n.language.startsWith('en') ? d.en : d.zh);
}

/** The time left or how late a request is, in business days and hours (P6.2.2). */
export function SlaText({ request }: { request: Pick<ServiceRequestSummary, 'businessHoursLeft' | 'businessDayHours' | 'overdue'> }) {
  const { t } = useTranslation();
  const parts = slaParts(request);
  const words = slaWords(parts);
  const amount = words.parts.map((p) => t(p.key, { count: p.count })).join(t('services.sla.joiner'));
  const text = t(words.key, { time: amount });
  if (parts.state === 'overdue') {
    return (
      <span className="badge badge-overdue" data-testid="service-sla">
        {text}
      </span>
    );
  }
  return (
    <span className={parts.state === 'done' ? 'muted' : 'due'} data-testid="service-sla">
      {text}
    </span>
  );
}

/** A table of service requests: type, case, status, due time and what is left, each row leading to the request. */
export function RequestTable({
  items,
  showCase = true,
  testId = 'service-requests',
  actions,
}: {
  items: readonly ServiceRequestSummary[];
  showCase?: boolean;
  testId?: string;
  actions?: (r: ServiceRequestSummary) => ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const typeName = useServiceTypeName();
  if (items.length === 0) return <Empty>{t('services.list.empty')}</Empty>;
  return (
    <div className="table-scroll">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{t('services.field.type')}</th>
            {showCase && <th scope="col">{t('services.field.case')}</th>}
            <th scope="col">{t('services.field.status')}</th>
            <th scope="col" className="col-wide">
              {t('services.field.dueAt')}
            </th>
            <th scope="col">{t('services.field.sla')}</th>
            <th scope="col" className="col-wide">
              {t('services.field.requestedBy')}
            </th>
            {actions && (
              <th scope="col">
                <span className="visually-hidden">{t('services.field.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id} data-testid="service-request" className={r.overdue ? 'row-overdue' : undefined}>
              <td className="nowrap">
                <Link to={requestLink(r.id)}>{typeName(r.type)}</Link>
              </td>
              {showCase && (
                <td className="nowrap">
                  <Link className="mono" to={caseLink(r.case.id)}>
                    {r.case.caseNumber}
                  </Link>
                  <div className="cell-sub">{r.case.customerName}</div>
                </td>
              )}
              <td>
                <ServiceStatusBadge status={r.status} />
              </td>
              <td className="nowrap col-wide">{formatInstant(r.dueAt, i18n.language)}</td>
              <td>
                <SlaText request={r} />
              </td>
              <td className="col-wide">
                {r.requestedBy?.displayName ?? t('leads.system')}
                <div className="cell-sub">{formatInstant(r.requestedAt, i18n.language)}</div>
              </td>
              {actions && <td>{actions(r)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The overdue service requests of the reader's cases (the branch's, for supervisors) for My work
 * and the home page (P6.2.2, P8.2.2): how many, the first few, and a link to all of them; for
 * supervisors also how many wait for their decision. Nothing shows while none is late or waiting.
 */
export function ServiceAlerts({ approvals = false, rows = 5 }: { approvals?: boolean; rows?: number }) {
  const { t } = useTranslation();
  const overdue = useServiceRequests({ overdue: 'true', limit: 100 });
  const waiting = useServiceRequests({ view: 'approval', limit: 100 }, approvals);
  const late = overdue.data?.items ?? [];
  const pending = waiting.data?.items.length ?? 0;
  if (late.length === 0 && pending === 0) return null;
  const more = (n: number, cursor: string | null | undefined) => (cursor ? t('services.alerts.many', { count: n }) : String(n));
  return (
    <section className="card card-flush" aria-labelledby="service-alerts" data-testid="service-alerts">
      <div className="card-title section-head">
        <h2 id="service-alerts">{t('services.alerts.title')}</h2>
      </div>
      <div className="stats">
        <Link className="stat" to="/services?overdue=true" data-testid="service-alerts-overdue">
          <span className="stat-label">{t('services.alerts.overdue')}</span>
          <span className="stat-value">{more(late.length, overdue.data?.nextCursor)}</span>
        </Link>
        {approvals && (
          <Link className="stat" to="/services/approvals" data-testid="service-alerts-approvals">
            <span className="stat-label">{t('services.alerts.approvals')}</span>
            <span className="stat-value">{more(pending, waiting.data?.nextCursor)}</span>
          </Link>
        )}
      </div>
      {late.length > 0 && <RequestTable items={late.slice(0, rows)} testId="service-alerts-list" />}
    </section>
  );
}
