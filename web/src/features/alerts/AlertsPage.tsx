import { useQuery } from '@tanstack/react-query';
import type { EChartsCoreOption } from 'echarts/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { EChart } from '../../components/EChart';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { Pager, useCursorPages } from '../../components/Pager';
import { formatCount, formatInstant, formatMinor } from '../../i18n/format';
import { useRuleName } from '../analysis/ruleText';
import { AlertStatusBadge, Elapsed, Fact } from './AlertBits';
import { ALERT_STATUSES, type AlertStatus, alertMetrics, listAlerts } from './api';

const METRICS_DAYS = 30;

/** P7.2.1: the fund-safety alert inbox: open alerts first and the oldest first, with the time since raised and overdue marks. */
export function AlertsPage() {
  const { t, i18n } = useTranslation();
  const ruleName = useRuleName();
  const [status, setStatus] = useState<AlertStatus | ''>('');
  const pages = useCursorPages();
  const list = useQuery({
    queryKey: ['alerts', 'list', status, pages.cursor],
    queryFn: () => listAlerts({ status: status || undefined, cursor: pages.cursor }),
  });
  const now = Date.now();
  const items = list.data?.items ?? [];

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('alerts.title')}</h1>
          <p className="page-sub">{t('alerts.intro')}</p>
        </div>
      </header>
      <AlertMetricsCard />
      <section className="card card-flush" aria-labelledby="alerts-list">
        <div className="toolbar toolbar-split">
          <h2 id="alerts-list" className="toolbar-title">
            {t('alerts.inbox')}
          </h2>
          <label>
            {t('alerts.filter.status')}{' '}
            <select
              value={status}
              data-testid="alerts-status-filter"
              onChange={(e) => {
                setStatus(ALERT_STATUSES.find((s) => s === e.target.value) ?? '');
                pages.reset();
              }}
            >
              <option value="">{t('alerts.filter.all')}</option>
              {ALERT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`alerts.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {list.isPending && <Loading />}
        <ErrorNotice error={list.error} />
        {list.data && items.length === 0 && <Empty>{t('alerts.none')}</Empty>}
        {items.length > 0 && (
          <table className="table table-dense" data-testid="alerts-table">
            <thead>
              <tr>
                <th scope="col">{t('alerts.field.raisedAt')}</th>
                <th scope="col">{t('alerts.field.customer')}</th>
                <th scope="col">{t('alerts.field.case')}</th>
                <th scope="col" className="num">
                  {t('alerts.field.amount')}
                </th>
                <th scope="col">{t('alerts.field.rules')}</th>
                <th scope="col" className="num">
                  {t('alerts.field.score')}
                </th>
                <th scope="col">{t('alerts.field.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} className={a.overdue ? 'row-overdue' : a.status === 'resolved' ? 'row-muted' : undefined}>
                  <td className="nowrap">
                    <Link to={`/alerts/${encodeURIComponent(a.id)}`} data-testid="alert-link">
                      {formatInstant(a.raisedAt, i18n.language)}
                    </Link>
                    <span className="cell-sub">
                      <Elapsed since={a.raisedAt} now={now} />
                    </span>
                  </td>
                  <td>
                    {a.customer.name}
                    <span className="cell-sub">{a.customer.customerNumber}</span>
                  </td>
                  <td>
                    <Link to={`/cases/${encodeURIComponent(a.case.id)}`}>{a.case.caseNumber}</Link>
                  </td>
                  <td className="num">{formatMinor(a.transaction.amountMinor, a.transaction.currency, i18n.language)}</td>
                  <td>{a.ruleIds.map(ruleName).join(t('alerts.listSeparator'))}</td>
                  <td className="num">{a.score}</td>
                  <td className="nowrap">
                    <AlertStatusBadge status={a.status} overdue={a.overdue} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager pages={pages} nextCursor={list.data?.nextCursor} busy={list.isFetching} />
      </section>
    </div>
  );
}

/** The last 30 days' KPIs: alerts by status, and the median and p90 minutes to contact and to resolve. */
function AlertMetricsCard() {
  const { t, i18n } = useTranslation();
  // Rounded to the hour so the query key stays stable between renders.
  const [range] = useState(() => {
    const to = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
    return { from: new Date(to.getTime() - METRICS_DAYS * 86_400_000).toISOString(), to: to.toISOString() };
  });
  const metrics = useQuery({ queryKey: ['alerts', 'metrics', range], queryFn: () => alertMetrics(range.from, range.to) });
  const m = metrics.data;
  const option = useMemo<EChartsCoreOption | null>(
    () =>
      m
        ? {
            tooltip: { trigger: 'axis' },
            grid: { left: 40, right: 16, top: 16, bottom: 28 },
            xAxis: { type: 'category', data: ALERT_STATUSES.map((s) => t(`alerts.status.${s}`)) },
            yAxis: { type: 'value', minInterval: 1 },
            series: [{ type: 'bar', data: ALERT_STATUSES.map((s) => m.byStatus[s] ?? 0), barMaxWidth: 48 }],
          }
        : null,
    [m, t],
  );
  const minutes = (v: number | null | undefined) => (v === null || v === undefined ? t('common.none') : t('alerts.minutes', { count: v }));
  return (
    <section className="card" aria-labelledby="alerts-metrics" data-testid="alerts-metrics">
      <h2 id="alerts-metrics" className="card-title">
        {t('alerts.metrics.title', { days: METRICS_DAYS })}
      </h2>
      {metrics.isPending && <Loading />}
      <ErrorNotice error={metrics.error} />
      {m && option && (
        <div className="grid-2">
          <EChart option={option} label={t('alerts.metrics.chartLabel')} height={200} />
          <dl className="facts compact">
            <Fact label={t('alerts.metrics.total')}>{formatCount(m.total, i18n.language)}</Fact>
            <Fact label={t('alerts.metrics.overdue', { hours: m.contactTargetHours })}>{formatCount(m.overdue, i18n.language)}</Fact>
            <Fact label={t('alerts.metrics.toContact')}>
              {t('alerts.metrics.medianP90', { median: minutes(m.minutesToContact.median), p90: minutes(m.minutesToContact.p90) })}
            </Fact>
            <Fact label={t('alerts.metrics.toResolve')}>
              {t('alerts.metrics.medianP90', { median: minutes(m.minutesToResolve.median), p90: minutes(m.minutesToResolve.p90) })}
            </Fact>
            <Fact label={t('alerts.metrics.resolutions')}>
              {(['legitimate', 'fraud', 'escalated'] as const)
                .map((r) => `${t(`alerts.resolution.${r}`)} ${formatCount(m.byResolution[r] ?? 0, i18n.language)}`)
                .join(t('alerts.listSeparator'))}
            </Fact>
          </dl>
        </div>
      )}
    </section>
  );
}
