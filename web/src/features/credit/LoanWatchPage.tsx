import { useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { WATCH_ACTIONS, type WatchAction } from '../../../../src/domain/loan-watch';
import { get, query } from '../../api/client';
import type { Page } from '../../api/types';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { formatDay, formatMinor } from '../../i18n/format';
import { caseLink } from '../cases/caseLinks';
import { LoanWatchCard, WatchBadge, type WatchedLoan } from './LoanWatchCard';

type WatchedLoanRow = WatchedLoan & { case: { id: string; caseNumber: string; customerName: string } };

const PAGE = 100;

/**
 * The loan watch (P7.1, P7.1.2): the loans of registered customers the reader looks after, past
 * due first, then those whose next instalment the customer will likely not cover; choosing one
 * shows the customer's inflows against their instalments.
 */
export function LoanWatchPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const filterId = useId();
  const [action, setAction] = useState<WatchAction | ''>('');
  const [selected, setSelected] = useState<WatchedLoanRow['case'] | null>(null);
  const loans = useInfiniteQuery({
    queryKey: ['credit', 'watched-loans', action],
    queryFn: ({ pageParam }) =>
      get<Page<WatchedLoanRow>>(`/api/v1/credit/watched-loans${query({ action: action || undefined, limit: PAGE, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = loans.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="page" data-testid="loan-watch">
      <header className="page-header">
        <div>
          <h1>{t('credit.watch.title')}</h1>
          <p className="page-sub">{t('credit.watch.intro')}</p>
        </div>
      </header>
      <section className="card">
        <div className="form-grid">
          <div className="field">
            <label htmlFor={filterId}>{t('credit.watch.filter')}</label>
            <select
              id={filterId}
              value={action}
              onChange={(e) => setAction(WATCH_ACTIONS.find((a) => a === e.target.value) ?? '')}
              data-testid="loan-watch-filter"
            >
              <option value="">{t('credit.watch.all')}</option>
              {WATCH_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {t(`credit.watch.action.${a}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <ErrorNotice error={loans.error} />
        {loans.isPending ? (
          <Loading />
        ) : items.length === 0 ? (
          <Empty>{t('credit.watch.empty')}</Empty>
        ) : (
          <div className="table-scroll">
            <table className="table table-dense" data-testid="loan-watch-table">
              <thead>
                <tr>
                  <th scope="col">{t('credit.watch.case')}</th>
                  <th scope="col">{t('credit.watch.customer')}</th>
                  <th scope="col">{t('credit.watch.loanNumber')}</th>
                  <th scope="col">{t('credit.watch.product')}</th>
                  <th scope="col" className="num">
                    {t('credit.watch.outstanding')}
                  </th>
                  <th scope="col" className="num">
                    {t('credit.watch.instalment')}
                  </th>
                  <th scope="col">{t('credit.watch.nextPayment')}</th>
                  <th scope="col" className="num">
                    {t('credit.watch.daysPastDue')}
                  </th>
                  <th scope="col">{t('credit.watch.status')}</th>
                  <th scope="col">{t('credit.watch.verdict')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('credit.watch.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((l) => (
                  <tr key={l.id} data-testid="loan-watch-row" className={l.action === 'past_due' ? 'row-overdue' : undefined}>
                    <td className="mono nowrap">
                      <Link to={caseLink(l.case.id, 'services')}>{l.case.caseNumber}</Link>
                    </td>
                    <td className="nowrap">{l.case.customerName}</td>
                    <td className="mono nowrap">{l.loanNumber}</td>
                    <td>{t(`codes.loanProduct.${l.product}`, { defaultValue: l.product })}</td>
                    <td className="num">{formatMinor(l.outstandingMinor, l.currency, locale)}</td>
                    <td className="num">{formatMinor(l.instalmentMinor, l.currency, locale)}</td>
                    <td className="nowrap">{l.nextPaymentDate ? formatDay(l.nextPaymentDate, locale) : '—'}</td>
                    <td className="num">{l.daysPastDue}</td>
                    <td>
                      <span className={`badge badge-${l.status}`}>{t(`codes.loanStatus.${l.status}`, { defaultValue: l.status })}</span>
                    </td>
                    <td>
                      <WatchBadge action={l.action} />
                    </td>
                    <td>
                      <button
                        type="button"
                        className="button button-small"
                        onClick={() => setSelected(l.case)}
                        aria-pressed={l.case.id === selected?.id}
                        data-testid="loan-watch-show"
                      >
                        {t('credit.watch.show')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {loans.hasNextPage && (
          <div className="pager">
            <button
              type="button"
              className="button button-small"
              onClick={() => void loans.fetchNextPage()}
              disabled={loans.isFetchingNextPage}
            >
              {loans.isFetchingNextPage ? t('common.loading') : t('common.loadMore')}
            </button>
          </div>
        )}
      </section>
      {selected && (
        <LoanWatchCard
          key={selected.id}
          caseId={selected.id}
          subject={t('credit.watch.subject', { caseNumber: selected.caseNumber, customer: selected.customerName })}
        />
      )}
    </div>
  );
}
