import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { get } from '../../api/client';
import type { CustomerDetail, Money, RevealableField, RevealResult, RiskLevel } from '../../api/types';
import { useBranchName } from '../../app/branches';
import { EChart } from '../../components/EChart';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { formatBasisPoints, formatMoney } from '../../i18n/format';
import { cashflowOption, holdingsByRisk, riskOption } from './charts';
import { RevealDialog } from './RevealDialog';

/** Sums amounts per currency in integer minor units; never mixes currencies. */
function totals(amounts: readonly Money[]): Money[] {
  const sums = new Map<string, number>();
  for (const m of amounts) sums.set(m.currency, (sums.get(m.currency) ?? 0) + m.amountMinor);
  return [...sums].map(([currency, amountMinor]) => ({ currency, amountMinor }));
}

function Totals({ label, amounts, locale }: { label: string; amounts: readonly Money[]; locale: string }) {
  const { t } = useTranslation();
  const sums = totals(amounts);
  return (
    <div className="stat">
      <span className="stat-label">{label}</span>
      {sums.length === 0 ? (
        <span className="stat-value">{t('common.none')}</span>
      ) : (
        sums.map((m) => (
          <span key={m.currency} className="stat-value">
            {formatMoney(m, locale)}
          </span>
        ))
      )}
    </div>
  );
}

