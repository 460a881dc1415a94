import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COLLECTION_CHANNELS, type CollectionChannel } from '../../../../src/domain/collection';
import { get, request } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { formatDay } from '../../i18n/format';

interface Treatment {
  gentle: boolean;
  maxContactsPerWeek: number;
  quietHours: { from: string; to: string };
  channels: CollectionChannel[];
  pausedUntil?: string;
  set: boolean;
  version: number;
  contactsInPastWeek: number;
}

/**
 * A case's collection treatment (P7.1.2): how the bank's collection system may contact the
 * customer. Its team reads it; risk officers and supervisors (`canEdit`) set it and record a contact,
 * which the server refuses when it would break the treatment.
 */
export function CollectionCard({ caseId, canEdit }: { caseId: string; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const channelId = useId();
  const key = ['credit', 'collection', caseId];
  const url = `/api/v1/cases/${encodeURIComponent(caseId)}/collection-treatment`;
  const current = useQuery({ queryKey: key, queryFn: () => get<Treatment>(url) });
  const [draft, setDraft] = useState<Treatment | null>(null);
  const [contactChannel, setContactChannel] = useState<CollectionChannel>('sms');
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const save = useMutation({
    mutationFn: (d: Treatment) =>
      request<Treatment>('PUT', url, {
        body: {
          gentle: d.gentle,
          maxContactsPerWeek: d.maxContactsPerWeek,
          quietHours: d.quietHours,
          channels: d.channels,
          pausedUntil: d.pausedUntil ?? null,
        },
        headers: { 'if-match': `"${d.version}"` },
      }),
    onSuccess: async () => {
      setDraft(null);
      await refresh();
    },
  });
  const contact = useMutation({
    mutationFn: () =>
      request('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/collection-contacts`, { body: { channel: contactChannel } }),
    onSuccess: refresh,
  });
  const shown = draft ?? current.data;
  const channelName = (c: CollectionChannel) => t(`credit.collection.channel.${c}`);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft) save.mutate(draft);
  };

  return (
    <section className="card" aria-labelledby="case-collection" data-testid="case-collection">
      <h2 id="case-collection">{t('credit.collection.title')}</h2>
      <p className="muted">{t('credit.collection.intro')}</p>
      <ErrorNotice error={current.error ?? save.error} labels={{ maxContactsPerWeek: t('credit.collection.maxContactsPerWeek') }} />
      {current.isPending || !shown ? (
        current.isPending && <Loading />
      ) : draft ? (
        <form className="form form-grid" onSubmit={submit} data-testid="collection-form">
          <label className="checkbox">
            <input type="checkbox" checked={draft.gentle} onChange={(e) => setDraft({ ...draft, gentle: e.target.checked })} />
            {t('credit.collection.gentle')}
          </label>
          <Field
            label={t('credit.collection.maxContactsPerWeek')}
            type="number"
            min={0}
            max={14}
            value={draft.maxContactsPerWeek}
            onChange={(e) => setDraft({ ...draft, maxContactsPerWeek: Number(e.target.value) })}
          />
          <Field
            label={t('credit.collection.quietFrom')}
            type="time"
            value={draft.quietHours.from}
            onChange={(e) => setDraft({ ...draft, quietHours: { ...draft.quietHours, from: e.target.value } })}
          />
          <Field
            label={t('credit.collection.quietTo')}
            type="time"
            value={draft.quietHours.to}
            onChange={(e) => setDraft({ ...draft, quietHours: { ...draft.quietHours, to: e.target.value } })}
          />
          <Field
            label={t('credit.collection.pausedUntil')}
            hint={t('credit.collection.pausedHint')}
            type="date"
            value={draft.pausedUntil ?? ''}
            onChange={(e) => {
              const { pausedUntil: _, ...rest } = draft;
              setDraft(e.target.value ? { ...rest, pausedUntil: e.target.value } : rest);
            }}
          />
          <fieldset className="field">
            <legend>{t('credit.collection.channels')}</legend>
            <div className="checkbox-grid">
              {COLLECTION_CHANNELS.map((c) => (
                <label key={c} className="checkbox">
                  <input
                    type="checkbox"
                    checked={draft.channels.includes(c)}
                    onChange={() =>
                      setDraft({
                        ...draft,
                        channels: draft.channels.includes(c) ? draft.channels.filter((x) => x !== c) : [...draft.channels, c],
                      })
                    }
                  />
                  {channelName(c)}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="form-actions">
            <button type="button" className="button button-ghost" onClick={() => setDraft(null)}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="button button-primary" disabled={save.isPending} data-testid="collection-save">
              {t('credit.collection.save')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <dl className="facts" data-testid="collection-treatment">
            <div>
              <dt>{t('credit.collection.mode')}</dt>
              <dd>
                {shown.gentle ? t('credit.collection.gentle') : t('credit.collection.standard')}
                {!shown.set && <span className="muted"> · {t('credit.collection.default')}</span>}
              </dd>
            </div>
            <div>
              <dt>{t('credit.collection.maxContactsPerWeek')}</dt>
              <dd>{t('credit.collection.perWeek', { count: shown.maxContactsPerWeek, used: shown.contactsInPastWeek })}</dd>
            </div>
            <div>
              <dt>{t('credit.collection.quietHours')}</dt>
              <dd>{t('credit.collection.quietSpan', { from: shown.quietHours.from, to: shown.quietHours.to })}</dd>
            </div>
            <div>
              <dt>{t('credit.collection.channels')}</dt>
              <dd>
                {shown.channels.length === 0 ? t('common.none') : shown.channels.map(channelName).join(t('services.types.listJoiner'))}
              </dd>
            </div>
            <div>
              <dt>{t('credit.collection.pausedUntil')}</dt>
              <dd>{shown.pausedUntil ? formatDay(shown.pausedUntil, i18n.language) : t('common.none')}</dd>
            </div>
          </dl>
          {canEdit && (
            <div className="form-actions">
              <label htmlFor={channelId} className="visually-hidden">
                {t('credit.collection.contactChannel')}
              </label>
              <select
                id={channelId}
                value={contactChannel}
                onChange={(e) => setContactChannel(COLLECTION_CHANNELS.find((c) => c === e.target.value) ?? 'sms')}
              >
                {COLLECTION_CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {channelName(c)}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="button"
                onClick={() => contact.mutate()}
                disabled={contact.isPending}
                data-testid="collection-contact"
              >
                {t('credit.collection.recordContact')}
              </button>
              <button type="button" className="button button-primary" onClick={() => setDraft(shown)} data-testid="collection-edit">
                {t('credit.collection.edit')}
              </button>
            </div>
          )}
          <ErrorNotice error={contact.error} />
          {contact.isSuccess && <p className="notice notice-info">{t('credit.collection.contactRecorded')}</p>}
          {canEdit && <ReminderForm caseId={caseId} onSent={refresh} />}
        </>
      )}
    </section>
  );
}

interface ReminderTemplateItem {
  template: string;
  dated: boolean;
  text: string;
}

/**
 * A repayment reminder by SMS from one of the reviewed templates (P7.1.2): the text is shown as the
 * customer will read it (in Chinese, whatever the page's language); the server checks the treatment
 * and queues the SMS.
 */
function ReminderForm({ caseId, onSent }: { caseId: string; onSent: () => Promise<void> }) {
  const { t } = useTranslation();
  const templateId = useId();
  const dueId = useId();
  const templates = useQuery({
    queryKey: ['credit', 'reminder-templates'],
    queryFn: () => get<{ items: ReminderTemplateItem[] }>('/api/v1/credit/reminder-templates'),
  });
  const [template, setTemplate] = useState('');
  const [dueDate, setDueDate] = useState('');
  const chosen = templates.data?.items.find((i) => i.template === template) ?? templates.data?.items[0];
  const send = useMutation({
    mutationFn: (item: ReminderTemplateItem) =>
      request<{ smsQueued: boolean }>('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/collection-reminders`, {
        body: { template: item.template, ...(item.dated && dueDate ? { dueDate } : {}) },
      }),
    onSuccess: onSent,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (chosen) send.mutate(chosen);
  };
  if (!chosen) return <ErrorNotice error={templates.error} />;
  return (
    <form className="form" onSubmit={submit} data-testid="reminder-form">
      <h3>{t('credit.reminders.title')}</h3>
      <label htmlFor={templateId}>{t('credit.reminders.template')}</label>
      <select id={templateId} value={chosen.template} onChange={(e) => setTemplate(e.target.value)}>
        {templates.data?.items.map((i) => (
          <option key={i.template} value={i.template}>
            {t(`credit.reminders.templates.${i.template}`)}
          </option>
        ))}
      </select>
      {chosen.dated && (
        <>
          <label htmlFor={dueId}>{t('credit.reminders.dueDate')}</label>
          <input id={dueId} type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
        </>
      )}
      <p className="muted">{t('credit.reminders.preview')}</p>
      <blockquote lang="zh-CN" data-testid="reminder-preview">
        {chosen.text}
      </blockquote>
      <ErrorNotice error={send.error} labels={{ dueDate: t('credit.reminders.dueDate') }} />
      {send.data && (
        <p className="notice notice-info" data-testid="reminder-result">
          {t(send.data.data.smsQueued ? 'credit.reminders.queued' : 'credit.reminders.noGateway')}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={send.isPending} data-testid="reminder-send">
          {t('credit.reminders.send')}
        </button>
      </div>
    </form>
  );
}
