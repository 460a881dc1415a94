import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import { hasPermission } from '../../app/access';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { formatInstant } from '../../i18n/format';
import { useRefreshCase } from '../cases/caseLinks';
import { ColleagueSelect } from '../leads/Colleagues';
import { CompleteTaskDialog } from './CompleteTaskDialog';
import { InteractionFields } from './InteractionFields';
import { byDueDate } from './taskOrder';
import { emptyInteraction, interactionBody, type Task } from './types';
import { type CompleteResult, type ContactResult, useCaseTasks } from './workApi';

const CONTACT_DUTIES: readonly Task['kind'][] = ['contact', 'follow_up_call'];

function InteractionForm({
  caseId,
  hasContactDuty,
  onDone,
}: {
  caseId: string;
  hasContactDuty: boolean;
  onDone: (result: ContactResult) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(emptyInteraction);
  const record = useMutation({
    mutationFn: () => post<ContactResult>(`/api/v1/cases/${encodeURIComponent(caseId)}/interactions`, interactionBody(draft)),
    onSuccess: async (result) => {
      setDraft(emptyInteraction());
      await onDone(result);
    },
  });
  return (
    <form
      className="form"
      data-testid="interaction-form"
      onSubmit={(e) => {
        e.preventDefault();
        record.mutate();
      }}
    >
      <h3>{t('work.interaction.title')}</h3>
      {hasContactDuty && <p className="field-hint">{t('work.interaction.dutyHint')}</p>}
      <ErrorNotice error={record.error} />
      <InteractionFields value={draft} onChange={setDraft} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={record.isPending}>
          {t('work.interaction.submit')}
        </button>
      </div>
    </form>
  );
}

function TaskForm({ caseId, onDone }: { caseId: string; onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const titleId = useId();
  const dueId = useId();
  const noteId = useId();
  const [assigneeId, setAssigneeId] = useState('');
  const [title, setTitle] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [note, setNote] = useState('');
  const create = useMutation({
    mutationFn: () =>
      post(`/api/v1/cases/${encodeURIComponent(caseId)}/tasks`, {
        assigneeId,
        title: title.trim(),
        dueOn,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: async () => {
      setTitle('');
      setNote('');
      await onDone();
    },
  });
  return (
    <form
      className="form"
      data-testid="task-form"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <h3>{t('work.task.title')}</h3>
      <ErrorNotice error={create.error} />
      <ColleagueSelect label={t('work.task.assignee')} value={assigneeId} onChange={setAssigneeId} required />
      <div className="field">
        <label htmlFor={titleId}>{t('work.task.what')}</label>
        <input id={titleId} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required />
        <span className="field-hint">{t('work.task.whatHint')}</span>
      </div>
      <div className="field">
        <label htmlFor={dueId}>{t('work.field.dueOn')}</label>
        <input id={dueId} type="date" value={dueOn} onChange={(e) => setDueOn(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor={noteId}>{t('work.task.note')}</label>
        <textarea id={noteId} rows={2} maxLength={4000} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={create.isPending || !assigneeId}>
          {t('work.task.submit')}
        </button>
      </div>
    </form>
  );
}

/** Where a task stands: how due an open one is, or when it was finished. */
function TaskStatus({ task }: { task: Task }) {
  const { t, i18n } = useTranslation();
  if (task.status === 'open') {
    const state = task.dueState ?? 'upcoming';
    const tone = state === 'overdue' ? 'badge-overdue' : state === 'due' ? 'badge-pending' : '';
    return <span className={`badge ${tone}`}>{t(`work.dueState.${state}`)}</span>;
  }
  return (
    <span className="nowrap">
      <span className={task.status === 'done' ? 'badge badge-success' : 'badge'}>{t(`work.status.${task.status}`)}</span>
      {task.completedAt && <span className="muted"> {formatInstant(task.completedAt, i18n.language)}</span>}
    </span>
  );
}

/** What a contact recorded on the case did to the recorder's duties, in words. */
function useContactNotice() {
  const { t } = useTranslation();
  return (result: ContactResult, openDuty: Task | undefined): string => {
    const done = result.completedTasks[0];
    if (done) {
      const next = result.nextTasks[0];
      const kind = t(`work.kind.${done.kind}`);
      return next ? t('work.notice.dutyDone', { kind, due: next.dueOn }) : t('work.notice.dutyDoneNoNext', { kind });
    }
    if (result.outcome === 'not_reached' && openDuty) return t('work.notice.attempt', { kind: t(`work.kind.${openDuty.kind}`) });
    return t('work.notice.saved');
  };
}

/**
 * The case's team work (P3.2): every task by due date with where it stands and, for its assignee,
 * the button to complete it; the forms to record a contact and to hand a colleague a task.
 */
export function CaseWorkPanel({ caseId, active }: { caseId: string; active: boolean }) {
  const { t } = useTranslation();
  const { user } = useSignedIn();
  const refreshCase = useRefreshCase(caseId);
  const contactNotice = useContactNotice();
  const [form, setForm] = useState<'interaction' | 'task' | null>(null);
  const [showAll, setShowAll] = useState(false);
  const [completing, setCompleting] = useState<Task | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const tasks = useCaseTasks(caseId);
  const mayWork = active && hasPermission(user.roles, 'work.do');
  const all = byDueDate(tasks.data?.items ?? []);
  const open = all.filter((task) => task.status === 'open');
  const shown = showAll ? all : open;
  const myContactDuty = open.find((task) => task.assignee.id === user.id && CONTACT_DUTIES.includes(task.kind));
  const refresh = async (message: string) => {
    setForm(null);
    setNotice(message);
    await refreshCase();
  };
  const completed = async (result: CompleteResult) => {
    setCompleting(null);
    const kind = t(`work.kind.${result.task.kind}`);
    if (result.task.status === 'open') await refresh(t('work.notice.attempt', { kind }));
    else if (result.next) await refresh(t('work.notice.dutyDone', { kind, due: result.next.dueOn }));
    else await refresh(t('work.notice.dutyDoneNoNext', { kind }));
  };

  return (
    <section className="card card-flush" data-testid="case-section-work" aria-labelledby="case-work">
      <div className="card-title section-head">
        <h2 id="case-work">
          {t('work.case.title')} <span className="count">{t('common.count', { count: open.length })}</span>
        </h2>
        <div className="work-tools">
          <fieldset className="status-tabs status-tabs-compact">
            <legend className="visually-hidden">{t('work.filterLabel')}</legend>
            {[false, true].map((value) => (
              <button
                key={String(value)}
                type="button"
                className={showAll === value ? 'status-tab active' : 'status-tab'}
                aria-pressed={showAll === value}
                onClick={() => setShowAll(value)}
                data-testid={value ? 'case-tasks-all' : 'case-tasks-open'}
              >
                {value ? t('work.case.filterAll') : t('work.case.filterOpen')}
                <span className="status-count">{value ? all.length : open.length}</span>
              </button>
            ))}
          </fieldset>
          {mayWork && (
            <>
              <button
                type="button"
                className="button button-small"
                aria-expanded={form === 'interaction'}
                onClick={() => setForm(form === 'interaction' ? null : 'interaction')}
                data-testid="open-interaction-form"
              >
                {t('work.interaction.title')}
              </button>
              <button
                type="button"
                className="button button-small"
                aria-expanded={form === 'task'}
                onClick={() => setForm(form === 'task' ? null : 'task')}
                data-testid="open-task-form"
              >
                {t('work.task.title')}
              </button>
            </>
          )}
        </div>
      </div>
      {notice && (
        <p className="notice notice-success" role="status" data-testid="case-work-notice">
          {notice}
        </p>
      )}
      {form !== null && (
        <div className="card-pad">
          {form === 'interaction' && (
            <InteractionForm
              caseId={caseId}
              hasContactDuty={myContactDuty !== undefined}
              onDone={(result) => refresh(contactNotice(result, myContactDuty))}
            />
          )}
          {form === 'task' && <TaskForm caseId={caseId} onDone={() => refresh(t('work.notice.taskCreated'))} />}
        </div>
      )}
      <ErrorNotice error={tasks.error} />
      {tasks.isPending ? (
        <Loading />
      ) : shown.length === 0 ? (
        <Empty>{t('work.case.noTasks')}</Empty>
      ) : (
        <div className="table-scroll">
          <table className="table table-dense" data-testid="case-tasks">
            <thead>
              <tr>
                <th scope="col">{t('work.field.dueOn')}</th>
                <th scope="col">{t('work.field.kind')}</th>
                <th scope="col">{t('work.field.assignee')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('work.field.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((task) => (
                <tr key={task.id} data-testid="case-task" className={task.dueState === 'overdue' ? 'row-overdue' : undefined}>
                  <td className="nowrap mono">{task.dueOn}</td>
                  <td>
                    {t(`work.kind.${task.kind}`)}
                    {task.title ? ` · ${task.title}` : ''}
                    {task.department ? ` · ${t(`work.department.${task.department}`)}` : ''}
                  </td>
                  <td>{task.assignee.displayName ?? t('common.none')}</td>
                  <td>
                    <TaskStatus task={task} />
                  </td>
                  <td>
                    <div className="task-actions">
                      {mayWork && task.status === 'open' && task.assignee.id === user.id && (
                        <button
                          type="button"
                          className="button button-small"
                          onClick={() => setCompleting(task)}
                          data-testid="task-complete"
                        >
                          {t('work.complete.open')}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {completing && <CompleteTaskDialog task={completing} onClose={() => setCompleting(null)} onDone={completed} />}
    </section>
  );
}
