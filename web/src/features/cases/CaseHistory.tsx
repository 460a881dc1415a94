import { useTranslation } from 'react-i18next';
import type { CaseView } from '../../api/types';
import { Empty } from '../../components/Feedback';
import { formatInstant } from '../../i18n/format';
import { useFieldLabel } from './CaseBits';

/** The versions of the case file (P5.3): who changed which fields when. */
export function CaseHistory({ history }: { history: CaseView['history'] }) {
  const { t, i18n } = useTranslation();
  const fieldLabel = useFieldLabel();
  return (
    <section className="card card-flush" aria-labelledby="case-history" data-testid="case-section-history">
      <h2 id="case-history" className="card-title">
        {t('cases.section.history')}
        <span className="count">{t('common.count', { count: history.length })}</span>
      </h2>
      {history.length === 0 ? (
        <Empty>{t('cases.noHistory')}</Empty>
      ) : (
        <div className="table-scroll">
          <table className="table table-dense">
            <thead>
              <tr>
                <th scope="col">{t('cases.field.version')}</th>
                <th scope="col">{t('audit.field.occurredAt')}</th>
                <th scope="col">{t('audit.field.actor')}</th>
                <th scope="col">{t('audit.field.action')}</th>
                <th scope="col">{t('cases.field.changedFields')}</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.version}>
                  <td className="mono">{h.version}</td>
                  <td className="nowrap">{formatInstant(h.at, i18n.language)}</td>
                  <td>{h.by?.displayName ?? t('leads.system')}</td>
                  <td>{t(`cases.action.${h.action}`, { defaultValue: h.action })}</td>
                  <td className="history-detail">{h.fields.map(fieldLabel).join('、')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