/** One customer: master data with audited reveal of identifiers, accounts, loans, holdings and charts. */
export function CustomerPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { id = '' } = useParams();
  const branchName = useBranchName();
  const [revealing, setRevealing] = useState<RevealableField | null>(null);
  const [revealed, setRevealed] = useState<RevealResult>({});

  const detail = useQuery({
    queryKey: ['customer', id],
    queryFn: () => get<CustomerDetail>(`/api/v1/customers/${encodeURIComponent(id)}`),
  });

  const data = detail.data;
  const cashflow = useMemo(
    () =>
      data ? cashflowOption(data.cashflow, { inflow: t('customers.charts.inflow'), outflow: t('customers.charts.outflow') }, locale) : null,
    [data, t, locale],
  );
  const risk = useMemo(() => {
    if (!data) return null;
    const sums = holdingsByRisk(data.holdings);
    const any = Object.values(sums).some((v) => v > 0);
    return any ? riskOption(sums, (level: RiskLevel) => `${level} ${t(`riskLevels.${level}`)}`, locale) : null;
  }, [data, t, locale]);

  if (detail.isPending) return <Loading />;
  if (!data) {
    return (
      <div className="page">
        <ErrorNotice error={detail.error} />
        <Link to="/customers">{t('customers.detail.backToSearch')}</Link>
      </div>
    );
  }

  const { customer, accounts, loans, holdings } = data;
  const identifiers: { field: RevealableField; masked: string | null }[] = [
    { field: 'nationalId', masked: customer.nationalIdMasked },
    { field: 'phone', masked: customer.phoneMasked },
    { field: 'address', masked: customer.addressMasked },
  ];

  return (
    <div className="page">
      <nav className="breadcrumb" aria-label={t('nav.breadcrumb')}>
        <Link to="/customers">{t('nav.customers')}</Link>
        <span aria-hidden="true">/</span>
        <span>{customer.customerNumber}</span>
      </nav>

      <section className="card customer-header">
        <div className="customer-title">
          <h1 data-testid="customer-name">{customer.name}</h1>
          <span className="chip chip-strong mono">{customer.customerNumber}</span>
          <span className="chip">{t(`codes.segment.${customer.segment}`, { defaultValue: customer.segment })}</span>
        </div>
        <dl className="facts facts-4">
          <div>
            <dt>{t('customers.field.gender')}</dt>
            <dd>{t(`gender.${customer.gender}`)}</dd>
          </div>
          <div>
            <dt>{t('customers.field.dateOfBirth')}</dt>
            <dd className="mono">{customer.dateOfBirth ?? t('common.none')}</dd>
          </div>
          <div>
            <dt>{t('customers.field.branch')}</dt>
            <dd>{branchName(customer.branchId)}</dd>
          </div>
          <div>
            <dt>{t('customers.field.openedOn')}</dt>
            <dd className="mono">{customer.openedOn ?? t('common.none')}</dd>
          </div>
          {identifiers.map(({ field, masked }) => {
            const value = revealed[field];
            return (
              <div key={field} className={field === 'address' ? 'span-2' : undefined}>
                <dt>{t(`customers.field.${field}`)}</dt>
                <dd>
                  {value !== undefined ? (
                    <>
                      <span className="mono revealed" data-testid={`revealed-${field}`}>
                        {value ?? t('common.none')}
                      </span>
                      <span className="audit-note">{t('customers.reveal.recorded')}</span>
                    </>
                  ) : masked === null ? (
                    t('common.none')
                  ) : (
                    <>
                      <span className="mono">{masked}</span>
                      <button type="button" className="link-button" onClick={() => setRevealing(field)} data-testid={`reveal-${field}`}>
                        {t('customers.reveal.action')}
                      </button>
                    </>
                  )}
                </dd>
              </div>
            );
          })}
        </dl>
        <div className="stats">
          <Totals label={t('customers.summary.deposits')} amounts={accounts.map((a) => a.balance)} locale={locale} />
          <Totals label={t('customers.summary.loans')} amounts={loans.map((l) => l.outstanding)} locale={locale} />
          <Totals label={t('customers.summary.holdings')} amounts={holdings.map((h) => h.marketValue)} locale={locale} />
        </div>
      </section>

      <div className="grid-chart">
        <section className="card" aria-labelledby="chart-cashflow">
          <h2 id="chart-cashflow">{t('customers.charts.cashflow')}</h2>
          {cashflow && data.cashflow.length > 0 ? (
            <EChart option={cashflow} label={t('customers.charts.cashflow')} />
          ) : (
            <Empty>{t('customers.charts.noCashflow')}</Empty>
          )}
        </section>
        <section className="card" aria-labelledby="chart-risk">
          <h2 id="chart-risk">{t('customers.charts.risk')}</h2>
          {risk ? <EChart option={risk} label={t('customers.charts.risk')} /> : <Empty>{t('customers.holdings.none')}</Empty>}
        </section>
      </div>

      <section className="card card-flush" aria-labelledby="accounts-title">
        <h2 id="accounts-title" className="card-title">
          {t('customers.accounts.title')}
          <span className="count">{t('common.count', { count: accounts.length })}</span>
        </h2>
        {accounts.length === 0 ? (
          <Empty>{t('customers.accounts.none')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('customers.accounts.number')}</th>
                  <th scope="col">{t('customers.accounts.type')}</th>
                  <th scope="col" className="num">
                    {t('customers.accounts.balance')}
                  </th>
                  <th scope="col">{t('common.status')}</th>
                  <th scope="col">{t('customers.field.openedOn')}</th>
                </tr>
              </thead>
              <tbody>
                {accounts.map((a) => (
                  <tr key={a.id}>
                    <td className="mono">{a.accountNumber}</td>
                    <td>{t(`codes.accountType.${a.type}`, { defaultValue: a.type })}</td>
                    <td className="num">{formatMoney(a.balance, locale)}</td>
                    <td>
                      <span className={`badge badge-${a.status}`}>{t(`codes.accountStatus.${a.status}`, { defaultValue: a.status })}</span>
                    </td>
                    <td className="mono">{a.openedOn}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card card-flush" aria-labelledby="loans-title">
        <h2 id="loans-title" className="card-title">
          {t('customers.loans.title')}
          <span className="count">{t('common.count', { count: loans.length })}</span>
        </h2>
        {loans.length === 0 ? (
          <Empty>{t('customers.loans.none')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('customers.loans.number')}</th>
                  <th scope="col">{t('customers.loans.product')}</th>
                  <th scope="col" className="num">
                    {t('customers.loans.principal')}
                  </th>
                  <th scope="col" className="num">
                    {t('customers.loans.outstanding')}
                  </th>
                  <th scope="col" className="num">
                    {t('customers.loans.rate')}
                  </th>
                  <th scope="col" className="num">
                    {t('customers.loans.instalment')}
                  </th>
                  <th scope="col">{t('customers.loans.term')}</th>
                  <th scope="col">{t('customers.loans.nextPayment')}</th>
                  <th scope="col" className="num">
                    {t('customers.loans.daysPastDue')}
                  </th>
                  <th scope="col">{t('common.status')}</th>
                </tr>
              </thead>
              <tbody>
                {loans.map((l) => (
                  <tr key={l.id}>
                    <td className="mono">{l.loanNumber}</td>
                    <td className="nowrap">{t(`codes.loanProduct.${l.product}`, { defaultValue: l.product })}</td>
                    <td className="num">{formatMoney(l.principal, locale)}</td>
                    <td className="num">{formatMoney(l.outstanding, locale)}</td>
                    <td className="num">{formatBasisPoints(l.interestRateBp, locale)}</td>
                    <td className="num">{formatMoney(l.instalment, locale)}</td>
                    <td className="mono nowrap">
                      {l.startDate} – {l.maturityDate}
                    </td>
                    <td className="mono">{l.nextPaymentDate ?? t('common.none')}</td>
                    <td className={l.daysPastDue > 0 ? 'num text-danger' : 'num'}>{l.daysPastDue}</td>
                    <td>
                      <span className={`badge badge-${l.status}`}>{t(`codes.loanStatus.${l.status}`, { defaultValue: l.status })}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card card-flush" aria-labelledby="holdings-title">
        <h2 id="holdings-title" className="card-title">
          {t('customers.holdings.title')}
          <span className="count">{t('common.count', { count: holdings.length })}</span>
        </h2>
        {holdings.length === 0 ? (
          <Empty>{t('customers.holdings.none')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('customers.holdings.ref')}</th>
                  <th scope="col">{t('customers.holdings.product')}</th>
                  <th scope="col">{t('customers.holdings.risk')}</th>
                  <th scope="col" className="num">
                    {t('customers.holdings.marketValue')}
                  </th>
                  <th scope="col">{t('customers.holdings.acquiredOn')}</th>
                  <th scope="col">{t('customers.holdings.maturity')}</th>
                </tr>
              </thead>
              <tbody>
                {holdings.map((h) => (
                  <tr key={h.id}>
                    <td className="mono">{h.holdingRef}</td>
                    <td>
                      {h.productName} <span className="muted mono">{h.productCode}</span>
                    </td>
                    <td>
                      <span className={`risk risk-${h.riskLevel}`}>
                        {h.riskLevel} {t(`riskLevels.${h.riskLevel}`)}
                      </span>
                    </td>
                    <td className="num">{formatMoney(h.marketValue, locale)}</td>
                    <td className="mono">{h.acquiredOn}</td>
                    <td className="mono">{h.maturityDate ?? t('common.none')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {revealing && (
        <RevealDialog
          customerId={customer.id}
          field={revealing}
          onRevealed={(result) => setRevealed((prev) => ({ ...prev, ...result }))}
          onClose={() => setRevealing(null)}
        />
      )}
    </div>
  );
}
