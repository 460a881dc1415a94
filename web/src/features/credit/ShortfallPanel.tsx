import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Feedback';
import { formatMinor } from '../../i18n/format';
import { useShortfall } from './api-credit';

/** Before an emergency loan is requested: the case's shortfall, how it was worked out, the cap and the most that may be lent. */
export function ShortfallPanel({ caseId }: { caseId: string }) {
  const { t, i18n } = useTranslation();
  const shortfall = useShortfall(caseId, true);
  const money = (minor: number) => formatMinor(minor, 'CNY', i18n.language);
  if (shortfall.isPending) return <Loading />;
  const s = shortfall.data;
  if (!s) return <ErrorNotice error={shortfall.error} />;
  return (
    <section className={s.shortfallMinor > 0 ? 'notice notice-info' : 'notice notice-error'} data-testid="loan-shortfall-panel">
      <dl className="facts">
        <dt>{t('credit.loan.shortfall')}</dt>
        <dd data-testid="shortfall-amount">{money(s.shortfallMinor)}</dd>
        <dt>{t('credit.loan.cap')}</dt>
        <dd>{money(s.capMinor)}</dd>
        <dt>{t('credit.loan.maximum')}</dt>
        <dd data-testid="shortfall-maximum">{money(s.maximumMinor)}</dd>
        <dt>{t('credit.loan.rate')}</dt>
        <dd>{t('credit.loan.ratePercent', { rate: s.annualRatePercent })}</dd>
      </dl>
      <p className="field-hint">
        {t('credit.loan.shortfallHow', {
          medical: money(s.expectedMedicalCostsMinor),
          income: money(s.lostIncomeMinor),
          months: s.horizonMonths,
          savings: money(s.liquidSavingsMinor),
        })}
      </p>
      {s.shortfallMinor === 0 && <p>{t('credit.loan.noShortfall')}</p>}
      <p className="field-hint">{t('credit.loan.maxTerm', { count: s.maxTermMonths })}</p>
    </section>
  );
}
