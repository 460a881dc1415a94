import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { hasPermission } from '../../app/access';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { formatInstant } from '../../i18n/format';
import { EmergencyLoanSection } from '../credit/EmergencyLoanSection';
import { RestructuringSection } from '../credit/RestructuringSection';
import {
  type ServiceRequestView,
  type ServiceTypeName,
  type Signature,
  type Summary,
  sign,
  summaryLocaleOf,
  useServiceRequest,
} from './api-documents';
import { ProcedureSteps } from '../procedures/ProcedureSteps';
import { DocumentChecklist } from './DocumentChecklist';
import { SignaturePad } from './SignaturePad';
import './service-request.css';

const CLOSED = new Set(['rejected', 'completed', 'cancelled']);

/** The service's name in the reader's language (the catalogue's names). */
export function useTypeName(types: readonly ServiceTypeName[] | undefined) {
  const { i18n } = useTranslation();
  return (code: string) => {
    const name = types?.find((x) => x.code === code)?.name;
    return name ? (i18n.language.startsWith('zh') ? name.zh : name.en) : '';
  };
}

/** One signature record: its kind, validity, the witness, time and place, the image and the hash. */
export function SignatureRecord({ s }: { s: Signature }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  return (
    <div className="subsection" data-testid="signature-record" data-status={s.status}>
      <div className="title-row">
        <strong>{t(`serviceRequest.signature.kind.${s.kind}`)}</strong>
        <span className={`badge ${s.status === 'valid' ? 'badge-success' : 'badge-failure'}`} data-testid="signature-status">
          {t(`serviceRequest.signature.status.${s.status}`)}
        </span>
      </div>
      {s.status === 'voided' && (
        <p className="field-hint" data-testid="signature-void-reason">
          {t(`serviceRequest.signature.voidReason.${s.voidReason ?? 'request_changed'}`)}
        </p>
      )}
      <dl className="facts">
        <dt>{t('serviceRequest.signature.witness')}</dt>
        <dd>{s.witness?.displayName ?? t('common.none')}</dd>
        <dt>{t('serviceRequest.signature.signedAt')}</dt>
        <dd>{formatInstant(s.signedAt, locale)}</dd>
        <dt>{t('serviceRequest.signature.place')}</dt>
        <dd>{s.place ?? t('common.none')}</dd>
        {s.kind === 'remote_video' && (
          <>
            <dt>{t('serviceRequest.signature.videoSession')}</dt>
            <dd>{s.videoSessionRef}</dd>
            <dt>{t('serviceRequest.signature.spokenConsent')}</dt>
            <dd>{s.spokenConsentRef}</dd>
          </>
        )}
      </dl>
      {s.imagePng && (
        <img src={s.imagePng} alt={t('serviceRequest.signature.imageAlt')} className="signature-image" data-testid="signature-image" />
      )}
      <p>
        <span className="field-label">{t('serviceRequest.signature.hash')}</span>{' '}
        <span className="hash" data-testid="signature-hash">
          {s.summarySha256}
        </span>
      </p>
    </div>
  );
}

function SignForm({ request, summary }: { request: ServiceRequestView; summary: Summary }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const ids = { place: useId(), session: useId(), consent: useId() };
  const [mode, setMode] = useState<'on_device' | 'remote_video'>('on_device');
  const [png, setPng] = useState<string | null>(null);
  const [place, setPlace] = useState('');
  const [sessionRef, setSessionRef] = useState('');
  const [consentRef, setConsentRef] = useState('');
  const [padKey, setPadKey] = useState(0);
  const done = () => {
    setPng(null);
    setPadKey((k) => k + 1);
    return queryClient.invalidateQueries({ queryKey: ['service-request', request.id] });
  };
  const record = useMutation({
    mutationFn: () =>
      sign(
        request.id,
        mode === 'on_device'
          ? { kind: 'on_device', locale: summary.locale, summarySha256: summary.sha256, imagePng: png ?? '', place: place.trim() }
          : {
              kind: 'remote_video',
              locale: summary.locale,
              summarySha256: summary.sha256,
              videoSessionRef: sessionRef.trim(),
              spokenConsentRef: consentRef.trim(),
              ...(place.trim() ? { place: place.trim() } : {}),
            },
      ),
    onSuccess: done,
  });
  const ready = mode === 'on_device' ? png !== null && place.trim() !== '' : sessionRef.trim() !== '' && consentRef.trim() !== '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready) record.mutate();
  };
  return (
    <form className="form" onSubmit={submit} data-testid="sign-form">
      <fieldset className="segmented">
        <legend className="visually-hidden">{t('serviceRequest.sign.mode')}</legend>
        {(['on_device', 'remote_video'] as const).map((m) => (
          <button
            key={m}
            type="button"
            className={`button button-small ${mode === m ? 'button-primary' : 'button-ghost'}`}
            aria-pressed={mode === m}
            onClick={() => setMode(m)}
            data-testid={`sign-mode-${m}`}
          >
            {t(`serviceRequest.signature.kind.${m}`)}
          </button>
        ))}
      </fieldset>
      {mode === 'on_device' ? (
        <SignaturePad key={padKey} onChange={setPng} disabled={record.isPending} />
      ) : (
        <>
          <div className="field">
            <label htmlFor={ids.session} className="field-label">
              {t('serviceRequest.signature.videoSession')}
            </label>
            <input
              id={ids.session}
              value={sessionRef}
              onChange={(e) => setSessionRef(e.target.value)}
              maxLength={200}
              data-testid="video-session"
            />
          </div>
          <div className="field">
            <label htmlFor={ids.consent} className="field-label">
              {t('serviceRequest.signature.spokenConsent')}
            </label>
            <input
              id={ids.consent}
              value={consentRef}
              onChange={(e) => setConsentRef(e.target.value)}
              maxLength={200}
              data-testid="spoken-consent"
            />
            <span className="field-hint">{t('serviceRequest.sign.spokenConsentHint')}</span>
          </div>
        </>
      )}
      <div className="field">
        <label htmlFor={ids.place} className="field-label">
          {t('serviceRequest.signature.place')}
        </label>
        <input
          id={ids.place}
          value={place}
          onChange={(e) => setPlace(e.target.value)}
          maxLength={200}
          placeholder={t('serviceRequest.sign.placePlaceholder')}
          data-testid="sign-place"
        />
      </div>
      <button type="submit" className="button button-primary button-block" disabled={!ready || record.isPending} data-testid="sign-submit">
        {t('serviceRequest.sign.submit')}
      </button>
      <ErrorNotice error={record.error} />
    </form>
  );
}

