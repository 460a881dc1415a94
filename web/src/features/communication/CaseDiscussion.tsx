import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import type { Page } from '../../api/types';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { formatInstant } from '../../i18n/format';
import { type CaseMessage, type Colleague, findColleagues, type Meeting, mentionAt } from './api';

/** P9.1: the case's discussion thread and its team meetings, for those who see its confidential sections. */
export function CaseDiscussion({ caseId }: { caseId: string }) {
  return (
    <>
      <CaseThread caseId={caseId} />
      <CaseMeetings caseId={caseId} />
    </>
  );
}

function CaseThread({ caseId }: { caseId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const inputId = useId();
  const [draft, setDraft] = useState('');
  const messages = useQuery({
    queryKey: ['cases', caseId, 'messages'],
    queryFn: () => get<Page<CaseMessage>>(`/api/v1/cases/${caseId}/messages?limit=500`),
  });
  const typing = mentionAt(draft);
  const suggestions = useQuery({
    queryKey: ['colleagues', typing],
    queryFn: () => findColleagues(typing ?? ''),
    enabled: typing !== null && typing.length >= 1,
  });
  const send = useMutation({
    mutationFn: (body: string) => post<CaseMessage>(`/api/v1/cases/${caseId}/messages`, { body }),
    onSuccess: () => {
      setDraft('');
      void queryClient.invalidateQueries({ queryKey: ['cases', caseId, 'messages'] });
    },
  });
  const pick = (c: Colleague) => setDraft((d) => d.replace(/@([A-Za-z0-9._-]*)$/, `@${c.username} `));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft.trim() !== '') send.mutate(draft);
  };
  const items = messages.data?.items ?? [];

  return (
    <section className="card" aria-labelledby="case-thread" data-testid="case-thread">
      <h2 id="case-thread" className="card-title">
        {t('communication.thread.title')}
        <span className="count">{t('common.count', { count: items.length })}</span>
      </h2>
      {messages.isPending && <Loading />}
      <ErrorNotice error={messages.error} />
      {messages.data && items.length === 0 && <Empty>{t('communication.thread.empty')}</Empty>}
      {items.length > 0 && (
        <ul className="consent-list">
          {items.map((m) => (
            <li key={m.id} className="entry">
              <div className="entry-head">
                <strong>{m.author.displayName}</strong> <span className="muted">{formatInstant(m.createdAt, i18n.language)}</span>
              </div>
              <p className="prose">{m.body}</p>
            </li>
          ))}
        </ul>
      )}
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={inputId}>{t('communication.thread.message')}</label>
          <textarea
            id={inputId}
            rows={3}
            maxLength={4000}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder={t('communication.thread.placeholder')}
            data-testid="thread-input"
          />
        </div>
        {typing !== null && (suggestions.data?.length ?? 0) > 0 && (
          <ul className="chips" aria-label={t('communication.thread.suggestions')}>
            {suggestions.data?.map((c) => (
              <li key={c.id}>
                <button type="button" className="chip" onClick={() => pick(c)}>
                  {c.displayName} @{c.username}
                </button>
              </li>
            ))}
          </ul>
        )}
        <ErrorNotice error={send.error} />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={send.isPending || draft.trim() === ''}
            data-testid="thread-send"
          >
            {t('communication.thread.send')}
          </button>
        </div>
      </form>
    </section>
  );
}

