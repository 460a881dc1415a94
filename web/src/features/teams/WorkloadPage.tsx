import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { EChart } from '../../components/EChart';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { TEAM_ROLES, type Workload } from './teamsApi';

/** The branch's workload (P3.1): open cases per colleague by team role, and their overdue reviews, to keep assignments balanced. */
export function WorkloadPage() {
  const { t } = useTranslation();
  const workload = useQuery({ queryKey: ['workload'], queryFn: () => get<Workload>('/api/v1/teams/workload') });
  const items = workload.data?.items ?? [];
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: 'category', data: items.map((i) => i.displayName) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        ...TEAM_ROLES.map((r) => ({
          name: t(`roles.${r}`),
          type: 'bar',
          stack: 'cases',
          data: items.map((i) => i.openCasesByRole[r] ?? 0),
        })),
        { name: t('teams.workload.overdueReviews'), type: 'bar', data: items.map((i) => i.overdueReviews) },
      ],
    }),
    [items, t],
  );

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('teams.workload.title')}</h1>
          <p className="page-sub">{t('teams.workload.intro')}</p>
        </div>
      </header>
      {workload.isPending && <Loading />}
      <ErrorNotice error={workload.error} />
      {workload.data && items.length === 0 && <Empty>{t('teams.workload.empty')}</Empty>}
      {items.length > 0 && (
        <>
          <section className="card">
            <EChart option={option} label={t('teams.workload.chart')} height={320} />
          </section>
          <section className="card card-flush">
            <table className="table" data-testid="workload-table">
              <thead>
                <tr>
                  <th>{t('teams.workload.colleague')}</th>
                  <th>{t('teams.workload.openCases')}</th>
                  <th>{t('teams.workload.overdueReviews')}</th>
                  <th>{t('teams.workload.overdueTasks')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr key={i.staffId}>
                    <td>{i.displayName}</td>
                    <td className="num">{i.openCases}</td>
                    <td className="num">{i.overdueReviews}</td>
                    <td className="num">{i.overdueTasks ?? t('common.none')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
}
