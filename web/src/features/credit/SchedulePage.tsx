import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REPAYMENT_METHODS, type RepaymentMethod, type Schedule } from '../../../../src/domain/loan-schedule';
import { post } from '../../api/client';
import { EChart } from '../../components/EChart';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { formatDay, formatMinor } from '../../i18n/format';
import { yuanToMinor } from '../cases/money';
import { scheduleOption } from './scheduleChart';

/** A whole number typed in a field, or undefined. */
const whole = (text: string) => (/^\d{1,4}$/.test(text.trim()) ? Number(text.trim()) : undefined);

/**
 * The loan calculator (P4.1, P7.1.1): what an emergency loan or a restructured one costs month by
 * month, worked out by the server exactly as API.md defines it, so the figures are those the bank
 * books. Nothing is stored.
 */
export function SchedulePage() {
  const { t, i18n } = useTranslation();
  const methodId = useId();
  const [principal, setPrincipal] = useState('50,000');
  const [rate, setRate] = useState('3.45');
  const [months, setMonths] = useState('12');
  const [grace, setGrace] = useState('0');
  const [method, setMethod] = useState<RepaymentMethod>('annuity');
  const [startOn, setStartOn] = useState(() => new Date().toLocaleDateString('sv-SE'));
  const [invalid, setInvalid] = useState(false);
  const preview = useMutation({
    mutationFn: (body: Record<string, unknown>) => post<Schedule>('/api/v1/credit/schedule-preview', body),
  });
  const locale = i18n.language;
  const money = (minor: number) => formatMinor(minor, 'CNY', locale);
  const schedule = preview.data;
  const chart = useMemo(
    () =>
      schedule
        ? scheduleOption(
            schedule.instalments,
            { principal: t('credit.schedule.principal'), interest: t('credit.schedule.interest'), balance: t('credit.schedule.balance') },
            locale,
          )
        : null,
    [schedule, t, locale],
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const principalMinor = yuanToMinor(principal);
    const annualRatePercent = Number(rate.trim());
    const monthsN = whole(months);
    const graceN = whole(grace || '0');
    const ok =
      typeof principalMinor === 'number' &&
      rate.trim() !== '' &&
      Number.isFinite(annualRatePercent) &&
      monthsN !== undefined &&
      graceN !== undefined;
    setInvalid(!ok);
    if (!ok) return;
    preview.mutate({ principalMinor, annualRatePercent, months: monthsN, method, startOn, ...(graceN > 0 ? { graceMonths: graceN } : {}) });
  };

  const totalPaid = schedule?.instalments.reduce((s, i) => s + i.totalMinor, 0) ?? 0;
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('credit.schedule.title')}</h1>
          <p className="page-sub">{t('credit.schedule.intro')}</p>
        </div>
      </header>
      <section className="card">
        <form className="form form-grid" onSubmit={submit} data-testid="schedule-form">
          <Field
            label={t('credit.schedule.principalYuan')}
            value={principal}
            onChange={(e) => setPrincipal(e.target.value)}
            inputMode="decimal"
            required
          />
          <Field
            label={t('credit.schedule.rate')}
            hint={t('credit.schedule.rateHint')}
            value={rate}
            onChange={(e) => setRate(e.target.value)}
            inputMode="decimal"
            required
          />
          <Field
            label={t('credit.schedule.months')}
            value={months}
            onChange={(e) => setMonths(e.target.value)}
            inputMode="numeric"
            required
          />
          <Field
            label={t('credit.schedule.grace')}
            hint={t('credit.schedule.graceHint')}
            value={grace}
            onChange={(e) => setGrace(e.target.value)}
            inputMode="numeric"
          />
          <div className="field">
            <label htmlFor={methodId}>{t('credit.schedule.method')}</label>
            <select
              id={methodId}
              value={method}
              onChange={(e) => setMethod(REPAYMENT_METHODS.find((m) => m === e.target.value) ?? 'annuity')}
            >
              {REPAYMENT_METHODS.map((m) => (
                <option key={m} value={m}>
                  {t(`credit.method.${m}`)}
                </option>
              ))}
            </select>
          </div>
          <Field label={t('credit.schedule.startOn')} type="date" value={startOn} onChange={(e) => setStartOn(e.target.value)} required />
          <div className="form-actions">
            <button type="submit" className="button" disabled={preview.isPending} data-testid="schedule-submit">
              {t('credit.schedule.submit')}
            </button>
          </div>
        </form>
        {invalid && <p className="notice notice-error">{t('credit.schedule.invalid')}</p>}
        <ErrorNotice
          error={preview.error}
          labels={{
            principalMinor: t('credit.schedule.principalYuan'),
            annualRatePercent: t('credit.schedule.rate'),
            months: t('credit.schedule.months'),
            graceMonths: t('credit.schedule.grace'),
            startOn: t('credit.schedule.startOn'),
          }}
        />
      </section>
      {schedule && (
        <section className="card" data-testid="schedule-result">
          <dl className="facts">
            <div>
              <dt>{t('credit.schedule.totalInterest')}</dt>
              <dd data-testid="schedule-total-interest">{money(schedule.totalInterestMinor)}</dd>
            </div>
            <div>
              <dt>{t('credit.schedule.totalPaid')}</dt>
              <dd>{money(totalPaid)}</dd>
            </div>
          </dl>
          {chart && <EChart option={chart} label={t('credit.schedule.chart')} />}
          <div className="table-scroll">
            <table className="table table-dense" data-testid="schedule-table">
              <thead>
                <tr>
                  <th scope="col">{t('credit.schedule.n')}</th>
                  <th scope="col">{t('credit.schedule.dueOn')}</th>
                  <th scope="col" className="num">
                    {t('credit.schedule.principal')}
                  </th>
                  <th scope="col" className="num">
                    {t('credit.schedule.interest')}
                  </th>
                  <th scope="col" className="num">
                    {t('credit.schedule.total')}
                  </th>
                  <th scope="col" className="num">
                    {t('credit.schedule.balance')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {schedule.instalments.map((i) => (
                  <tr key={i.n}>
                    <td>{i.n}</td>
                    <td>{formatDay(i.dueOn, locale)}</td>
                    <td className="num">{money(i.principalMinor)}</td>
                    <td className="num">{money(i.interestMinor)}</td>
                    <td className="num">{money(i.totalMinor)}</td>
                    <td className="num">{money(i.balanceMinor)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </div>
  );
}
