import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useBranchName } from '../../app/branches';
import { EChart } from '../../components/EChart';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Feedback';
import { formatInstant, formatMinor } from '../../i18n/format';
import { AlertStatusBadge, Elapsed, Fact } from './AlertBits';
import { type AlertDetail, alertStep, CONTACT_CHANNELS, CONTACT_OUTCOMES, getAlert, RESOLUTIONS } from './api';
import { useEvidenceText, useRuleDescription, useRuleName } from '../analysis/ruleText';
import { evidenceOption } from './evidenceChart';

/** P7.2.1: one fund-safety alert: the evidence chart, the rules that flagged it, and the contact → verify → resolve steps. */
export function AlertPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const branchName = useBranchName();
  const ruleName = useRuleName();
  const ruleDescription = useRuleDescription();
  const evidenceText = useEvidenceText();
  const alert = useQuery({ queryKey: ['alerts', 'one', id], queryFn: () => getAlert(id) });
  const a = alert.data;
  const option = useMemo(
    () =>
      a
        ? evidenceOption(
            a,
            { amount: t('alerts.field.amount'), channel: (c) => t(`alerts.txnChannel.${c}`, { defaultValue: c }) },
            i18n.language,
          )
        : null,
    [a, t, i18n.language],
  );

  return (
    <div className="page">
      <p>
        <Link to="/alerts">{t('alerts.back')}</Link>
      </p>
      {alert.isPending && <Loading />}
      <ErrorNotice error={alert.error} />
      {a && option && (
        <>
          <header className="page-header">
            <div>
              <h1>
                {t('alerts.detail.title', { customer: a.customer.name })} <AlertStatusBadge status={a.status} overdue={a.overdue} />
              </h1>
              <p className="page-sub">
                {t('alerts.detail.raised', { at: formatInstant(a.raisedAt, i18n.language) })} (
                <Elapsed since={a.raisedAt} now={Date.now()} />) ·{' '}
                <Link to={`/cases/${encodeURIComponent(a.case.id)}`}>{a.case.caseNumber}</Link> · {a.customer.customerNumber} ·{' '}
                {branchName(a.branch.code)}
              </p>
            </div>
          </header>
          <section className="card" aria-labelledby="alert-flagged" data-testid="alert-flagged">
            <h2 id="alert-flagged" className="card-title">
              {t('alerts.detail.flagged')}
            </h2>
            <dl className="facts facts-4">
              <Fact label={t('alerts.field.amount')}>{formatMinor(a.flagged.amountMinor, a.flagged.currency, i18n.language)}</Fact>
              <Fact label={t('alerts.field.bookedAt')}>{formatInstant(a.flagged.bookedAt, i18n.language)}</Fact>
              <Fact label={t('alerts.field.channel')}>
                {t(`alerts.txnChannel.${a.flagged.channel}`, { defaultValue: a.flagged.channel })}
              </Fact>
              <Fact label={t('alerts.field.counterparty')}>
                {a.flagged.counterpartyName ?? t('common.none')}{' '}
                {a.flagged.counterpartyAccount && <code>{a.flagged.counterpartyAccount}</code>}
              </Fact>
              <Fact label={t('alerts.field.description')}>{a.flagged.description ?? t('common.none')}</Fact>
              <Fact label={t('alerts.field.txnId')}>
                <code>{a.flagged.id}</code>
              </Fact>
              <Fact label={t('alerts.field.score')}>{a.score}</Fact>
            </dl>
          </section>
          <div className="grid-2">
            <section className="card" aria-labelledby="alert-evidence">
              <h2 id="alert-evidence" className="card-title">
                {t('alerts.detail.evidence')}
              </h2>
              <EChart option={option} label={t('alerts.detail.chartLabel')} height={300} />
              <p className="muted">{t('alerts.detail.chartLegend')}</p>
            </section>
            <section className="card" aria-labelledby="alert-rules" data-testid="alert-rules">
              <h2 id="alert-rules" className="card-title">
                {t('alerts.detail.rules')}
              </h2>
              <ul>
                {a.rules.map((r) => (
                  <li key={r.id} data-testid={`alert-rule-${r.id}`}>
                    <strong>{ruleName(r.id)}</strong> ({t('alerts.detail.weight', { weight: r.weight })})
                    <p className="muted">{ruleDescription(r.id)}</p>
                    {r.facts ? (
                      <p data-testid="alert-rule-evidence">{evidenceText(r.facts, a.flagged.currency)}</p>
                    ) : (
                      // Alerts raised before issue 10 kept only the English text of the numbers.
                      <p className="muted">
                        {t('analysis.legacy')} <span translate="no">{r.detail}</span>
                      </p>
                    )}
                    {r.monitoring && (
                      <p className="notice notice-info" data-testid="alert-rule-monitoring">
                        {t('alerts.detail.monitoring', {
                          level: t(`risk.sensitivity.${r.monitoring.level}`),
                          percent: new Intl.NumberFormat(i18n.language, { style: 'percent' }).format(r.monitoring.multiplier),
                        })}
                      </p>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          </div>
          <Progress alert={a} />
          {a.canWork && <Steps alert={a} />}
        </>
      )}
    </div>
  );
}

/** What happened so far: each step with who and when, and the notes for those who may read them. */
function Progress({ alert: a }: { alert: AlertDetail }) {
  const { t, i18n } = useTranslation();
  const when = (at: string | null) => (at ? formatInstant(at, i18n.language) : t('common.none'));
  return (
    <section className="card" aria-labelledby="alert-progress" data-testid="alert-progress">
      <h2 id="alert-progress" className="card-title">
        {t('alerts.detail.progress')}
      </h2>
      <dl className="facts">
        <Fact label={t('alerts.status.contacted')}>
          {when(a.contactedAt)}
          {a.contact.by && ` · ${a.contact.by.displayName}`}
          {a.contact.channel && ` · ${t(`alerts.channel.${a.contact.channel}`)}`}
          {a.contact.attempts > 0 && ` · ${t('alerts.detail.attempts', { count: a.contact.attempts })}`}
          {a.contact.note && <span className="cell-sub">{a.contact.note}</span>}
        </Fact>
        <Fact label={t('alerts.status.verified')}>
          {when(a.verifiedAt)}
          {a.verification.by && ` · ${a.verification.by.displayName}`}
          {a.verification.note && <span className="cell-sub">{a.verification.note}</span>}
        </Fact>
        <Fact label={t('alerts.status.resolved')}>
          {when(a.resolvedAt)}
          {a.resolution && ` · ${t(`alerts.resolution.${a.resolution}`)}`}
          {a.resolutionDetail.by && ` · ${a.resolutionDetail.by.displayName}`}
          {a.resolutionDetail.note && <span className="cell-sub">{a.resolutionDetail.note}</span>}
        </Fact>
      </dl>
      {!a.notesVisible && <p className="muted">{t('alerts.detail.notesHidden')}</p>}
    </section>
  );
}

/** The next step of the workflow as a form: contact while open, verify once contacted, resolve once verified. */
function Steps({ alert: a }: { alert: AlertDetail }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const noteId = useId();
  const [channel, setChannel] = useState<(typeof CONTACT_CHANNELS)[number]>('phone');
  const [outcome, setOutcome] = useState<(typeof CONTACT_OUTCOMES)[number]>('reached');
  const [resolution, setResolution] = useState<(typeof RESOLUTIONS)[number]>('legitimate');
  const [note, setNote] = useState('');
  const step = useMutation({
    mutationFn: () => {
      const text = note.trim();
      if (a.status === 'open') return alertStep(a, 'contact', { channel, outcome, ...(text ? { note: text } : {}) });
      if (a.status === 'contacted') return alertStep(a, 'verify', { note: text });
      return alertStep(a, 'resolve', { resolution, note: text });
    },
    onSuccess: (view) => {
      setNote('');
      queryClient.setQueryData(['alerts', 'one', a.id], view);
      void queryClient.invalidateQueries({ queryKey: ['alerts', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['alerts', 'metrics'] });
    },
  });
  if (a.status === 'resolved') return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    step.mutate();
  };
  const noteRequired = a.status !== 'open';
  return (
    <section className="card" aria-labelledby="alert-step" data-testid="alert-step">
      <h2 id="alert-step" className="card-title">
        {t(`alerts.step.${a.status}.title`)}
      </h2>
      <p className="muted">{t(`alerts.step.${a.status}.hint`)}</p>
      <form className="form filter-grid" onSubmit={submit}>
        {a.status === 'open' && (
          <>
            <div className="field">
              <label>
                {t('alerts.field.channel')}
                <select
                  value={channel}
                  data-testid="alert-channel"
                  onChange={(e) => setChannel(CONTACT_CHANNELS.find((c) => c === e.target.value) ?? 'phone')}
                >
                  {CONTACT_CHANNELS.map((c) => (
                    <option key={c} value={c}>
                      {t(`alerts.channel.${c}`)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <div className="field">
              <label>
                {t('alerts.field.outcome')}
                <select
                  value={outcome}
                  data-testid="alert-outcome"
                  onChange={(e) => setOutcome(CONTACT_OUTCOMES.find((o) => o === e.target.value) ?? 'reached')}
                >
                  {CONTACT_OUTCOMES.map((o) => (
                    <option key={o} value={o}>
                      {t(`alerts.outcome.${o}`)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          </>
        )}
        {a.status === 'verified' && (
          <div className="field">
            <label>
              {t('alerts.field.resolution')}
              <select
                value={resolution}
                data-testid="alert-resolution"
                onChange={(e) => setResolution(RESOLUTIONS.find((r) => r === e.target.value) ?? 'legitimate')}
              >
                {RESOLUTIONS.map((r) => (
                  <option key={r} value={r}>
                    {t(`alerts.resolution.${r}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
        <div className="field">
          <label htmlFor={noteId}>{t('alerts.field.note')}</label>
          <textarea
            id={noteId}
            rows={3}
            maxLength={4000}
            required={noteRequired}
            value={note}
            data-testid="alert-note"
            onChange={(e) => setNote(e.target.value)}
          />
        </div>
        <ErrorNotice error={step.error} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={step.isPending} data-testid="alert-submit">
            {t(`alerts.step.${a.status}.submit`)}
          </button>
        </div>
      </form>
    </section>
  );
}
