import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { post } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ColleagueSelect } from '../leads/Colleagues';
import { type Incident, type IncidentInput, incidentLink } from './api';

/** The instant a `datetime-local` value names, in ISO-8601 UTC (the browser's time zone). */
function isoOf(local: string): string {
  const t = Date.parse(local);
  return Number.isNaN(t) ? local : new Date(t).toISOString();
}

/** Now as a `datetime-local` value in the browser's time zone. */
function localNow(): string {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

/** P7.3.1: records an incident of the reader's branch, linked to a service request or a case when opened from one. */
export function IncidentForm({ link }: { link: { requestId?: string; caseId?: string } }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const ids = { what: useId(), found: useId(), cause: useId(), action: useId() };
  const [what, setWhat] = useState('');
  const [foundAt, setFoundAt] = useState(localNow);
  const [cause, setCause] = useState('');
  const [action, setAction] = useState('');
  const [ownerId, setOwnerId] = useState('');
  const save = useMutation({
    mutationFn: (body: IncidentInput) => post<Incident>('/api/v1/incidents', body),
    onSuccess: async (incident) => {
      await queryClient.invalidateQueries({ queryKey: ['incidents'] });
      navigate(incidentLink(incident.id));
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      whatWentWrong: what.trim(),
      foundAt: isoOf(foundAt),
      ownerId,
      ...(cause.trim() ? { rootCause: cause.trim() } : {}),
      ...(action.trim() ? { correctiveAction: action.trim() } : {}),
      ...(link.requestId ? { requestId: link.requestId } : {}),
      ...(link.caseId ? { caseId: link.caseId } : {}),
    });
  };
  return (
    <form className="form" onSubmit={submit} data-testid="incident-form">
      {link.requestId && (
        <p className="field-hint" data-testid="incident-link">
          {t('incidents.form.linkedRequest')} ·{' '}
          <Link to={`/service-requests/${encodeURIComponent(link.requestId)}`}>{t('incidents.openRequest')}</Link>
        </p>
      )}
      {!link.requestId && link.caseId && (
        <p className="field-hint" data-testid="incident-link">
          {t('incidents.form.linkedCase')} · <Link to={`/cases/${encodeURIComponent(link.caseId)}`}>{t('incidents.openCase')}</Link>
        </p>
      )}
      <div className="field">
        <label htmlFor={ids.what}>{t('incidents.field.what')}</label>
        <textarea
          id={ids.what}
          value={what}
          onChange={(e) => setWhat(e.target.value)}
          maxLength={2000}
          rows={3}
          required
          data-testid="incident-what"
        />
      </div>
      <div className="field">
        <label htmlFor={ids.found}>{t('incidents.field.foundAt')}</label>
        <input id={ids.found} type="datetime-local" value={foundAt} onChange={(e) => setFoundAt(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor={ids.cause}>{t('incidents.field.rootCause')}</label>
        <textarea id={ids.cause} value={cause} onChange={(e) => setCause(e.target.value)} maxLength={2000} rows={2} />
      </div>
      <div className="field">
        <label htmlFor={ids.action}>{t('incidents.field.correctiveAction')}</label>
        <textarea id={ids.action} value={action} onChange={(e) => setAction(e.target.value)} maxLength={2000} rows={2} />
      </div>
      <ColleagueSelect label={t('incidents.field.owner')} value={ownerId} onChange={setOwnerId} required testId="incident-owner" />
      <ErrorNotice
        error={save.error}
        labels={{
          'body.whatWentWrong': t('incidents.field.what'),
          'body.foundAt': t('incidents.field.foundAt'),
          'body.ownerId': t('incidents.field.owner'),
          'body.requestId': t('incidents.field.link'),
          'body.caseId': t('incidents.field.link'),
        }}
      />
      <button
        type="submit"
        className="button button-primary"
        disabled={save.isPending || !what.trim() || !ownerId}
        data-testid="incident-submit"
      >
        {t('incidents.form.submit')}
      </button>
    </form>
  );
}
