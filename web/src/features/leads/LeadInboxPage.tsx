import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { get, query } from '../../api/client';
import { LEAD_STATUSES, type LeadStatus, type LeadSummary, type Page } from '../../api/types';
import { hasPermission } from '../../app/access';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { formatInstant } from '../../i18n/format';
import { actorName, DueCell, LeadStatusBadge, MatchBadge, OPEN_LEAD_STATUSES } from './LeadBits';

type StatusFilter = LeadStatus | 'open' | 'all';
const FILTERS: readonly StatusFilter[] = ['open', ...LEAD_STATUSES, 'all'];
// A branch's inbox is small; one page of the maximum size gives the counts per status too.
const INBOX_LIMIT = 500;

function matches(filter: StatusFilter, lead: LeadSummary): boolean {
  if (filter === 'all') return true;
  if (filter === 'open') return OPEN_LEAD_STATUSES.includes(lead.status);
  return lead.status === filter;
}

/** Overdue first, then the nearest deadline, then the oldest: what needs doing comes first. */
function byUrgency(a: LeadSummary, b: LeadSummary): number {
  const openA = OPEN_LEAD_STATUSES.includes(a.status);
  const openB = OPEN_LEAD_STATUSES.includes(b.status);
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  if (openA !== openB) return openA ? -1 : 1;
  const dueA = a.dueAt ?? '\uffff';
  const dueB = b.dueAt ?? '\uffff';
  if (dueA !== dueB) return dueA < dueB ? -1 : 1;
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0;
}

/** P2.3.2: the supervisor's inbox of the branch's leads, by status, overdue ones first and marked. */
export function LeadInboxPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { user } = useSignedIn();
  const [filter, setFilter] = useState<StatusFilter>('open');
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [text, setText] = useState('');

  const list = useQuery({
    queryKey: ['leads', 'inbox'],
    queryFn: () => get<Page<LeadSummary>>(`/api/v1/leads${query({ limit: INBOX_LIMIT })}`),
    staleTime: 10_000,
  });

  const counts = useMemo(() => {
    const out = new Map<StatusFilter, number>();
    for (const f of FILTERS) out.set(f, list.data?.items.filter((l) => matches(f, l)).length ?? 0);
    return out;
  }, [list.data]);
  const overdueCount = list.data?.items.filter((l) => l.overdue).length ?? 0;

  const rows = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return (list.data?.items ?? [])
      .filter((l) => matches(filter, l))
      .filter((l) => !overdueOnly || l.overdue)
      .filter(
        (l) =>
          !needle ||
          [l.subjectName, l.customer?.name, l.customer?.customerNumber, l.reportedCustomerNumber].some((v) =>
            v?.toLowerCase().includes(needle),
          ),
      )
      .sort(byUrgency);
  }, [list.data, filter, overdueOnly, text]);

  const isSupervisor = hasPermission(user.roles, 'lead.verify');

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{isSupervisor ? t('leads.inbox.title') : t('leads.inbox.titleMine')}</h1>
          <p className="page-sub">{isSupervisor ? t('leads.inbox.intro') : t('leads.inbox.introMine')}</p>
        </div>
        <Link to="/leads/new" className="button button-primary" data-testid="inbox-new-lead">
          {t('leads.form.title')}
        </Link>
      </header>

      <fieldset className="status-tabs">
        <legend className="visually-hidden">{t('leads.inbox.byStatus')}</legend>
        {FILTERS.map((f) => (
          <button
            key={f}
            type="button"
            className={filter === f ? 'status-tab active' : 'status-tab'}
            aria-pressed={filter === f}
            onClick={() => setFilter(f)}
            data-testid={`inbox-filter-${f}`}
          >
            <span>{t(`leads.filter.${f}`)}</span>
            <span className="status-count" data-testid={`inbox-count-${f}`}>
              {counts.get(f) ?? 0}
            </span>
          </button>
        ))}
      </fieldset>

      <section className="card card-flush" aria-labelledby="inbox-list">
        <div className="toolbar toolbar-split">
          <h2 id="inbox-list" className="toolbar-title">
            {t(`leads.filter.${filter}`)}
            <span className="count">{t('common.count', { count: rows.length })}</span>
          </h2>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={overdueOnly}
              onChange={(e) => setOverdueOnly(e.target.checked)}
              data-testid="inbox-overdue-only"
            />
            <span>{t('leads.inbox.overdueOnly', { count: overdueCount })}</span>
          </label>
          <label htmlFor="inbox-q" className="visually-hidden">
            {t('leads.inbox.searchLabel')}
          </label>
          <input
            id="inbox-q"
            type="search"
            className="toolbar-search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('leads.inbox.searchPlaceholder')}
            maxLength={64}
          />
        </div>
        {list.isPending && <Loading />}
        <ErrorNotice error={list.error} />
        {list.data && rows.length === 0 && <Empty>{t('leads.inbox.none')}</Empty>}
        {rows.length > 0 && (
          <div className="table-wrap">
            <table className="table table-hover">
              <thead>
                <tr>
                  <th scope="col">{t('leads.field.dueAt')}</th>
                  <th scope="col">{t('common.status')}</th>
                  <th scope="col">{t('leads.field.subject')}</th>
                  <th scope="col">{t('leads.field.match')}</th>
                  <th scope="col">{t('leads.field.channel')}</th>
                  <th scope="col">{t('leads.field.reportedBy')}</th>
                  <th scope="col">{t('leads.field.assignedTo')}</th>
                  <th scope="col">{t('leads.field.createdAt')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((l) => {
                  const to = `/leads/${encodeURIComponent(l.id)}`;
                  return (
                    <tr key={l.id} className={l.overdue ? 'row-overdue' : undefined} data-testid="lead-row" onClick={() => navigate(to)}>
                      <td>
                        <DueCell dueAt={l.dueAt} overdue={l.overdue} open={OPEN_LEAD_STATUSES.includes(l.status)} />
                      </td>
                      <td>
                        <LeadStatusBadge status={l.status} />
                      </td>
                      <td>
                        <Link to={to} onClick={(e) => e.stopPropagation()}>
                          {l.customer?.name ?? l.subjectName ?? t('leads.unnamed')}
                        </Link>
                        {(l.customer?.customerNumber ?? l.reportedCustomerNumber) && (
                          <span className="mono muted cell-sub">{l.customer?.customerNumber ?? l.reportedCustomerNumber}</span>
                        )}
                      </td>
                      <td>
                        <MatchBadge match={l.match} />
                      </td>
                      <td className="nowrap">
                        {t(`leads.channel.${l.channel}`)}
                        {l.partner && <span className="muted cell-sub">{l.partner.name}</span>}
                      </td>
                      <td>{actorName(l.reportedBy, t('leads.system'))}</td>
                      <td>{l.assignedTo ? l.assignedTo.displayName : <span className="muted">{t('common.none')}</span>}</td>
                      <td className="nowrap">{formatInstant(l.createdAt, i18n.language)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {list.data?.nextCursor && <p className="field-hint table-foot">{t('leads.inbox.truncated', { count: INBOX_LIMIT })}</p>}
      </section>
    </div>
  );
}
