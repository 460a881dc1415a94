import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { get, post } from '../../api/client';
import type { CustomerDetail } from '../../api/types';
import { hasPermission } from '../../app/access';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { formatMinor } from '../../i18n/format';
import { caseLink } from '../cases/caseLinks';
import { yuanToMinor } from '../cases/money';
import { useCase } from '../cases/useCase';
import { requestLink, type ServiceRequestView } from '../services/api';
import { RESTRUCTURING_CHANGES, type Restructuring, type RestructuringPreview } from './api-credit';
import { RestructuringComparison } from './RestructuringComparison';

type Change = (typeof RESTRUCTURING_CHANGES)[number];

/** The number a change needs from the form (months, a rate or an instalment in yuan), or undefined when it is not valid. */
function numberOf(change: Change, text: string): Partial<RestructuringPreview> | undefined {
  const raw = text.trim();
  if (change === 'deferral' || change === 'term_extension')
    return /^\d{1,3}$/.test(raw) && Number(raw) > 0 ? { months: Number(raw) } : undefined;
  if (change === 'rate_reduction') return /^\d{1,2}(\.\d{1,4})?$/.test(raw) ? { annualRatePercent: Number(raw) } : undefined;
  const minor = yuanToMinor(raw);
  return minor ? { instalmentMinor: minor } : undefined;
}

/**
 * A restructuring proposal for one of the case customer's loans: the risk officer picks the loan
 * and the change, sees the old and new schedules side by side with the difference in total cost,
 * and proposes it; the customer then signs it on the request's page and a supervisor approves it.
 */
export function RestructuringPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { user } = useSignedIn();
  const ids = { loan: useId(), change: useId(), value: useId(), rationale: useId() };
  const detail = useCase(id, null);
  const record = detail.data?.data;
  const customerId = record?.basic.customer.id;
  const customer = useQuery({
    queryKey: ['customer', customerId],
    queryFn: () => get<CustomerDetail>(`/api/v1/customers/${encodeURIComponent(customerId ?? '')}`),
    enabled: customerId !== undefined && hasPermission(user.roles, 'customer.read'),
    retry: false,
  });
  const [loanId, setLoanId] = useState('');
  const [change, setChange] = useState<Change>('deferral');
  const [value, setValue] = useState('');
  const [rationale, setRationale] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const preview = useMutation({
    mutationFn: (body: RestructuringPreview) => post<Restructuring>('/api/v1/credit/restructuring-preview', body),
  });
  const propose = useMutation({
    mutationFn: (details: Record<string, unknown>) =>
      post<ServiceRequestView>(
        `/api/v1/cases/${encodeURIComponent(id)}/service-requests`,
        { type: 'restructuring', details },
        { 'idempotency-key': idempotencyKey },
      ),
    onSuccess: (r) => navigate(requestLink(r.id)),
  });
  if (detail.isPending) return <Loading />;
  if (!record) {
    return (
      <div className="page">
        <ErrorNotice error={detail.error} />
        <Link to="/cases">{t('cases.backToList')}</Link>
      </div>
    );
  }
  const loans = (customer.data?.loans ?? []).filter((l) => l.status !== 'closed');
  const proposal = () => {
    const n = numberOf(change, value);
    setInvalid(n === undefined);
    return n === undefined || !loanId ? undefined : { loanId, change, ...n };
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = proposal();
    if (p) preview.mutate({ caseId: record.id, ...p });
  };
  const canPropose = hasPermission(user.roles, 'credit.assess') && record.status === 'active';
  const labels = {
    loanId: t('credit.restructuring.loan'),
    months: t('credit.restructuring.value.months'),
    annualRatePercent: t('credit.restructuring.value.rate'),
    instalmentMinor: t('credit.restructuring.value.instalment'),
  };
  return (
    <div className="page" data-testid="restructuring-page">
      <nav className="breadcrumb" aria-label={t('nav.breadcrumb')}>
        <Link to="/cases">{t('nav.cases')}</Link>
        <span aria-hidden="true">/</span>
        <Link to={caseLink(record.id)}>{record.caseNumber}</Link>
        <span aria-hidden="true">/</span>
        <span>{t('credit.restructuring.title')}</span>
      </nav>
      <header className="page-header">
        <div>
          <h1>{t('credit.restructuring.title')}</h1>
          <p className="page-sub">{t('credit.restructuring.intro')}</p>
        </div>
      </header>
      <ErrorNotice error={customer.error} />
      {loans.length === 0 && customer.data ? (
        <Empty>{t('credit.restructuring.noLoans')}</Empty>
      ) : (
        <form className="card form" onSubmit={submit} data-testid="restructuring-form">
          <div className="field">
            <label htmlFor={ids.loan}>{t('credit.restructuring.loan')}</label>
            <select id={ids.loan} value={loanId} onChange={(e) => setLoanId(e.target.value)} required data-testid="restructuring-loan">
              <option value="">{t('services.form.choose')}</option>
              {loans.map((l) => (
                <option key={l.id} value={l.id}>
                  {t('credit.restructuring.loanOption', {
                    number: l.loanNumber,
                    outstanding: formatMinor(l.outstanding.amountMinor, l.outstanding.currency, i18n.language),
                  })}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.change}>{t('credit.restructuring.change')}</label>
            <select
              id={ids.change}
              value={change}
              onChange={(e) => {
                setChange(RESTRUCTURING_CHANGES.find((c) => c === e.target.value) ?? 'deferral');
                setValue('');
              }}
              data-testid="restructuring-change"
            >
              {RESTRUCTURING_CHANGES.map((c) => (
                <option key={c} value={c}>
                  {t(`services.option.change.${c}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.value}>
              {change === 'rate_reduction'
                ? labels.annualRatePercent
                : change === 'reduced_instalment'
                  ? labels.instalmentMinor
                  : labels.months}
            </label>
            <input
              id={ids.value}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              inputMode="decimal"
              maxLength={20}
              required
              data-testid="restructuring-value"
            />
          </div>
          <div className="field">
            <label htmlFor={ids.rationale}>{t('fields.rationale')}</label>
            <textarea id={ids.rationale} value={rationale} onChange={(e) => setRationale(e.target.value)} rows={2} maxLength={1000} />
          </div>
          {invalid && <p className="notice notice-error">{t('credit.restructuring.invalid')}</p>}
          <ErrorNotice error={preview.error} labels={labels} />
          <div className="form-actions">
            <Link className="button" to={caseLink(record.id)}>
              {t('common.cancel')}
            </Link>
            <button type="submit" className="button" disabled={preview.isPending} data-testid="restructuring-preview">
              {t('credit.restructuring.preview')}
            </button>
          </div>
        </form>
      )}
      {preview.data && (
        <section className="card" data-testid="restructuring-result">
          <RestructuringComparison view={preview.data} />
          <ErrorNotice error={propose.error} labels={labels} />
          {canPropose && (
            <div className="form-actions">
              <button
                type="button"
                className="button button-primary"
                disabled={propose.isPending || !rationale.trim()}
                onClick={() => {
                  const p = proposal();
                  if (p) propose.mutate({ ...p, rationale: rationale.trim() });
                }}
                data-testid="restructuring-propose"
              >
                {t('credit.restructuring.propose')}
              </button>
              {!rationale.trim() && <span className="field-hint">{t('credit.restructuring.rationaleNeeded')}</span>}
            </div>
          )}
        </section>
      )}
    </div>
  );
}
