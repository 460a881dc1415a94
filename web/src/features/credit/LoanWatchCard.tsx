import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { WatchAction } from '../../../../src/domain/loan-watch';
import { get } from '../../api/client';
import { EChart } from '../../components/EChart';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { formatDay, formatMinor } from '../../i18n/format';
import { type InflowPeriod, loanWatchOption } from './loanWatchChart';

/** A loan as the watch shows it (API: the watched-loans list and a case's loan watch). */
export interface WatchedLoan {
  id: string;
  loanNumber: string;
  product: string;
  currency: string;
  outstandingMinor: number;
  instalmentMinor: number;
  nextPaymentDate: string | null;
  daysPastDue: number;
  status: string;
  action: WatchAction;
  daysToDue: number | null;
}

interface CaseLoanWatch {
  today: string;
  monthlyDebtMinor: number;
  capacityMinor: number | null;
  inflows: InflowPeriod[];
  loans: (WatchedLoan & { raised: { kind: 'prepare' | 'past_due'; instalmentDueOn: string | null; raisedAt: string }[] })[];
}

const ACTION_BADGE: Record<WatchAction, string> = { past_due: 'badge-overdue', prepare: 'badge-pending', none: 'badge-performing' };

/** The watch's verdict on a loan as a badge, in the reader's language. */
export function WatchBadge({ action }: { action: WatchAction }) {
  const { t } = useTranslation();
  return <span className={`badge ${ACTION_BADGE[action]}`}>{t(`credit.watch.action.${action}`)}</span>;
}

/**
 * A case's loan watch (P7.1, P7.1.2): the customer's inflows per 30 days against their instalments
 * a month, and each loan with the watch's verdict and the tasks it raised. For the case's team
 * and its branch's supervisors (risk officers and supervisors by permission).
 */
export function LoanWatchCard({ caseId, subject }: { caseId: string; subject?: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const watch = useQuery({
    queryKey: ['credit', 'loan-watch', caseId],
    queryFn: () => get<CaseLoanWatch>(`/api/v1/cases/${encodeURIComponent(caseId)}/loan-watch`),
  });
  const data = watch.data;
  const money = (minor: number, currency = 'CNY') => formatMinor(minor, currency, locale);
  const chart = useMemo(
    () =>
      data && data.loans.length > 0
        ? loanWatchOption(
            data.inflows,
            data.monthlyDebtMinor,
            {
              inflow: t('credit.watch.chartInflow'),
              instalments: t('credit.watch.chartInstalments'),
              needed: t('credit.watch.chartNeeded'),
            },
            locale,
          )
        : null,
    [data, t, locale],
  );

  return (
    <section className="card" aria-labelledby={`loan-watch-${caseId}`} data-testid="case-loan-watch">
      <h2 id={`loan-watch-${caseId}`}>{t('credit.watch.caseTitle')}</h2>
      {subject && <p className="mono">{subject}</p>}
      <p className="muted">{t('credit.watch.caseIntro')}</p>
      <ErrorNotice error={watch.error} />
      {watch.isPending ? (
        <Loading />
      ) : !data || data.loans.length === 0 ? (
        <Empty>{t('credit.watch.noLoans')}</Empty>
      ) : (
        <>
          <dl className="facts">
            <div>
              <dt>{t('credit.watch.monthlyDebt')}</dt>
              <dd data-testid="loan-watch-debt">{money(data.monthlyDebtMinor)}</dd>
            </div>
            <div>
              <dt>{t('credit.watch.capacity')}</dt>
              <dd data-testid="loan-watch-capacity">{data.capacityMinor === null ? '—' : money(data.capacityMinor)}</dd>
            </div>
          </dl>
          <p className="muted">{t('credit.watch.rule')}</p>
          {chart && <EChart option={chart} label={t('credit.watch.chart')} />}
          <div className="table-scroll">
            <table className="table table-dense" data-testid="loan-watch-loans">
              <thead>
                <tr>
                  <th scope="col">{t('credit.watch.loanNumber')}</th>
                  <th scope="col">{t('credit.watch.product')}</th>
                  <th scope="col" className="num">
                    {t('credit.watch.instalment')}
                  </th>
                  <th scope="col">{t('credit.watch.nextPayment')}</th>
                  <th scope="col" className="num">
                    {t('credit.watch.daysPastDue')}
                  </th>
                  <th scope="col">{t('credit.watch.verdict')}</th>
                  <th scope="col">{t('credit.watch.raised')}</th>
                </tr>
              </thead>
              <tbody>
                {data.loans.map((l) => (
                  <tr key={l.id}>
                    <td className="mono nowrap">{l.loanNumber}</td>
                    <td>{t(`codes.loanProduct.${l.product}`, { defaultValue: l.product })}</td>
                    <td className="num">{money(l.instalmentMinor, l.currency)}</td>
                    <td className="nowrap">{l.nextPaymentDate ? formatDay(l.nextPaymentDate, locale) : '—'}</td>
                    <td className="num">{l.daysPastDue}</td>
                    <td>
                      <WatchBadge action={l.action} />
                    </td>
                    <td>
                      {l.raised.length === 0
                        ? '—'
                        : l.raised
                            .map((r) =>
                              t(`credit.watch.raisedKind.${r.kind}`, {
                                date: r.instalmentDueOn ? formatDay(r.instalmentDueOn, locale) : '—',
                              }),
                            )
                            .join('; ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
