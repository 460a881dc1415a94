import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import type { Page } from '../../api/types';
import { hasPermission } from '../../app/access';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { formatInstant } from '../../i18n/format';
import { useFieldLabel } from '../cases/CaseBits';
import { ColleagueSelect } from '../leads/Colleagues';
import { InteractionFields } from './InteractionFields';
import { emptyInteraction, interactionBody, type Task, type TimelineItem } from './types';

/** A timeline item's details in words: changed fields, the outcome, or the task it is about. */
function useTimelineSummary(tasks: readonly Task[]) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const byId = new Map(tasks.map((task) => [task.id, task]));
  return (item: TimelineItem) => {
    if (item.ref.type === 'case') return item.summary.split(', ').filter(Boolean).map(fieldLabel).join('、');
    if (item.ref.type === 'interaction') return t(`work.outcome.${item.summary}`, { defaultValue: item.summary });
    const task = byId.get(item.ref.id);
    if (!task) return item.summary;
    return [
      t(`work.kind.${task.kind}`),
      task.title,
      task.department ? t(`work.department.${task.department}`) : null,
      task.assignee.displayName,
      item.kind === 'task.created' ? task.dueOn : null,
    ]
      .filter((part) => part)
      .join(' · ');
  };
}

/** A timeline kind in words: `case.registered`, `interaction.call`, `task.completed`. */
function useTimelineKind() {
  const { t } = useTranslation();
  return (kind: string) => {
    const [group = '', rest = ''] = kind.split('.');
    if (group === 'case') return t(`cases.action.${rest}`, { defaultValue: rest });
    if (group === 'interaction') return t(`work.interactionKind.${rest}`, { defaultValue: rest });
    return t(`work.timeline.${rest}`, { defaultValue: kind });
  };
}

function InteractionForm({ caseId, onDone }: { caseId: string; onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(emptyInteraction);
  const record = useMutation({
    mutationFn: () => post(`/api/v1/cases/${encodeURIComponent(caseId)}/interactions`, interactionBody(draft)),
    onSuccess: async () => {
      setDraft(emptyInteraction());
      await onDone();
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

/** The case's work on its page: open tasks, the contact and task forms, and the timeline of everything. */
export function CaseWorkPanel({ caseId, active, reason }: { caseId: string; active: boolean; reason?: string | null }) {
  const { t, i18n } = useTranslation();
  const { user } = useSignedIn();
  const queryClient = useQueryClient();
  const timelineKind = useTimelineKind();
  const [form, setForm] = useState<'interaction' | 'task' | null>(null);
  const base = `/api/v1/cases/${encodeURIComponent(caseId)}`;
  const tasks = useQuery({ queryKey: ['work', 'case', caseId, 'tasks'], queryFn: () => get<Page<Task>>(`${base}/tasks`) });
  const timeline = useQuery({
    queryKey: ['work', 'case', caseId, 'timeline', reason ?? null],
    queryFn: () =>
      get<Page<TimelineItem> & { sensitiveVisible: boolean }>(
        `${base}/timeline?limit=500${reason ? `&reason=${encodeURIComponent(reason)}` : ''}`,
      ),
  });
  const refresh = async () => {
    setForm(null);
    await queryClient.invalidateQueries({ queryKey: ['work'] });
  };
  const mayWork = active && hasPermission(user.roles, 'work.do');
  const summary = useTimelineSummary(tasks.data?.items ?? []);
  const open = (tasks.data?.items ?? []).filter((task) => task.status === 'open');
  return (
    <>
      <section className="card" data-testid="case-section-work">
        <div className="section-head">
          <h2>{t('work.case.title')}</h2>
          {mayWork && (
            <div className="toolbar">
              <button
                type="button"
                className="button button-ghost"
                onClick={() => setForm(form === 'interaction' ? null : 'interaction')}
                data-testid="open-interaction-form"
              >
                {t('work.interaction.title')}
              </button>
              <button
                type="button"
                className="button button-ghost"
                onClick={() => setForm(form === 'task' ? null : 'task')}
                data-testid="open-task-form"
              >
                {t('work.task.title')}
              </button>
            </div>
          )}
        </div>
        {form === 'interaction' && <InteractionForm caseId={caseId} onDone={refresh} />}
        {form === 'task' && <TaskForm caseId={caseId} onDone={refresh} />}
        <ErrorNotice error={tasks.error} />
        {tasks.isPending ? (
          <Loading />
        ) : open.length === 0 ? (
          <Empty>{t('work.case.noTasks')}</Empty>
        ) : (
          <ul className="plain-list" data-testid="case-tasks">
            {open.map((task) => (
              <li key={task.id}>
                <span className="nowrap">{task.dueOn}</span> · {t(`work.kind.${task.kind}`)}
                {task.title ? ` · ${task.title}` : ''} · {task.assignee.displayName ?? task.assignee.id}
                {task.dueState === 'overdue' ? <span className="badge badge-overdue"> {t('work.dueState.overdue')}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card card-flush" data-testid="case-section-timeline">
        <h2 className="card-title">{t('work.timeline.title')}</h2>
        <ErrorNotice error={timeline.error} />
        {timeline.isPending ? (
          <Loading />
        ) : (timeline.data?.items ?? []).length === 0 ? (
          <Empty>{t('work.timeline.empty')}</Empty>
        ) : (
          <table className="table table-dense">
            <thead>
              <tr>
                <th scope="col">{t('audit.field.occurredAt')}</th>
                <th scope="col">{t('audit.field.actor')}</th>
                <th scope="col">{t('work.timeline.what')}</th>
                <th scope="col">{t('work.timeline.summary')}</th>
              </tr>
            </thead>
            <tbody>
              {(timeline.data?.items ?? []).map((item) => (
                <tr key={`${item.ref.type}-${item.ref.id}-${item.kind}-${item.at}`}>
                  <td className="nowrap">{formatInstant(item.at, i18n.language)}</td>
                  <td>{item.actor?.displayName ?? t('leads.system')}</td>
                  <td>{timelineKind(item.kind)}</td>
                  <td className="history-detail">
                    {summary(item)}
                    {item.text ? <div className="timeline-text">{item.text}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
