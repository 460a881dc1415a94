import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { request } from '../../api/client';
import { hasPermission } from '../../app/access';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Feedback';
import { formatInstant } from '../../i18n/format';
import { ColleagueSelect } from '../leads/Colleagues';
import { INCIDENT_STATUSES, type Incident, type IncidentChange, type IncidentStatus } from './api';
import { IncidentStatusBadge } from './IncidentsPage';

/** The follow-up of an incident: root cause, corrective action, owner and status, sent with the version read (If-Match). */
function FollowUp({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const ids = { cause: useId(), action: useId(), status: useId() };
  const [cause, setCause] = useState(incident.rootCause ?? '');
  const [action, setAction] = useState(incident.correctiveAction ?? '');
  const [status, setStatus] = useState<IncidentStatus>(incident.status);
  const [ownerId, setOwnerId] = useState(incident.owner.id);
  const save = useMutation({
    mutationFn: (body: IncidentChange) =>
      request<Incident>('PATCH', `/api/v1/incidents/${encodeURIComponent(incident.id)}`, {
        body,
        headers: { 'if-match': `"${incident.version}"` },
      }),
    onSuccess: (res) => {
      queryClient.setQueryData(['incidents', incident.id], res.data);
      return queryClient.invalidateQueries({ queryKey: ['incidents', 'list'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: IncidentChange = {};
    if (cause.trim() && cause.trim() !== incident.rootCause) body.rootCause = cause.trim();
    if (action.trim() && action.trim() !== incident.correctiveAction) body.correctiveAction = action.trim();
    if (status !== incident.status) body.status = status;
    if (ownerId && ownerId !== incident.owner.id) body.ownerId = ownerId;
    if (Object.keys(body).length > 0) save.mutate(body);
  };
  return (
    <form className="form" onSubmit={submit} data-testid="incident-follow-up">
      <div className="field">
        <label htmlFor={ids.cause}>{t('incidents.field.rootCause')}</label>
        <textarea id={ids.cause} value={cause} onChange={(e) => setCause(e.target.value)} maxLength={2000} rows={2} />
      </div>
      <div className="field">
        <label htmlFor={ids.action}>{t('incidents.field.correctiveAction')}</label>
        <textarea id={ids.action} value={action} onChange={(e) => setAction(e.target.value)} maxLength={2000} rows={2} />
      </div>
      <div className="field">
        <label htmlFor={ids.status}>{t('incidents.field.status')}</label>
        <select
          id={ids.status}
          value={status}
          onChange={(e) => setStatus(INCIDENT_STATUSES.find((s) => s === e.target.value) ?? incident.status)}
          data-testid="incident-status-select"
        >
          {INCIDENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`incidents.status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <ColleagueSelect label={t('incidents.field.owner')} value={ownerId} onChange={setOwnerId} required />
      <ErrorNotice
        error={save.error}
        labels={{
          'body.rootCause': t('incidents.field.rootCause'),
          'body.correctiveAction': t('incidents.field.correctiveAction'),
          'body.ownerId': t('incidents.field.owner'),
        }}
      />
      <button type="submit" className="button button-primary" disabled={save.isPending} data-testid="incident-save">
        {t('common.save')}
      </button>
    </form>
  );
}

/** P7.3.1: one incident: what went wrong, when it was found, why, what is done about it, by whom, and its status. */
export function IncidentPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { id = '' } = useParams();
  const { user } = useSignedIn();
  const incident = useQuery({
    queryKey: ['incidents', id],
    queryFn: () => request<Incident>('GET', `/api/v1/incidents/${encodeURIComponent(id)}`).then((r) => r.data),
  });
  const i = incident.data;
  if (incident.isPending) return <Loading />;
  if (!i)
    return (
      <div className="page">
        <ErrorNotice error={incident.error} />
        <Link to="/incidents">{t('incidents.back')}</Link>
      </div>
    );
  const canFollow = hasPermission(user.roles, 'incident.record') && user.branchId === i.branchId && i.status !== 'closed';
  return (
    <div className="page" data-testid="incident-page">
      <header className="page-header">
        <div>
          <h1>{t('incidents.detailTitle')}</h1>
          <p className="page-sub">
            <Link to="/incidents">{t('incidents.back')}</Link>
          </p>
        </div>
        <IncidentStatusBadge status={i.status} />
      </header>
      <section className="card">
        <dl className="facts">
          <dt>{t('incidents.field.what')}</dt>
          {/* What staff wrote is shown as written, in its own language: never machine-translated. */}
          <dd data-testid="incident-what-text" translate="no">
            {i.whatWentWrong}
          </dd>
          <dt>{t('incidents.field.foundAt')}</dt>
          <dd>{formatInstant(i.foundAt, locale)}</dd>
          <dt>{t('incidents.field.rootCause')}</dt>
          <dd translate={i.rootCause ? 'no' : undefined}>{i.rootCause ?? t('common.none')}</dd>
          <dt>{t('incidents.field.correctiveAction')}</dt>
          <dd translate={i.correctiveAction ? 'no' : undefined}>{i.correctiveAction ?? t('common.none')}</dd>
          <dt>{t('incidents.field.owner')}</dt>
          <dd>{i.owner.name}</dd>
          <dt>{t('incidents.field.link')}</dt>
          <dd>
            {i.requestId ? (
              <Link to={`/service-requests/${encodeURIComponent(i.requestId)}`}>{t('incidents.openRequest')}</Link>
            ) : i.caseId ? (
              <Link to={`/cases/${encodeURIComponent(i.caseId)}`}>{t('incidents.openCase')}</Link>
            ) : (
              t('common.none')
            )}
          </dd>
          <dt>{t('incidents.field.recorded')}</dt>
          <dd>
            {i.createdBy.name} · {formatInstant(i.createdAt, locale)}
          </dd>
          <dt>{t('incidents.field.updated')}</dt>
          <dd>
            {i.updatedBy.name} · {formatInstant(i.updatedAt, locale)}
          </dd>
        </dl>
      </section>
      {canFollow && (
        <section className="card">
          <h2 className="card-title">{t('incidents.followUp')}</h2>
          <FollowUp key={i.version} incident={i} />
        </section>
      )}
    </div>
  );
}