function CaseMeetings({ caseId }: { caseId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const minutesId = useId();
  const [open, setOpen] = useState(false);
  const [heldAt, setHeldAt] = useState('');
  const [minutes, setMinutes] = useState('');
  const [attendees, setAttendees] = useState<string[]>([]);
  const [items, setItems] = useState<{ assigneeId: string; title: string; dueOn: string }[]>([]);
  const meetings = useQuery({
    queryKey: ['cases', caseId, 'meetings'],
    queryFn: () => get<{ items: Meeting[] }>(`/api/v1/cases/${caseId}/meetings`),
  });
  const colleagues = useQuery({ queryKey: ['colleagues', 'all'], queryFn: () => findColleagues(''), enabled: open });
  const names = new Map((colleagues.data ?? []).map((c) => [c.id, c.displayName]));
  const save = useMutation({
    mutationFn: () =>
      post<Meeting>(`/api/v1/cases/${caseId}/meetings`, {
        heldAt: new Date(heldAt).toISOString(),
        attendees,
        minutes,
        actionItems: items.filter((i) => i.title.trim() !== '' && i.assigneeId !== ''),
      }),
    onSuccess: () => {
      setOpen(false);
      setMinutes('');
      setAttendees([]);
      setItems([]);
      void queryClient.invalidateQueries({ queryKey: ['cases', caseId, 'meetings'] });
    },
  });
  const list = meetings.data?.items ?? [];
  const toggle = (id: string) => setAttendees((a) => (a.includes(id) ? a.filter((x) => x !== id) : [...a, id]));
  const setItem = (i: number, patch: Partial<{ assigneeId: string; title: string; dueOn: string }>) =>
    setItems((all) => all.map((it, j) => (j === i ? { ...it, ...patch } : it)));

  return (
    <section className="card" aria-labelledby="case-meetings" data-testid="case-meetings">
      <div className="title-row">
        <h2 id="case-meetings" className="card-title">
          {t('communication.meetings.title')}
          <span className="count">{t('common.count', { count: list.length })}</span>
        </h2>
        <button type="button" className="button button-small" onClick={() => setOpen((o) => !o)} data-testid="meeting-new">
          {t('communication.meetings.record')}
        </button>
      </div>
      {meetings.isPending && <Loading />}
      <ErrorNotice error={meetings.error} />
      {open && (
        <form
          className="form form-section"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <Field
            label={t('communication.meetings.heldAt')}
            type="datetime-local"
            required
            value={heldAt}
            onChange={(e) => setHeldAt(e.target.value)}
          />
          <fieldset className="field">
            <legend>{t('communication.meetings.attendees')}</legend>
            <div className="checkbox-grid">
              {(colleagues.data ?? []).map((c) => (
                <label key={c.id} className="checkbox">
                  <input type="checkbox" checked={attendees.includes(c.id)} onChange={() => toggle(c.id)} />
                  {c.displayName}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="field">
            <label htmlFor={minutesId}>{t('communication.meetings.minutes')}</label>
            <textarea id={minutesId} rows={5} required maxLength={20000} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
          </div>
          <fieldset className="field">
            <legend>{t('communication.meetings.actionItems')}</legend>
            {items.map((it, i) => (
              // Action items have no id until saved; their position is their identity in the form.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <div key={i} className="filter-grid">
                <Field
                  label={t('communication.meetings.itemTitle')}
                  value={it.title}
                  maxLength={200}
                  onChange={(e) => setItem(i, { title: e.target.value })}
                />
                <div className="field">
                  <label>
                    {t('communication.meetings.assignee')}
                    <select value={it.assigneeId} onChange={(e) => setItem(i, { assigneeId: e.target.value })}>
                      <option value="">{t('common.none')}</option>
                      {(colleagues.data ?? []).map((c) => (
                        <option key={c.id} value={c.id}>
                          {c.displayName}
                        </option>
                      ))}
                    </select>
                  </label>
                </div>
                <Field
                  label={t('communication.meetings.dueOn')}
                  type="date"
                  value={it.dueOn}
                  onChange={(e) => setItem(i, { dueOn: e.target.value })}
                />
              </div>
            ))}
            <button
              type="button"
              className="link-button"
              onClick={() => setItems((all) => [...all, { assigneeId: '', title: '', dueOn: '' }])}
            >
              {t('communication.meetings.addItem')}
            </button>
          </fieldset>
          <ErrorNotice error={save.error} />
          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={save.isPending || attendees.length === 0}
              data-testid="meeting-save"
            >
              {t('common.save')}
            </button>
          </div>
        </form>
      )}
      {meetings.data && list.length === 0 && <Empty>{t('communication.meetings.empty')}</Empty>}
      {list.map((m) => (
        <article key={m.id} className="entry">
          <div className="entry-head">
            <strong>{formatInstant(m.heldAt, i18n.language)}</strong>{' '}
            <span className="muted">{t('communication.meetings.attendeeCount', { count: m.attendees.length })}</span>
          </div>
          <p className="prose">{m.minutes}</p>
          {m.actionItems.length > 0 && (
            <ul>
              {m.actionItems.map((a) => (
                <li key={a.id}>
                  {a.title} · {names.get(a.assigneeId) ?? a.assigneeId} · {a.dueOn} · {t(`communication.meetings.status.${a.status}`)}
                </li>
              ))}
            </ul>
          )}
        </article>
      ))}
    </section>
  );
}
