import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatInstant, formatMinor } from '../../i18n/format';
import { AlertStatusBadge } from './AlertBits';
import { caseAlerts } from './api';

/** The fund-safety alerts of a case on its page (P7.2.1); nothing when it has none the reader may see. */
export function CaseAlerts({ caseId }: { caseId: string }) {
  const { t, i18n } = useTranslation();
  const alerts = useQuery({ queryKey: ['alerts', 'case', caseId], queryFn: () => caseAlerts(caseId) });
  const items = alerts.data?.items ?? [];
  if (!alerts.error && items.length === 0) return null;
  return (
    <section className="card card-flush" aria-labelledby="case-alerts" data-testid="case-section-alerts">
      <h2 id="case-alerts" className="card-title">
        {t('alerts.caseSection')}
      </h2>
      <ErrorNotice error={alerts.error} />
      {items.length > 0 && (
        <table className="table table-dense">
          <thead>
            <tr>
              <th scope="col">{t('alerts.field.raisedAt')}</th>
              <th scope="col" className="num">
                {t('alerts.field.amount')}
              </th>
              <th scope="col">{t('alerts.field.status')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to={`/alerts/${encodeURIComponent(a.id)}`}>{formatInstant(a.raisedAt, i18n.language)}</Link>
                </td>
                <td className="num">{formatMinor(a.transaction.amountMinor, a.transaction.currency, i18n.language)}</td>
                <td className="nowrap">
                  <AlertStatusBadge status={a.status} overdue={a.overdue} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
