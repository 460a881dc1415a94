import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { AwayView } from '../../../../src/features/staff/away.schemas.js';
import { get, request } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { formatDay } from '../../i18n/format';

type Away = z.output<typeof AwayView>;
const URL = '/api/v1/staff/me/away';

/** The reader's own away dates (hotline call-backs go to a present colleague meanwhile): set, replace or clear them. */
export function AwayPanel() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const away = useQuery({ queryKey: ['away', 'me'], queryFn: () => get<Away>(URL) });
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [note, setNote] = useState('');
  const done = (v: Away) => queryClient.setQueryData(['away', 'me'], v);
  const save = useMutation({
    mutationFn: async () =>
      (await request<Away>('PUT', URL, { body: { from, until, ...(note.trim() === '' ? {} : { note: note.trim() }) } })).data,
    onSuccess: done,
  });
  const clear = useMutation({ mutationFn: async () => (await request<Away>('DELETE', URL)).data, onSuccess: done });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const current = away.data?.away;
  const labels = { 'body.from': t('away.from'), 'body.until': t('away.until'), 'body.note': t('away.note') };
  return (
    <section className="card" aria-labelledby="away-title" data-testid="away-panel">
      <h2 id="away-title">{t('away.title')}</h2>
      <p className="muted">{t('away.intro')}</p>
      <ErrorNotice error={away.error} />
      {away.data && (
        <p>
          {current
            ? `${t('away.current', { from: formatDay(current.from, i18n.language), until: formatDay(current.until, i18n.language) })}${current.awayToday ? ` · ${t('away.awayToday')}` : ''}${current.note ? ` · ${current.note}` : ''}`
            : t('away.none')}
        </p>
      )}
      <form className="form" onSubmit={onSubmit}>
        <div className="grid-2 tight">
          <Field label={t('away.from')} type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
          <Field label={t('away.until')} type="date" value={until} onChange={(e) => setUntil(e.target.value)} required />
        </div>
        <Field label={t('away.note')} hint={t('away.noteHint')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={200} />
        <div className="form-actions">
          {current && (
            <button type="button" className="button" disabled={clear.isPending} onClick={() => clear.mutate()} data-testid="away-clear">
              {t('away.clear')}
            </button>
          )}
          <button type="submit" className="button button-primary" disabled={save.isPending} data-testid="away-save">
            {t('away.save')}
          </button>
        </div>
      </form>
      <ErrorNotice error={save.error ?? clear.error} labels={labels} />
    </section>
  );
}
