import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { get, query } from '../../api/client';
import type { Page } from '../../api/types';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { CompleteTaskDialog } from './CompleteTaskDialog';
import type { Task } from './types';

const FILTERS = ['overdue', 'due', 'all'] as const;
type Filter = (typeof FILTERS)[number];

/** "My work" (P3.2): the reader's due and overdue tasks across their cases. */
export function MyWorkPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<Filter>('overdue');
  const [completing, setCompleting] = useState<Task | null>(null);
  const tasks = useQuery({
    queryKey: ['work', 'mine', filter],
    queryFn: () =>
      get<Page<Task>>(`/api/v1/work/tasks${query({ status: 'open', due: filter === 'all' ? undefined : filter, limit: 200 })}`),
  });
  const items = tasks.data?.items ?? [];
  return (
    <div className="page" data-testid="my-work">
      <header className="page-header">
        <div>
          <h1>{t('work.title')}</h1>
          <p className="page-sub">{t('work.lead')}</p>
        </div>
      </header>
      <div className="toolbar">
        {FILTERS.map((f) => (
          <button
            key={f}
            type="button"
            className={f === filter ? 'button button-primary' : 'button button-ghost'}
            aria-pressed={f === filter}
            onClick={() => setFilter(f)}
            data-testid={`work-filter-${f}`}
          >
            {t(`work.filter.${f}`)}
          </button>
        ))}
      </div>
      <ErrorNotice error={tasks.error} />
      {tasks.isPending ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty>{t('work.empty')}</Empty>
      ) : (
        <section className="card card-flush">
          <table className="table" data-testid="work-tasks">
            <thead>
              <tr>
                <th scope="col">{t('work.field.dueOn')}</th>
                <th scope="col">{t('work.field.kind')}</th>
                <th scope="col">{t('work.field.case')}</th>
                <th scope="col">{t('work.field.customer')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('work.field.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((task) => (
                <tr key={task.id} data-testid="work-task">
                  <td className="nowrap">
                    {task.dueOn}{' '}
                    {task.dueState ? (
                      <span className={`badge badge-${task.dueState === 'overdue' ? 'overdue' : 'pending'}`}>
                        {t(`work.dueState.${task.dueState}`)}
                      </span>
                    ) : null}
                  </td>
                  <td>
                    {t(`work.kind.${task.kind}`)}
                    {task.title ? ` · ${task.title}` : ''}
                    {task.department ? ` · ${t(`work.department.${task.department}`)}` : ''}
                  </td>
                  <td className="mono">
                    <Link to={`/cases/${encodeURIComponent(task.case.id)}`}>{task.case.caseNumber}</Link>
                  </td>
                  <td>{task.case.customerName}</td>
                  <td>
                    <button type="button" className="button button-small" onClick={() => setCompleting(task)} data-testid="work-complete">
                      {t('work.complete.open')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {completing && <CompleteTaskDialog task={completing} onClose={() => setCompleting(null)} />}
    </div>
  );
}
