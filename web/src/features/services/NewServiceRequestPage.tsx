import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { get, post } from '../../api/client';
import type { CustomerDetail } from '../../api/types';
import { hasPermission } from '../../app/access';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { caseLink } from '../cases/caseLinks';
import { yuanToMinor } from '../cases/money';
import { useCase } from '../cases/useCase';
import { requestLink, type ServiceField, type ServiceRequestView, type ServiceType, useServiceTypes } from './api';
import { ShortfallPanel } from '../credit/ShortfallPanel';
import { useDocumentName } from './ServiceBits';

/** The fee types the bank waives (API.md: a free code); the form offers these rather than a code to type. */
const FEE_TYPES = ['account_management', 'sms_alerts', 'card_annual', 'transfer_fees'] as const;

/** True for a type whose form is its own page (a wealth re-plan moves holdings, a restructuring compares schedules). */
function hasOwnPage(type: ServiceType): boolean {
  return type.code === 'restructuring' || type.fields.some((f) => f.kind === 'holdings_moves');
}

/** Fee relief asks for a percent or an amount only with the kind that uses it; the server refuses the other. */
function shown(field: ServiceField, values: Record<string, string>): boolean {
  if (field.name === 'percent') return values.kind === 'percent';
  if (field.name === 'amountMinor') return values.kind === 'amount';
  return true;
}

/** The details as the API takes them: numbers for percents and money (yuan → fen), empty fields left out. */
function detailsOf(fields: readonly ServiceField[], values: Record<string, string>): Record<string, unknown> | null {
  const details: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = (values[f.name] ?? '').trim();
    if (!shown(f, values) || raw === '') continue;
    if (f.kind === 'percent' || f.kind === 'count') details[f.name] = Number(raw);
    else if (f.kind === 'money') {
      const minor = yuanToMinor(raw);
      if (minor === undefined || minor === null) return null;
      details[f.name] = minor;
    } else details[f.name] = raw;
  }
  return details;
}