/**
 * A service request (P6.1.1, P6.1.2): what was asked, its status and priority time, the document
 * checklist, and the customer's signature of the request's summary on this device or over video.
 */
export function ServiceRequestPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { id = '' } = useParams();
  const { user } = useSignedIn();
  const { view, types, documents, summary, signatures } = useServiceRequest(id, summaryLocaleOf(locale));
  const typeName = useTypeName(types.data?.items);
  const r = view.data;

  if (view.isPending) return <Loading />;
  if (!r) {
    return (
      <div className="page">
        <ErrorNotice error={view.error} />
        <Link to="/cases">{t('serviceRequest.backToCases')}</Link>
      </div>
    );
  }
  const canWork = hasPermission(user.roles, 'service.request') && !CLOSED.has(r.status);
  const valid = signatures.data?.items.find((s) => s.status === 'valid');

  return (
    <div className="page service-request-page" data-testid="service-request-page">
      <header className="page-header">
        <div>
          <h1 data-testid="service-request-title">{typeName(r.type)}</h1>
          <p className="page-sub">
            {r.case.customerName} · <Link to={`/cases/${encodeURIComponent(r.case.id)}`}>{r.case.caseNumber}</Link>
          </p>
        </div>
        <div className="title-actions">
          <Link to={`/service-requests/${encodeURIComponent(r.id)}/print`} className="button button-ghost" data-testid="open-print">
            {t('serviceRequest.print.open')}
          </Link>
          {hasPermission(user.roles, 'incident.record') && (
            <Link to={`/incidents?requestId=${encodeURIComponent(r.id)}`} className="button button-ghost" data-testid="record-incident">
              {t('incidents.recordForRequest')}
            </Link>
          )}
        </div>
      </header>

      <section className="card">
        <dl className="facts facts-4">
          <dt>{t('common.status')}</dt>
          <dd data-testid="service-request-status">{t(`serviceRequest.status.${r.status}`)}</dd>
          <dt>{t('serviceRequest.dueAt')}</dt>
          <dd className={r.overdue ? 'due due-overdue' : 'due'}>
            {formatInstant(r.dueAt, locale)}
            {r.overdue && <> · {t('serviceRequest.overdue')}</>}
          </dd>
          <dt>{t('serviceRequest.standardDueAt')}</dt>
          <dd>{formatInstant(r.standardDueAt, locale)}</dd>
          <dt>{t('serviceRequest.requested')}</dt>
          <dd>
            {r.requestedBy?.displayName ?? t('common.none')} · {formatInstant(r.requestedAt, locale)}
          </dd>
          <dt>{t('serviceRequest.assignee')}</dt>
          <dd>{r.assignee?.displayName ?? t('common.none')}</dd>
        </dl>
      </section>

      {r.type === 'emergency_loan' && r.sensitiveVisible && <EmergencyLoanSection requestId={r.id} />}
      {r.type === 'restructuring' && r.sensitiveVisible && <RestructuringSection requestId={r.id} />}
      <ProcedureSteps requestId={r.id} />

      {documents.data && <DocumentChecklist requestId={r.id} list={documents.data} canWork={canWork} />}
      <ErrorNotice error={documents.error} />

      <section className="card" data-testid="signature-section">
        <h2 className="card-title">{t('serviceRequest.sign.title')}</h2>
        <p className="field-hint">{t('serviceRequest.sign.intro')}</p>
        {summary.data && (
          <>
            <pre className="summary-text" data-testid="summary-text">
              {summary.data.text}
            </pre>
            <p>
              <span className="field-label">{t('serviceRequest.signature.currentHash')}</span>{' '}
              <span className="hash" data-testid="summary-hash">
                {summary.data.sha256}
              </span>
            </p>
            {canWork && <SignForm request={r} summary={summary.data} />}
          </>
        )}
        <ErrorNotice error={summary.error} />
      </section>

      <section className="card" data-testid="signature-records">
        <h2 className="card-title">{t('serviceRequest.signature.title')}</h2>
        {signatures.data && signatures.data.items.length === 0 && <Empty>{t('serviceRequest.signature.none')}</Empty>}
        {valid && <SignatureRecord s={valid} />}
        {signatures.data?.items
          .filter((s) => s !== valid)
          .map((s) => (
            <SignatureRecord key={s.id} s={s} />
          ))}
        <ErrorNotice error={signatures.error} />
      </section>
    </div>
  );
}
