import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Instalment } from '../../../../src/domain/loan-schedule';
import { EChart } from '../../components/EChart';
import { formatDay, formatMinor } from '../../i18n/format';
import type { Restructuring } from './api-credit';
import { restructuringOption } from './restructuringChart';

/** One schedule as a table: due date, instalment, of which interest, balance owed. */
function ScheduleTable({ title, items, testId }: { title: string; items: readonly Instalment[]; testId: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const money = (minor: number) => formatMinor(minor, 'CNY', locale);
  return (
    <div className="table-scroll">
      <table className="table table-dense" data-testid={testId}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('credit.schedule.n')}</th>
            <th scope="col">{t('credit.schedule.dueOn')}</th>
            <th scope="col" className="num">
              {t('credit.schedule.total')}
            </th>
            <th scope="col" className="num">
              {t('credit.schedule.interest')}
            </th>
            <th scope="col" className="num">
              {t('credit.schedule.balance')}
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.n}>
              <td>{i.n}</td>
              <td>{formatDay(i.dueOn, locale)}</td>
              <td className="num">{money(i.totalMinor)}</td>
              <td className="num">{money(i.interestMinor)}</td>
              <td className="num">{money(i.balanceMinor)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The old and new schedules of a restructuring side by side, a chart of both and the difference in total cost (P7.1.1). */
export function RestructuringComparison({ view }: { view: Restructuring }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const money = (minor: number) => formatMinor(minor, 'CNY', locale);
  const chart = useMemo(
    () =>
      restructuringOption(
        view.before.instalments,
        view.after.instalments,
        {
          oldInstalment: t('credit.restructuring.oldInstalment'),
          newInstalment: t('credit.restructuring.newInstalment'),
          oldBalance: t('credit.restructuring.oldBalance'),
          newBalance: t('credit.restructuring.newBalance'),
        },
        locale,
      ),
    [view, t, locale],
  );
  const diff = view.costDifferenceMinor;
  return (
    <div className="stack" data-testid="restructuring-comparison">
      <dl className="facts facts-4">
        <dt>{t('credit.restructuring.loan')}</dt>
        <dd className="mono">{view.loan.loanNumber}</dd>
        <dt>{t('credit.restructuring.outstanding')}</dt>
        <dd>{money(view.loan.outstandingMinor)}</dd>
        <dt>{t('credit.restructuring.change')}</dt>
        <dd>{t(`services.option.change.${view.change}`)}</dd>
        <dt>{t('credit.restructuring.instalments')}</dt>
        <dd>
          {money(view.before.instalmentMinor)} → {money(view.after.instalmentMinor)}
        </dd>
        <dt>{t('credit.restructuring.months')}</dt>
        <dd>
          {view.before.months} → {view.after.months}
        </dd>
        <dt>{t('credit.restructuring.rate')}</dt>
        <dd>
          {t('credit.loan.ratePercent', { rate: view.before.annualRatePercent })} →{' '}
          {t('credit.loan.ratePercent', { rate: view.after.annualRatePercent })}
        </dd>
        <dt>{t('credit.restructuring.totalInterest')}</dt>
        <dd>
          {money(view.before.totalInterestMinor)} → {money(view.after.totalInterestMinor)}
        </dd>
        <dt>{t('credit.restructuring.difference')}</dt>
        <dd data-testid="restructuring-difference">
          {t(diff > 0 ? 'credit.restructuring.costsMore' : diff < 0 ? 'credit.restructuring.costsLess' : 'credit.restructuring.costsSame', {
            amount: money(Math.abs(diff)),
          })}
        </dd>
      </dl>
      <EChart option={chart} label={t('credit.restructuring.chart')} />
      <div className="grid-2">
        <ScheduleTable title={t('credit.restructuring.before')} items={view.before.instalments} testId="restructuring-before" />
        <ScheduleTable title={t('credit.restructuring.after')} items={view.after.instalments} testId="restructuring-after" />
      </div>
    </div>
  );
}
