import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Pager, useCursorPages } from '../../components/Pager';
import { Link, useNavigate } from 'react-router-dom';
import { get, query } from '../../api/client';
import { type CaseList, SEVERITIES } from '../../api/types';
import { hasPermission } from '../../app/access';
import { useBranchName } from '../../app/branches';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { ColleagueSelect } from '../leads/Colleagues';
import { CaseStatusBadge, SeverityBadge, UpdateStateBadge } from './CaseBits';

const PAGE_SIZE = 50;

interface Filters {
  status: string;
  severity: string;
  due: string;
  maintainer: string;
  q: string;
}

const INITIAL: Filters = { status: 'active', severity: '', due: '', maintainer: '', q: '' };

/** The case files the reader may see, with the filters a supervisor works through each morning. */
export function CaseListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { user } = useSignedIn();
  const branchName = useBranchName();
  const statusId = useId();
  const severityId = useId();
  const dueId = useId();
  const qId = useId();
  const [form, setForm] = useState<Filters>(INITIAL);
  const [filters, setFilters] = useState<Filters>(INITIAL);
  const pages = useCursorPages();
  const cursor = pages.cursor;

  const list = useQuery({
    queryKey: ['cases', 'list', filters, cursor],
    queryFn: () =>
      get<CaseList>(
        `/api/v1/cases${query({
          status: filters.status === 'all' ? undefined : filters.status,
          severity: filters.severity,
          due: filters.due,
          maintainer: filters.maintainer,
          q: filters.q.trim(),
          limit: PAGE_SIZE,
          cursor,
        })}`,
      ),
    placeholderData: keepPreviousData,
  });

  const apply = (next: Filters) => {
    setForm(next);
    setFilters(next);
    pages.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply(form);
  };
  const nextCursor = list.data?.nextCursor;

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('cases.list.title')}</h1>
          <p className="page-sub">{t('cases.list.intro')}</p>
        </div>
      </header>

      <search className="card" aria-label={t('cases.list.filters')}>
        <form className="filter-grid" onSubmit={submit}>
          <div className="field">
            <label htmlFor={statusId}>{t('common.status')}</label>
            <select
              id={statusId}
              value={form.status}
              onChange={(e) => apply({ ...form, status: e.target.value })}
              data-testid="cases-filter-status"
            >
              {['active', 'closed', 'all'].map((s) => (
                <option key={s} value={s}>
                  {t(`cases.filter.status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={severityId}>{t('cases.field.severity')}</label>
            <select id={severityId} value={form.severity} onChange={(e) => apply({ ...form, severity: e.target.value })}>
              <option value="">{t('cases.filter.any')}</option>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {t(`cases.severity.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={dueId}>{t('cases.field.updateState')}</label>
            <select id={dueId} value={form.due} onChange={(e) => apply({ ...form, due: e.target.value })} data-testid="cases-filter-due">
              <option value="">{t('cases.filter.any')}</option>
              <option value="due">{t('cases.updateState.due')}</option>
              <option value="overdue">{t('cases.updateState.overdue')}</option>
            </select>
          </div>
          {/* The colleagues to filter by are the reader's branch directory, which case workers have. */}
          {hasPermission(user.roles, 'staff.directory') && (
            <ColleagueSelect
              label={t('cases.field.maintainer')}
              value={form.maintainer}
              onChange={(maintainer) => apply({ ...form, maintainer })}
              emptyLabel={t('cases.filter.any')}
              meLabel={t('cases.filter.me')}
            />
          )}
          <div className="field filter-search">
            <label htmlFor={qId}>{t('cases.list.search')}</label>
            <div className="toolbar-form">
              <input
                id={qId}
                type="search"
                value={form.q}
                onChange={(e) => setForm({ ...form, q: e.target.value })}
                placeholder={t('cases.list.searchPlaceholder')}
                maxLength={100}
                data-testid="cases-search"
              />
              <button type="submit" className="button">
                {t('common.search')}
              </button>
            </div>
          </div>
        </form>
      </search>

      <section className="card card-flush" aria-labelledby="cases-results">
        <h2 id="cases-results" className="card-title">
          {t('cases.list.results')}
          {list.data && <span className="count">{t('common.count', { count: list.data.items.length })}</span>}
        </h2>
        {list.isPending && <Loading />}
        <ErrorNotice error={list.error} />
        {list.data && list.data.items.length === 0 && <Empty>{t('cases.list.none')}</Empty>}
        {list.data && list.data.items.length > 0 && (
          <div className="table-wrap">
            <table className="table table-hover">
              <thead>
                <tr>
                  <th scope="col">{t('cases.field.caseNumber')}</th>
                  <th scope="col">{t('customers.field.name')}</th>
                  <th scope="col">{t('cases.field.severity')}</th>
                  <th scope="col">{t('cases.field.nextUpdateDue')}</th>
                  <th scope="col">{t('cases.field.updateState')}</th>
                  <th scope="col">{t('cases.field.maintainer')}</th>
                  <th scope="col">{t('customers.field.branch')}</th>
                  <th scope="col">{t('common.status')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((c) => {
                  const to = `/cases/${encodeURIComponent(c.id)}`;
                  return (
                    <tr
                      key={c.id}
                      data-testid="case-row"
                      className={c.updateState === 'overdue' ? 'row-overdue' : undefined}
                      onClick={() => navigate(to)}
                    >
                      <td className="mono">
                        <Link to={to} onClick={(e) => e.stopPropagation()}>
                          {c.caseNumber}
                        </Link>
                      </td>
                      <td>
                        {c.customer.name} <span className="mono muted">{c.customer.customerNumber}</span>
                      </td>
                      <td>
                        <SeverityBadge severity={c.severity} />
                      </td>
                      <td className="mono">{c.nextUpdateDue}</td>
                      <td>
                        <UpdateStateBadge state={c.updateState} />
                      </td>
                      <td>{c.maintainer?.displayName ?? t('common.none')}</td>
                      <td>{branchName(c.branch.code)}</td>
                      <td>
                        <CaseStatusBadge status={c.status} />
                        {c.consentWithdrawn && <span className="badge badge-overdue">{t('cases.consentWithdrawn')}</span>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <Pager pages={pages} nextCursor={nextCursor} busy={list.isFetching} />
      </section>
    </div>
  );
}
