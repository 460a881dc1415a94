import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { get, query } from '../../api/client';
import type { Page } from '../../api/types';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { caseLink } from '../cases/caseLinks';
import { ServiceAlerts } from '../services/ServiceBits';
import { CompleteTaskDialog } from './CompleteTaskDialog';
import { openingFilter, tasksOfFilter, WORK_FILTERS, type WorkFilter } from './taskOrder';
import type { Task } from './types';
import type { CompleteResult } from './workApi';

// Open tasks come by due date, so the overdue and due ones are always among the first page.
const PAGE = 500;

/** "My work" (P3.2): the reader's open tasks across their cases, opening on what is to be done now. */
export function MyWorkPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<WorkFilter | null>(null);
  const [completing, setCompleting] = useState<Task | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const tasks = useQuery({
    queryKey: ['work', 'mine', 'open'],
    queryFn: () => get<Page<Task>>(`/api/v1/work/tasks${query({ status: 'open', limit: PAGE })}`),
  });
  const open = tasks.data?.items ?? [];
  // Until the reader picks a tab, it follows the work: overdue first, else due, else all open.
  const filter = chosen ?? openingFilter(open);
  const items = tasksOfFilter(open, filter);

  const completed = async (result: CompleteResult) => {
    setCompleting(null);
    // The list stays on its tab while the completed task leaves it, rather than jumping elsewhere.
    setChosen(filter);
    const what = { kind: t(`work.kind.${result.task.kind}`), customer: result.task.case.customerName };
    if (result.task.status === 'open') setNotice(t('work.notice.attemptOn', what));
    else if (result.next) setNotice(t('work.notice.doneOn', { ...what, due: result.next.dueOn }));
    else setNotice(t('work.notice.doneOnNoNext', what));
    await queryClient.invalidateQueries({ queryKey: ['work'] });
  };

  return (
    <div className="page" data-testid="my-work">
      <header className="page-header">
        <div>
          <h1>{t('work.title')}</h1>
          <p className="page-sub">{t('work.lead')}</p>
        </div>
      </header>
      <fieldset className="status-tabs">
        <legend className="visually-hidden">{t('work.filterLabel')}</legend>
        {WORK_FILTERS.map((f) => (
          <button
            key={f}
            type="button"
            className={f === filter ? 'status-tab active' : 'status-tab'}
            aria-pressed={f === filter}
            onClick={() => setChosen(f)}
            data-testid={`work-filter-${f}`}
          >
            {t(`work.filter.${f}`)}
            {tasks.data && <span className="status-count">{tasksOfFilter(open, f).length}</span>}
          </button>
        ))}
      </fieldset>
      {notice && (
        <p className="notice notice-success" role="status" data-testid="work-notice">
          {notice}
        </p>
      )}
      <ServiceAlerts />
      <ErrorNotice error={tasks.error} />
      {tasks.isPending ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty>{t('work.empty')}</Empty>
      ) : (
        <section className="card card-flush">
          <div className="table-scroll">
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
                  <tr key={task.id} data-testid="work-task" className={task.dueState === 'overdue' ? 'row-overdue' : undefined}>
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
                      <Link to={caseLink(task.case.id, 'team')}>{task.case.caseNumber}</Link>
                    </td>
                    <td>{task.case.customerName}</td>
                    <td>
                      <button
                        type="button"
                        className="button button-small"
                        onClick={() => {
                          setNotice(null);
                          setCompleting(task);
                        }}
                        data-testid="work-complete"
                      >
                        {t('work.complete.open')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {tasks.data?.nextCursor && <p className="table-foot muted">{t('work.tooMany', { count: PAGE })}</p>}
        </section>
      )}
      {completing && <CompleteTaskDialog task={completing} onClose={() => setCompleting(null)} onDone={completed} />}
    </div>
  );
}
