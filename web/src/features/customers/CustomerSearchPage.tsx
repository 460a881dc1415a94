import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { post } from '../../api/client';
import type { CustomerSearchInput, CustomerSummary, Page } from '../../api/types';
import { useBranchName } from '../../app/branches';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { Field } from '../../components/Field';

// The last criteria live in the query cache, in memory only: back from a customer the results are
// still there, and signing out forgets them with everything else.
const CRITERIA_KEY = ['customer-search-criteria'] as const;

function cleaned(form: Required<Pick<CustomerSearchInput, 'query' | 'nationalId' | 'phone'>>): CustomerSearchInput | null {
  const out: CustomerSearchInput = {};
  const query = form.query.trim();
  const nationalId = form.nationalId.replace(/\s/g, '').toUpperCase();
  const phone = form.phone.replace(/[\s-]/g, '');
  if (query) out.query = query;
  if (nationalId) out.nationalId = nationalId;
  if (phone) out.phone = phone;
  return Object.keys(out).length > 0 ? out : null;
}

/** Finds customers by name or customer number, or exactly by national ID or phone. */
export function CustomerSearchPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const branchName = useBranchName();
  const [criteria, setCriteria] = useState<CustomerSearchInput | null>(
    () => queryClient.getQueryData<CustomerSearchInput | null>(CRITERIA_KEY) ?? null,
  );
  const [form, setForm] = useState({ query: criteria?.query ?? '', nationalId: criteria?.nationalId ?? '', phone: criteria?.phone ?? '' });

  const results = useQuery({
    queryKey: ['customer-search', criteria],
    // Identifiers go in the POST body only, never in a URL (API.md).
    queryFn: () => post<Page<CustomerSummary>>('/api/v1/customers/search', criteria),
    enabled: criteria !== null,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = cleaned(form);
    // Searching again for the same thing means "fetch it fresh", not "show the cached answer".
    if (next && JSON.stringify(next) === JSON.stringify(criteria)) {
      void results.refetch();
      return;
    }
    queryClient.setQueryData(CRITERIA_KEY, next);
    setCriteria(next);
  };
  const clear = () => {
    setForm({ query: '', nationalId: '', phone: '' });
    queryClient.setQueryData(CRITERIA_KEY, null);
    setCriteria(null);
  };
  const empty = cleaned(form) === null;

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('customers.search.title')}</h1>
          <p className="page-sub">{t('customers.search.intro')}</p>
        </div>
      </header>

      <search className="card" aria-label={t('customers.search.title')}>
        <form className="search-form" onSubmit={submit}>
          <div className="search-grid">
            <Field
              label={t('customers.search.query')}
              placeholder={t('customers.search.queryPlaceholder')}
              value={form.query}
              onChange={(e) => setForm({ ...form, query: e.target.value })}
              maxLength={100}
              autoComplete="off"
              data-testid="customer-search-query"
            />
            <Field
              label={t('customers.search.nationalId')}
              value={form.nationalId}
              onChange={(e) => setForm({ ...form, nationalId: e.target.value })}
              maxLength={32}
              autoComplete="off"
              spellCheck={false}
              data-testid="customer-search-national-id"
            />
            <Field
              label={t('customers.search.phone')}
              value={form.phone}
              onChange={(e) => setForm({ ...form, phone: e.target.value })}
              maxLength={32}
              inputMode="tel"
              autoComplete="off"
              data-testid="customer-search-phone"
            />
          </div>
          <div className="form-actions">
            <p className="field-hint">{t('customers.search.identifierHint')}</p>
            <button type="button" className="button button-ghost" onClick={clear}>
              {t('common.clear')}
            </button>
            <button type="submit" className="button button-primary" disabled={empty} data-testid="customer-search-submit">
              {t('common.search')}
            </button>
          </div>
        </form>
      </search>

      {criteria && (
        <section className="card card-flush" aria-labelledby="search-results" aria-live="polite">
          <h2 id="search-results" className="card-title">
            {t('customers.search.results')}
            {results.data && <span className="count">{t('common.count', { count: results.data.items.length })}</span>}
          </h2>
          {results.isPending && <Loading />}
          <ErrorNotice error={results.error} />
          {results.data && results.data.items.length === 0 && <Empty>{t('customers.search.noResults')}</Empty>}
          {results.data && results.data.items.length > 0 && (
            <div className="table-wrap">
              <table className="table table-hover">
                <thead>
                  <tr>
                    <th scope="col">{t('customers.field.customerNumber')}</th>
                    <th scope="col">{t('customers.field.name')}</th>
                    <th scope="col">{t('customers.field.gender')}</th>
                    <th scope="col">{t('customers.field.dateOfBirth')}</th>
                    <th scope="col">{t('customers.field.branch')}</th>
                    <th scope="col">{t('customers.field.segment')}</th>
                  </tr>
                </thead>
                <tbody>
                  {results.data.items.map((c) => (
                    <tr key={c.id} data-testid="customer-row" onClick={() => navigate(`/customers/${encodeURIComponent(c.id)}`)}>
                      <td className="mono">{c.customerNumber}</td>
                      <td>
                        <Link to={`/customers/${encodeURIComponent(c.id)}`} onClick={(e) => e.stopPropagation()}>
                          {c.name}
                        </Link>
                      </td>
                      <td>{t(`gender.${c.gender}`)}</td>
                      <td className="mono">{c.dateOfBirth ?? t('common.none')}</td>
                      <td>{branchName(c.branchCode)}</td>
                      <td>{t(`codes.segment.${c.segment}`, { defaultValue: c.segment })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </div>
  );
}