/** One input of the form, as the field's kind asks. */
function DetailInput({
  field,
  value,
  onChange,
  accounts,
}: {
  field: ServiceField;
  value: string;
  onChange: (v: string) => void;
  accounts: CustomerDetail['accounts'];
}) {
  const { t } = useTranslation();
  const id = useId();
  const label = t(`fields.${field.name}`);
  const common = { id, value, required: field.required, 'data-testid': `detail-${field.name}` };
  let input: ReactNode;
  if (field.kind === 'account') {
    input = (
      <select {...common} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('services.form.choose')}</option>
        {accounts
          .filter((a) => a.status !== 'closed')
          .map((a) => (
            <option key={a.id} value={a.id}>
              {t('services.form.account', { number: a.accountNumber, type: t(`codes.accountType.${a.type}`) })}
            </option>
          ))}
      </select>
    );
  } else if (field.kind === 'enum') {
    input = (
      <select {...common} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('services.form.choose')}</option>
        {(field.options ?? []).map((o) => (
          <option key={o} value={o}>
            {t(`services.option.${field.name}.${o}`)}
          </option>
        ))}
      </select>
    );
  } else if (field.name === 'feeType') {
    input = (
      <select {...common} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('services.form.choose')}</option>
        {FEE_TYPES.map((o) => (
          <option key={o} value={o}>
            {t(`services.feeType.${o}`)}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === 'percent') {
    input = <input {...common} type="number" min={1} max={99} step="0.1" onChange={(e) => onChange(e.target.value)} />;
  } else if (field.kind === 'money') {
    input = (
      <div className="input-affix">
        <span className="input-affix-sign" aria-hidden="true">
          ¥
        </span>
        <input
          {...common}
          inputMode="decimal"
          autoComplete="off"
          maxLength={20}
          aria-invalid={yuanToMinor(value) === undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      </div>
    );
  } else if (field.kind === 'count') {
    input = <input {...common} type="number" min={1} max={360} step={1} onChange={(e) => onChange(e.target.value)} />;
  } else if (field.kind === 'date') {
    input = <input {...common} type="date" onChange={(e) => onChange(e.target.value)} />;
  } else {
    input = <textarea {...common} rows={2} maxLength={1000} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {!field.required && <span className="muted"> {t('services.form.optional')}</span>}
      </label>
      {input}
    </div>
  );
}

/** Requesting a service for a case's customer (P4): a type of the catalogue, its details, the reduced documents (P6.1.1). */
export function NewServiceRequestPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { user } = useSignedIn();
  const typeId = useId();
  const noteId = useId();
  const docName = useDocumentName();
  const english = i18n.language.startsWith('en');
  const detail = useCase(id, null);
  const record = detail.data?.data;
  const customerId = record?.basic.customer.id;
  const customer = useQuery({
    queryKey: ['customer', customerId],
    queryFn: () => get<CustomerDetail>(`/api/v1/customers/${encodeURIComponent(customerId ?? '')}`),
    enabled: customerId !== undefined && hasPermission(user.roles, 'customer.read'),
    retry: false,
  });
  const types = useServiceTypes();
  const [code, setCode] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const [badMoney, setBadMoney] = useState(false);
  // One key per form: a repeated submission (a lost answer, a double click) makes one request.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const active = (types.data ?? []).filter((x) => x.active);
  const type = active.find((x) => x.code === code);
  const create = useMutation({
    mutationFn: (body: { type: string; details: Record<string, unknown>; note?: string }) =>
      post<ServiceRequestView>(`/api/v1/cases/${encodeURIComponent(id)}/service-requests`, body, { 'idempotency-key': idempotencyKey }),
    onSuccess: (r) => navigate(requestLink(r.id)),
  });

  if (detail.isPending || types.isPending) return <Loading />;
  if (!record) {
    return (
      <div className="page">
        <ErrorNotice error={detail.error} />
        <Link to="/cases">{t('cases.backToList')}</Link>
      </div>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!type || hasOwnPage(type)) return;
    const details = detailsOf(type.fields, values);
    setBadMoney(details === null);
    if (details === null) return;
    create.mutate({ type: type.code, details, ...(note.trim() ? { note: note.trim() } : {}) });
  };

  return (
    <div className="page page-form">
      <nav className="breadcrumb" aria-label={t('nav.breadcrumb')}>
        <Link to="/cases">{t('nav.cases')}</Link>
        <span aria-hidden="true">/</span>
        <Link to={caseLink(record.id)}>{record.caseNumber}</Link>
        <span aria-hidden="true">/</span>
        <span>{t('services.form.title')}</span>
      </nav>
      <header className="page-header">
        <div>
          <h1>{t('services.form.title')}</h1>
          <p className="page-sub">
            {record.basic.customer.name} · <span className="mono">{record.caseNumber}</span>
          </p>
        </div>
      </header>
      <ErrorNotice error={types.error ?? customer.error} />
      {record.status !== 'active' ? (
        <Empty>{t('services.form.caseNotActive')}</Empty>
      ) : (
        <form className="card form" onSubmit={submit} data-testid="service-request-form">
          <div className="field">
            <label htmlFor={typeId}>{t('services.field.type')}</label>
            <select
              id={typeId}
              value={code}
              onChange={(e) => {
                setCode(e.target.value);
                setValues({});
                create.reset();
              }}
              required
              data-testid="service-type"
            >
              <option value="">{t('services.form.choose')}</option>
              {active.map((x) => (
                <option key={x.code} value={x.code}>
                  {english ? x.name.en : x.name.zh}
                </option>
              ))}
            </select>
          </div>
          {type && hasOwnPage(type) && (
            <p className="notice notice-info" data-testid="service-own-page">
              {t(type.code === 'restructuring' ? 'services.form.ownPageRestructuring' : 'services.form.ownPage')}{' '}
              {type.code === 'restructuring' ? (
                <Link to={`/cases/${encodeURIComponent(record.id)}/restructuring`}>{t('credit.restructuring.open')}</Link>
              ) : (
                <Link to={`/cases/${encodeURIComponent(record.id)}/wealth-plan`}>{t('services.form.openWealthPlan')}</Link>
              )}
            </p>
          )}
          {type && !hasOwnPage(type) && (
            <>
              <p className="muted">
                {t(type.needsApproval ? 'services.form.needsApproval' : 'services.form.noApproval')}{' '}
                {t('services.form.times', { priority: type.priorityHours, standard: type.standardHours })}
              </p>
              {type.fields
                .filter((f) => shown(f, values))
                .map((f) => (
                  <DetailInput
                    key={f.name}
                    field={f}
                    value={values[f.name] ?? ''}
                    onChange={(v) => setValues({ ...values, [f.name]: v })}
                    accounts={customer.data?.accounts ?? []}
                  />
                ))}
              {type.code === 'emergency_loan' && <ShortfallPanel caseId={record.id} />}
              <div className="field">
                <label htmlFor={noteId}>
                  {t('services.form.note')}
                  <span className="muted"> {t('services.form.optional')}</span>
                </label>
                <textarea id={noteId} value={note} onChange={(e) => setNote(e.target.value)} rows={3} maxLength={2000} />
                <span className="field-hint">{t('services.form.noteHint')}</span>
              </div>
              <section className="notice notice-info" aria-labelledby={`${typeId}-docs`} data-testid="service-documents">
                <h2 id={`${typeId}-docs`}>{t('services.form.documents')}</h2>
                {type.documentsReduced.length === 0 ? (
                  <p>{t('services.form.noDocuments')}</p>
                ) : (
                  <ul>
                    {type.documentsReduced.map((d) => (
                      <li key={d.code}>{docName(d)}</li>
                    ))}
                  </ul>
                )}
                {type.documentsStandard.length > type.documentsReduced.length && (
                  <p className="muted">
                    {t('services.form.documentsSpared', { count: type.documentsStandard.length - type.documentsReduced.length })}
                  </p>
                )}
              </section>
              {badMoney && (
                <p className="notice notice-error" role="alert">
                  {t('services.form.badAmount')}
                </p>
              )}
              <ErrorNotice error={create.error} />
              <div className="form-actions">
                <Link className="button" to={caseLink(record.id)}>
                  {t('common.cancel')}
                </Link>
                <button type="submit" className="button button-primary" disabled={create.isPending} data-testid="service-submit">
                  {t('services.form.submit')}
                </button>
              </div>
            </>
          )}
        </form>
      )}
    </div>
  );
}
